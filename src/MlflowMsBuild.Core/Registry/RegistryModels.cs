namespace MlflowMsBuild.Core.Registry;

/// <param name="Kind">"local", "mlflow" or "gitlab".</param>
/// <param name="Key">Stable, file-name-safe identity of the registry, used to key cache entries.</param>
/// <param name="DisplayName">How messages name it, e.g. "embedded registry '/home/u/.mlflow-msbuild/registry'".</param>
public sealed record RegistryDescriptor(string Kind, string Key, string DisplayName);

/// <param name="Version">The exact version as the registry names it to users ("3"; "1.2.0" on GitLab).</param>
/// <param name="Source">Where the model files live, as the registry records it.</param>
/// <param name="CreationTime">Creation time, whatever unit the backend uses on the wire.</param>
public sealed record ModelVersionInfo(
    string Name,
    string Version,
    string RunId,
    string Source,
    string Status,
    DateTimeOffset CreationTime,
    IReadOnlyDictionary<string, string> Tags,
    string Description);

/// <param name="Path">Relative to the model folder, '/'-separated.</param>
/// <param name="Sha256">Lower-case hex when the registry knows it; null otherwise.</param>
public sealed record ModelFileInfo(string Path, long Size, string? Sha256);

public sealed record Metric(string Key, double Value, DateTimeOffset Timestamp, long Step = 0);

public sealed record RunData(
    IReadOnlyDictionary<string, string> Params,
    IReadOnlyList<Metric> Metrics,
    IReadOnlyDictionary<string, string> Tags);

/// <param name="ModelArtifactPath">Folder under the run's artifact root that holds the model files.</param>
public sealed record PublicationRequest(
    string ModelName,
    string RunName,
    string ModelDescription,
    string VersionDescription,
    IReadOnlyDictionary<string, string> VersionTags,
    string ModelArtifactPath = "model");
