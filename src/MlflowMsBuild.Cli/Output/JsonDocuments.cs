using System.Text.Json.Serialization;
using MlflowMsBuild.Core.Registry;

namespace MlflowMsBuild.Cli.Output;

// What --json writes, one document per command, snake_case as MLflow's own JSON. Documented in the README.

/// <param name="Kind">"local" (the embedded registry), "mlflow" or "gitlab".</param>
/// <param name="Address">The embedded registry's folder, the MLflow tracking URI, or the GitLab server's root.</param>
/// <param name="Project">GitLab: the project's path or numeric id; null otherwise.</param>
/// <param name="Key">The registry's key in the cache (<c>cache list</c>'s <c>registry</c>).</param>
/// <param name="DisplayName">How messages name it.</param>
internal sealed record RegistryJson(string Kind, string? Address, string? Project, string Key, string DisplayName)
{
    public static RegistryJson From(RegistryDescriptor registry) => new(registry.Kind, registry.Address, registry.Project, registry.Key, registry.DisplayName);
}

internal sealed record FileJson(string Path, long Size, string? Sha256);

internal sealed record PullJson(string Directory, string? Uri, string? Name, string? Version, RegistryJson? Registry, bool FromCache, IReadOnlyList<FileJson> Files);

internal sealed record PublishJson(string Name, string Version, bool AlreadyPublished, string RunId, string Commit, int Files, long Bytes, string ContentHash, RegistryJson Registry);

internal sealed record MetricJson(string Key, double Value, long Step, DateTimeOffset Timestamp);

internal sealed record VersionJson(string Version, string Status, bool Complete, DateTimeOffset Created, string RunId, string? Commit, IReadOnlyDictionary<string, double> Metrics);

internal sealed record ListJson(string Name, RegistryJson Registry, IReadOnlyList<VersionJson> Versions);

internal sealed record ShowJson(
    string Name,
    string Version,
    RegistryJson Registry,
    string Status,
    bool Complete,
    DateTimeOffset Created,
    string RunId,
    string Source,
    string Description,
    IReadOnlyDictionary<string, string> VersionTags,
    IReadOnlyDictionary<string, string> Params,
    IReadOnlyList<MetricJson> Metrics,
    IReadOnlyDictionary<string, string> RunTags,
    IReadOnlyList<FileJson> Files,
    bool Cached);

internal sealed record CacheEntryJson(string Registry, string Name, string Version, int Files, long Bytes, DateTimeOffset LastUsed, string Manifest, string? Folder, string? Damage);

internal sealed record CacheListJson(string Cache, IReadOnlyList<CacheEntryJson> Entries);

internal sealed record CacheProblemJson(string Path, string Description);

internal sealed record CacheVerifyJson(string Cache, int Entries, int Blobs, IReadOnlyList<CacheProblemJson> Problems, int Repaired);

internal sealed record CachePruneJson(string Cache, int EntriesRemoved, int BlobsRemoved, long BytesFreed, int FoldersRemoved);

internal sealed record LockEntryJson(string Name, string Requested, string? Previous, string Resolved);

internal sealed record LockUpdateJson(string LockFile, IReadOnlyList<LockEntryJson> Models);

/// <param name="Check">True for <c>--check</c>: nothing was written, <paramref name="Unchanged"/> lists the files compared.</param>
internal sealed record ReportJson(string Page, bool Check, IReadOnlyList<string> Versions, IReadOnlyList<string> Written, IReadOnlyList<string> Unchanged, IReadOnlyList<string> Deleted);

/// <param name="AlsoFailed">The other failures of the same command (the other models of one restore), in order; empty for none.</param>
internal sealed record ErrorDetailJson(string Code, int ExitCode, string Message, IReadOnlyList<FailureJson> AlsoFailed);

internal sealed record FailureJson(string Code, string Message);

internal sealed record ErrorJson(ErrorDetailJson Error);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(PullJson))]
[JsonSerializable(typeof(PublishJson))]
[JsonSerializable(typeof(ListJson))]
[JsonSerializable(typeof(ShowJson))]
[JsonSerializable(typeof(CacheListJson))]
[JsonSerializable(typeof(CacheVerifyJson))]
[JsonSerializable(typeof(CachePruneJson))]
[JsonSerializable(typeof(LockUpdateJson))]
[JsonSerializable(typeof(ReportJson))]
[JsonSerializable(typeof(ErrorJson))]
internal sealed partial class CliJson : JsonSerializerContext;
