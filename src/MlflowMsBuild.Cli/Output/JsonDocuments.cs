using System.Text.Json.Serialization;

namespace MlflowMsBuild.Cli.Output;

// What --json writes, one document per command, snake_case as MLflow's own JSON. Documented in the README.

internal sealed record FileJson(string Path, long Size, string? Sha256);

internal sealed record PullJson(string Directory, string? Uri, string? Name, string? Version, string? Registry, bool FromCache, IReadOnlyList<FileJson> Files);

internal sealed record PublishJson(string Name, string Version, bool AlreadyPublished, string RunId, string Commit, int Files, long Bytes, string ContentHash, string Registry);

internal sealed record MetricJson(string Key, double Value, long Step, DateTimeOffset Timestamp);

internal sealed record VersionJson(string Version, string Status, bool Complete, DateTimeOffset Created, string RunId, string? Commit, IReadOnlyDictionary<string, double> Metrics);

internal sealed record ListJson(string Name, string Registry, IReadOnlyList<VersionJson> Versions);

internal sealed record ShowJson(
    string Name,
    string Version,
    string Registry,
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

internal sealed record CacheEntryJson(string Registry, string Name, string Version, int Files, long Bytes, DateTimeOffset LastUsed, string Manifest, string? Folder);

internal sealed record CacheListJson(string Cache, IReadOnlyList<CacheEntryJson> Entries);

internal sealed record CacheProblemJson(string Path, string Description);

internal sealed record CacheVerifyJson(string Cache, int Entries, int Blobs, IReadOnlyList<CacheProblemJson> Problems, int Repaired);

internal sealed record CachePruneJson(string Cache, int EntriesRemoved, int BlobsRemoved, long BytesFreed, int FoldersRemoved);

internal sealed record LockEntryJson(string Name, string Requested, string? Previous, string Resolved);

internal sealed record LockUpdateJson(string LockFile, IReadOnlyList<LockEntryJson> Models);

/// <param name="Check">True for <c>--check</c>: nothing was written, <paramref name="Unchanged"/> lists the files compared.</param>
internal sealed record ReportJson(string Page, bool Check, IReadOnlyList<string> Versions, IReadOnlyList<string> Written, IReadOnlyList<string> Unchanged, IReadOnlyList<string> Deleted);

internal sealed record ErrorDetailJson(string Code, int ExitCode, string Message);

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
