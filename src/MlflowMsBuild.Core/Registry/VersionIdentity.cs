using System.Globalization;

namespace MlflowMsBuild.Core.Registry;

/// <summary>
/// What identifies a registered version beyond its number, recorded by the cache and <c>models.lock.json</c>: a
/// version deleted and registered again under the same number (MLflow numbers again from 1 after a model is
/// deleted and re-created) has another run, creation time or backend id.
/// </summary>
/// <param name="RunId">The run that produced the version (MLflow, GitLab, the embedded registry).</param>
/// <param name="CreationTime">Creation time in Unix milliseconds as the registry reports it (GitLab reports seconds).</param>
/// <param name="Source">Where the registry says the files are.</param>
/// <param name="InternalId">GitLab's model-version id (the number of its package files); null elsewhere.</param>
public sealed record VersionIdentity(string RunId, long CreationTime, string Source, string? InternalId = null)
{
    public static VersionIdentity Of(ModelVersionInfo version) =>
        new(version.RunId, version.CreationTime.ToUnixTimeMilliseconds(), version.Source, version.InternalId);

    /// <summary>For messages: "run 3f2a…, registered 2026-11-30T08:12:03Z (id 42)".</summary>
    public override string ToString() =>
        $"run {(RunId.Length == 0 ? "(none)" : RunId)}, registered {DateTimeOffset.FromUnixTimeMilliseconds(CreationTime).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}"
        + (InternalId is null ? "" : $" (id {InternalId})");
}
