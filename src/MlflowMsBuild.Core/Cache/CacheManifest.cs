using System.Text.Json.Serialization;
using MlflowMsBuild.Core.Registry;
using MlflowMsBuild.Core.Restore;
using MlflowMsBuild.Core.Versions;

namespace MlflowMsBuild.Core.Cache;

/// <summary>The last file written into a cache entry: an entry without it is incomplete and never read.</summary>
public sealed class CacheManifest
{
    public string Registry { get; set; } = "";
    public string Name { get; set; } = "";
    public string Version { get; set; } = "";
    public string RunId { get; set; } = "";
    public long CreatedTimestamp { get; set; }

    /// <summary>The registered version the files came from; null in entries written before it was recorded.</summary>
    public VersionIdentity? Identity { get; set; }

    /// <summary>The folder of the version's stored files that holds the model, where the registry records one
    /// (<see cref="Registry.IModelRegistry.ModelArtifactPath"/>); null elsewhere and in older entries.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ArtifactPath { get; set; }

    public List<CacheManifestFile> Files { get; set; } = new();
}

public sealed class CacheManifestFile
{
    public string Path { get; set; } = "";
    public long Size { get; set; }
    public string Sha256 { get; set; } = "";

    /// <summary>
    /// The blob's modification time (UTC ticks) when its bytes were last found to be <see cref="Sha256"/>: a blob
    /// whose time moved is hashed again before it is placed. 0 in manifests written before it was recorded.
    /// Not part of a lock file's record (<see cref="Restore.ModelsLockFile"/> writes path, size and sha256 only).
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long BlobModified { get; set; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(CacheManifest))]
internal sealed partial class CacheJson : JsonSerializerContext;
