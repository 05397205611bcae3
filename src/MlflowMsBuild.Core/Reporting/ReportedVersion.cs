using MlflowMsBuild.Core.Registry;
using MlflowMsBuild.Core.Uris;

namespace MlflowMsBuild.Core.Reporting;

/// <summary>A file the version's run stored besides the model, as read from the registry.</summary>
/// <param name="ArtifactPath">Relative to the run's artifact root: <c>tables/confusion.md</c>, <c>figures/roc.png</c>.</param>
public sealed record RunArtifact(string ArtifactPath, byte[] Content);

/// <summary>Everything a results page shows about one exact version, read from its registry.</summary>
/// <param name="Uri">The exact version, <c>models:/NAME/VERSION</c> (with <c>?registry=</c> when it was given).</param>
/// <param name="RegistryKind">"local", "mlflow" or "gitlab".</param>
/// <param name="VersionPage">The version's page in the registry's UI, or its document's path under the registry's folder (embedded registry).</param>
/// <param name="Metrics">The last value of each metric (highest step, then latest timestamp), by key.</param>
public sealed record ReportedVersion(
    ModelUri Uri,
    string RegistryKind,
    ModelVersionInfo Version,
    IReadOnlyDictionary<string, string> Params,
    IReadOnlyDictionary<string, double> Metrics,
    string VersionPage,
    IReadOnlyList<RunArtifact> Tables,
    IReadOnlyList<RunArtifact> Figures);
