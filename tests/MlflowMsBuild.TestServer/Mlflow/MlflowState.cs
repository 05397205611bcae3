using System.Globalization;
using MlflowMsBuild.TestServer.Storage;

namespace MlflowMsBuild.TestServer.Mlflow;

internal sealed class ExperimentRecord
{
    public required string Id { get; init; }

    public required string Name { get; set; }

    public required string ArtifactLocation { get; init; }

    public string LifecycleStage { get; set; } = "active";

    public long CreationTime { get; init; }

    public long LastUpdateTime { get; set; }

    public TagList Tags { get; } = new();
}

internal sealed class ModelVersionRecord
{
    public required string Name { get; init; }

    public required int Version { get; init; }

    public long CreationTimestamp { get; init; }

    public long LastUpdatedTimestamp { get; set; }

    public string? Description { get; set; }

    public required string Source { get; init; }

    /// <summary>What get-download-uri answers (models:/ sources resolved at creation).</summary>
    public required string StorageLocation { get; init; }

    public string? RunId { get; init; }

    public string RunLink { get; init; } = "";

    public TagList Tags { get; } = new();
}

internal sealed class RegisteredModelRecord
{
    public required string Name { get; set; }

    public long CreationTimestamp { get; init; }

    public long LastUpdatedTimestamp { get; set; }

    public string? Description { get; set; }

    public TagList Tags { get; } = new();

    public SortedDictionary<int, ModelVersionRecord> Versions { get; } = [];

    /// <summary>Alias → version number, in the order set.</summary>
    public TagList Aliases { get; } = new();

    /// <summary>Next version number; numbers of deleted versions are not reused.</summary>
    public int NextVersion { get; set; } = 1;

    public IEnumerable<string> AliasesOf(int version) =>
        Aliases.Items.Where(a => a.Value == version.ToString(CultureInfo.InvariantCulture)).Select(a => a.Key);
}

/// <summary>An MLflow 3 logged model (<c>models:/m-&lt;id&gt;</c>): files of its own, outside any run.</summary>
internal sealed class LoggedModelRecord
{
    public required string ModelId { get; init; }

    public required string ExperimentId { get; init; }

    public required string Name { get; init; }

    public required string ArtifactUri { get; init; }

    public long CreationTimestampMs { get; init; }

    public string Status { get; set; } = "LOGGED_MODEL_PENDING";
}

/// <summary>All MLflow metadata, guarded by <see cref="Sync"/>. Starts with experiment "0" named "Default".</summary>
internal sealed class MlflowState
{
    private readonly TimeProvider time;
    private int nextExperimentId = 1;

    public MlflowState(TimeProvider time)
    {
        this.time = time;
        var now = NowMs;
        Experiments["0"] = new ExperimentRecord
        {
            Id = "0", Name = "Default", ArtifactLocation = "mlflow-artifacts:/0", CreationTime = now, LastUpdateTime = now,
        };
    }

    public object Sync { get; } = new();

    public long NowMs => time.GetUtcNow().ToUnixTimeMilliseconds();

    public Dictionary<string, ExperimentRecord> Experiments { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, RunRecord> Runs { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, RegisteredModelRecord> Models { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, LoggedModelRecord> LoggedModels { get; } = new(StringComparer.Ordinal);

    public LoggedModelRecord LoggedModel(string id) =>
        LoggedModels.TryGetValue(id, out var m) ? m : throw MlflowErrors.NotFound($"Logged model with ID '{id}' not found.");

    public string NextExperimentId() => (nextExperimentId++).ToString(CultureInfo.InvariantCulture);

    public ExperimentRecord Experiment(string id) =>
        Experiments.TryGetValue(id, out var e) ? e : throw MlflowErrors.NotFound($"No Experiment with id={id} exists");

    public RunRecord Run(string id) =>
        Runs.TryGetValue(id, out var r) ? r : throw MlflowErrors.NotFound($"Run with id={id} not found");

    public RunRecord ActiveRun(string id)
    {
        var run = Run(id);
        return run.LifecycleStage == "active" ? run
            : throw MlflowErrors.Error("INVALID_STATE", $"The run {id} must be in the 'active' state. Current state is {run.LifecycleStage}.");
    }

    public RegisteredModelRecord Model(string name) =>
        Models.TryGetValue(name, out var m) ? m : throw MlflowErrors.NotFound($"Registered Model with name={name} not found");

    public ModelVersionRecord Version(string name, string version)
    {
        var number = MlflowValidation.VersionNumber(version);
        return Models.TryGetValue(name, out var model) && model.Versions.TryGetValue(number, out var v) ? v
            : throw MlflowErrors.NotFound($"Model Version (name={name}, version={version}) not found");
    }
}
