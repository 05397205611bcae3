using MlflowMsBuild.Core.IO;

namespace MlflowMsBuild.Core.Cache;

/// <summary>
/// What the cache holds for one version. <see cref="Damage"/> says why an entry that exists cannot be trusted;
/// <see cref="DamagedBlobs"/> are the blobs whose bytes are no longer what was installed. An unreadable manifest is damage
/// too, with no <see cref="Manifest"/>.
/// </summary>
internal sealed record CacheLookup(string ManifestPath, CacheManifest? Manifest, string? Damage, IReadOnlyList<string> DamagedBlobs)
{
    public bool IsIntact => Manifest is not null && Damage is null;
}

/// <summary>
/// The integrity check of a cache entry before its bytes are placed again. A blob is trusted without reading it
/// while its size and modification time are those recorded at install (<see cref="CacheManifestFile.BlobModified"/>):
/// every write to the file, through any of its hard links (obj/, a bin/ copy MSBuild linked and made writable),
/// moves its modification time. When the time moved, the blob is hashed again: the same bytes are recorded anew
/// (a copy of the cache, a touch), other bytes make the entry damaged. Costs one stat per file; one hash per
/// moved blob.
/// </summary>
internal static class CacheEntryCheck
{
    /// <summary>What a restore and <c>cache list</c> say of a manifest that cannot be read.</summary>
    internal const string UnreadableManifest = "is not readable (cut short by a power loss, or edited)";

    public static CacheLookup Run(ModelCache cache, string manifestPath, string name, string version)
    {
        CacheManifest? manifest;
        try
        {
            manifest = cache.ReadManifest(manifestPath, name, version);
        }
        catch (Errors.MlflowException e) when (e.Error == Errors.MlfError.CacheEntryCorrupt)
        {
            // Manifests are written without an fsync (AtomicFile.WriteJson): after a power loss one may be empty. Like a
            // changed blob, it is damage that a restore reports and repairs by downloading the version again.
            return new CacheLookup(manifestPath, null, $"its manifest '{manifestPath}' {UnreadableManifest}", []);
        }

        if (manifest is null)
        {
            return new CacheLookup(manifestPath, null, null, []);
        }

        var problems = new List<string>();
        var damaged = new List<string>();
        var restamped = false;
        foreach (var file in manifest.Files)
        {
            var blob = new FileInfo(cache.BlobPath(file.Sha256));
            if (!blob.Exists)
            {
                problems.Add($"'{file.Path}' (blob '{blob.FullName}') is missing");
                continue;
            }

            var modified = blob.LastWriteTimeUtc.Ticks;
            if (blob.Length == file.Size && modified == file.BlobModified)
            {
                continue;
            }

            var sha256 = blob.Length == file.Size ? Sha256Of(blob.FullName) : null;
            if (sha256 == file.Sha256)
            {
                file.BlobModified = modified;
                restamped = true;
                continue;
            }

            damaged.Add(blob.FullName);
            problems.Add(blob.Length != file.Size
                ? $"'{file.Path}' (blob '{blob.FullName}') has {blob.Length} bytes instead of {file.Size}"
                : $"'{file.Path}' (blob '{blob.FullName}') was changed after it was installed, perhaps through a restored file or a copy MSBuild hard-linked into bin/: its sha256 is {sha256}, not {file.Sha256}");
        }

        if (problems.Count > 0)
        {
            return new CacheLookup(manifestPath, manifest, string.Join("; ", problems), damaged);
        }

        if (restamped)
        {
            TryRewrite(manifestPath, manifest);
        }

        return new CacheLookup(manifestPath, manifest, null, []);
    }

    /// <summary>True when <paramref name="blobPath"/> holds exactly <paramref name="sha256"/>: a blob another version installed is reused only after this check.</summary>
    public static bool HoldsContent(string blobPath, string sha256, long size)
    {
        var blob = new FileInfo(blobPath);
        return blob.Exists && (size < 0 || blob.Length == size) && Sha256Of(blobPath) == sha256;
    }

    private static string Sha256Of(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1024 * 1024);
        return Sha256Hex.Of(stream);
    }

    private static void TryRewrite(string manifestPath, CacheManifest manifest)
    {
        try
        {
            AtomicFile.WriteJson(manifestPath, manifest, CacheJson.Default.CacheManifest, flushToDisk: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A read-only cache (a shared CI volume): the blob is checked again next time.
        }
    }
}
