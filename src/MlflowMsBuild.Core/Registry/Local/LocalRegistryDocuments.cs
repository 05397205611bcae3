using System.Text.Json.Serialization;

namespace MlflowMsBuild.Core.Registry.Local;

// The embedded registry's files. Field names follow MLflow's REST entities so the layout reads like MLflow;
// timestamps are Unix milliseconds as in MLflow. Layout: see README "Embedded registry".

internal sealed class RegisteredModelDocument
{
    public string Name { get; set; } = "";
    public string Description { get; set; } = "";
    public long CreationTimestamp { get; set; }
    public Dictionary<string, string> Tags { get; set; } = new();
}

internal sealed class ModelVersionDocument
{
    public string Name { get; set; } = "";
    public string Version { get; set; } = "";
    public long CreationTimestamp { get; set; }
    public string Description { get; set; } = "";
    /// <summary>Relative to the registry root: <c>runs/&lt;run_id&gt;/artifacts/model</c>.</summary>
    public string Source { get; set; } = "";
    public string RunId { get; set; } = "";
    public string Status { get; set; } = "READY";
    public Dictionary<string, string> Tags { get; set; } = new();
    /// <summary>Every model file with its size and sha256, recorded when the version was registered.</summary>
    public List<FileDocument> Files { get; set; } = new();
}

internal sealed class FileDocument
{
    public string Path { get; set; } = "";
    public long Size { get; set; }
    public string Sha256 { get; set; } = "";
}

internal sealed class RunDocument
{
    public string RunId { get; set; } = "";
    public string RunName { get; set; } = "";
    /// <summary>RUNNING, FINISHED or FAILED, as in MLflow.</summary>
    public string Status { get; set; } = "RUNNING";
    public long StartTime { get; set; }
    public long? EndTime { get; set; }
    public string? StatusMessage { get; set; }
    public Dictionary<string, string> Params { get; set; } = new();
    public List<MetricDocument> Metrics { get; set; } = new();
    public Dictionary<string, string> Tags { get; set; } = new();
}

internal sealed class MetricDocument
{
    public string Key { get; set; } = "";
    public double Value { get; set; }
    public long Timestamp { get; set; }
    public long Step { get; set; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(RegisteredModelDocument))]
[JsonSerializable(typeof(ModelVersionDocument))]
[JsonSerializable(typeof(RunDocument))]
internal sealed partial class LocalRegistryJson : JsonSerializerContext;
