namespace MlflowMsBuild.Core.Registry;

/// <param name="Kind">"local", "mlflow" or "gitlab".</param>
/// <param name="Key">Stable, file-name-safe identity of the registry, used to key cache entries.</param>
/// <param name="DisplayName">How messages name it, e.g. "embedded registry '/home/u/.mlflow-msbuild/registry'".</param>
/// <param name="MaxDescriptionLength">The longest model or version description the registry stores.</param>
public sealed record RegistryDescriptor(string Kind, string Key, string DisplayName, int MaxDescriptionLength = 10_000)
{
    /// <summary>Where the registry is: the embedded registry's folder, the MLflow tracking URI, the GitLab server's root; credentials removed.</summary>
    public string? Address { get; init; }

    /// <summary>GitLab: the project, by path (<c>group/sub/project</c>) or numeric id; null for other registries.</summary>
    public string? Project { get; init; }
}

/// <param name="Version">The exact version as the registry names it to users ("3"; "1.2.0" on GitLab).</param>
/// <param name="Source">Where the model files live, as the registry records it.</param>
/// <param name="CreationTime">Creation time, whatever unit the backend uses on the wire.</param>
/// <param name="InternalId">The backend's own id when it differs from <paramref name="Version"/> (GitLab's database id).</param>
public sealed record ModelVersionInfo(
    string Name,
    string Version,
    string RunId,
    string Source,
    string Status,
    DateTimeOffset CreationTime,
    IReadOnlyDictionary<string, string> Tags,
    string Description,
    string? InternalId = null);

/// <param name="Path">Relative to the model folder, '/'-separated.</param>
/// <param name="Sha256">Lower-case hex when the registry knows it; null otherwise.</param>
public sealed record ModelFileInfo(string Path, long Size, string? Sha256);

public sealed record Metric(string Key, double Value, DateTimeOffset Timestamp, long Step = 0);

public sealed record RunData(
    IReadOnlyDictionary<string, string> Params,
    IReadOnlyList<Metric> Metrics,
    IReadOnlyDictionary<string, string> Tags);

/// <param name="ArtifactPaths">Every artifact path that will be uploaded, so the registry can refuse names it cannot store before it creates anything.</param>
/// <param name="RequestedVersion">The exact version to create where the registry lets the client choose (GitLab SemVer); null to let it number.</param>
/// <param name="ExperimentName">The experiment that holds the run where the registry has experiments; null for the model's name.</param>
/// <param name="Version">
/// The version's tags and description when known before anything is created. A registry that creates the version first
/// (<see cref="IModelRegistry.RegistersVersionLast"/> false: GitLab) requires it and creates the version with its tags;
/// the others take them from <see cref="IModelPublication.CompleteAsync"/> and ignore this.
/// </param>
/// <param name="ModelArtifactPath">Folder under the run's artifact root that holds the model files.</param>
public sealed record PublicationRequest(
    string ModelName,
    string RunName,
    string ModelDescription,
    IReadOnlyList<string> ArtifactPaths,
    string? RequestedVersion = null,
    string? ExperimentName = null,
    VersionCompletion? Version = null,
    string ModelArtifactPath = PublicationRequest.DefaultModelArtifactPath)
{
    public const string DefaultModelArtifactPath = "model";
}

/// <summary>What the new version carries besides its files: its tags and its description (the model card).</summary>
/// <param name="Tags">The model version's tags, e.g. <c>mlflow.source.git.commit</c> and <c>mlflow_msbuild.content_hash</c>.</param>
/// <param name="Description">Markdown, within <see cref="RegistryDescriptor.MaxDescriptionLength"/>.</param>
public sealed record VersionCompletion(IReadOnlyDictionary<string, string> Tags, string Description)
{
    /// <summary>True when both hold the same tags (order aside).</summary>
    public bool HasSameTags(VersionCompletion other) =>
        Tags.Count == other.Tags.Count && Tags.All(t => other.Tags.TryGetValue(t.Key, out var value) && value == t.Value);
}
