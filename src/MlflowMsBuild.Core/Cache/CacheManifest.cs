using System.Text.Json.Serialization;
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
    public List<CacheManifestFile> Files { get; set; } = new();
}

public sealed class CacheManifestFile
{
    public string Path { get; set; } = "";
    public long Size { get; set; }
    public string Sha256 { get; set; } = "";
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(CacheManifest))]
internal sealed partial class CacheJson : JsonSerializerContext;
