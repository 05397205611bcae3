using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.IO;
using MlflowMsBuild.Core.Restore;
using MlflowMsBuild.Core.Versions;

namespace MlflowMsBuild.Core.Cache;

/// <param name="LastUsed">When a restore last used it (its manifest's modification time).</param>
/// <param name="Damage">
/// Why the entry cannot be used (its manifest is not readable: Files and Bytes are then 0), or null. A restore downloads
/// such a version again (MLF3009); <c>cache verify --repair</c> and <c>cache prune</c> remove it.
/// </param>
public sealed record CacheEntry(string RegistryKey, string Name, string Version, int Files, long Bytes, DateTimeOffset LastUsed, string ManifestPath, string? Damage = null);

/// <param name="Path">The damaged blob or manifest.</param>
public sealed record CacheProblem(string Path, string Description);

/// <param name="Repaired">Blobs and manifests deleted, so that the next restore downloads them again, and partial downloads older than a day.</param>
public sealed record CacheVerifyReport(int Entries, int Blobs, IReadOnlyList<CacheProblem> Problems, int Repaired);

public sealed record CachePruneReport(int EntriesRemoved, int BlobsRemoved, long BytesFreed);

/// <summary>
/// The cache commands (for the command-line tool): list the cached versions, verify every blob's content against
/// its name (and repair by deleting what is damaged), prune by age and total size. Whatever deletes takes the
/// cache's lock exclusively, so it never runs during a restore.
/// </summary>
public sealed class CacheMaintenance(ModelCache cache, MutexSettings? locks = null)
{
    private readonly MutexSettings locks = locks ?? new MutexSettings();

    public IReadOnlyList<CacheEntry> List()
    {
        if (!Directory.Exists(cache.ManifestsDirectory))
        {
            return [];
        }

        var entries = new List<CacheEntry>();
        // Entries, not files only: a folder where a manifest belongs is a damaged entry too.
        foreach (var path in Directory.EnumerateFileSystemEntries(cache.ManifestsDirectory, "*.json", SearchOption.AllDirectories))
        {
            var parts = Path.GetRelativePath(cache.ManifestsDirectory, path).Split(Path.DirectorySeparatorChar);
            if (parts.Length != 3)
            {
                continue;
            }

            var version = Path.GetFileNameWithoutExtension(parts[2]);
            CacheManifest? manifest = null;
            string? damage = null;
            try
            {
                manifest = cache.ReadManifest(path, parts[1], version);
            }
            catch (MlflowException)
            {
                // As a restore says it, without the path: the entry gives it.
                damage = "its manifest " + CacheEntryCheck.UnreadableManifest;
            }

            // The folder is the model's name mapped by ModelFolderName; the manifest holds the name itself.
            entries.Add(new CacheEntry(parts[0], manifest?.Name is { Length: > 0 } name ? name : Uri.UnescapeDataString(parts[1]), version, manifest?.Files.Count ?? 0, manifest?.Files.Sum(f => f.Size) ?? 0,
                new DateTimeOffset(File.GetLastWriteTimeUtc(path), TimeSpan.Zero), path, damage));
        }

        return entries.OrderBy(e => e.RegistryKey, StringComparer.Ordinal).ThenBy(e => e.Name, StringComparer.Ordinal)
            .ThenBy(e => e.Version, VersionOrder.Instance).ToList();
    }

    /// <summary>
    /// Hashes every blob and checks every manifest. With <paramref name="repair"/>, deletes damaged blobs, the
    /// manifests that need them and leftovers of old downloads: the next restore downloads those versions again.
    /// </summary>
    public async Task<CacheVerifyReport> VerifyAsync(bool repair, CancellationToken cancellationToken = default)
    {
        var damaged = new HashSet<string>(StringComparer.Ordinal);
        var problems = new List<CacheProblem>();
        var blobs = Blobs().ToList();
        foreach (var blob in blobs)
        {
            var actual = await HashingCopy.HashFileAsync(blob, cancellationToken).ConfigureAwait(false);
            if (actual != Path.GetFileName(blob))
            {
                damaged.Add(blob);
                problems.Add(new CacheProblem(blob, $"its content has sha256 {actual}, not the one it is named after"));
            }
        }

        var brokenManifests = new List<string>();
        var entries = List();
        foreach (var entry in entries)
        {
            var reason = ManifestProblem(entry, damaged);
            if (reason is not null)
            {
                brokenManifests.Add(entry.ManifestPath);
                problems.Add(new CacheProblem(entry.ManifestPath, $"model '{entry.Name}' version {entry.Version}: {reason}"));
            }
        }

        var repaired = 0;
        if (repair && (problems.Count > 0 || Directory.Exists(cache.TempDirectory)))
        {
            using var exclusive = await CacheMutex.AcquireAsync(cache.CacheMutexPath, "repairing the model cache", locks, cancellationToken).ConfigureAwait(false);
            foreach (var path in damaged)
            {
                CacheFiles.DeleteFile(path);
                repaired++;
            }

            foreach (var path in brokenManifests)
            {
                ModelCache.DeleteManifest(path);
                repaired++;
            }

            repaired += DeleteOldDownloads(TimeSpan.FromDays(1));
        }

        return new CacheVerifyReport(entries.Count, blobs.Count, problems, repaired);
    }

    /// <summary>
    /// Removes versions whose manifest is not readable (no restore can use them: <see cref="CacheEntry.Damage"/>) and
    /// versions not used for <paramref name="unusedFor"/>, then the least recently used ones until the blobs take at most
    /// <paramref name="maxBytes"/>, then every blob no remaining version needs.
    /// </summary>
    public async Task<CachePruneReport> PruneAsync(TimeSpan? unusedFor, long? maxBytes, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        using var exclusive = await CacheMutex.AcquireAsync(cache.CacheMutexPath, "pruning the model cache", locks, cancellationToken).ConfigureAwait(false);
        var kept = List().OrderBy(e => e.LastUsed).ToList();
        var removed = kept.Where(e => e.Damage is not null || (unusedFor is { } age && e.LastUsed < now - age)).ToList();
        kept.RemoveAll(removed.Contains);
        var needs = kept.ToDictionary(e => e, NeededBlobs);
        var sizes = Blobs().ToDictionary(b => Path.GetFileName(b), b => new FileInfo(b).Length, StringComparer.Ordinal);
        long Total() => needs.Values.SelectMany(n => n).Distinct().Sum(h => sizes.GetValueOrDefault(h));
        while (maxBytes is { } limit && kept.Count > 0 && Total() > limit)
        {
            removed.Add(kept[0]);
            needs.Remove(kept[0]);
            kept.RemoveAt(0);
        }

        foreach (var entry in removed)
        {
            ModelCache.DeleteManifest(entry.ManifestPath);
        }

        var needed = needs.Values.SelectMany(n => n).ToHashSet(StringComparer.Ordinal);
        int blobsRemoved = 0;
        long freed = 0;
        foreach (var blob in Blobs().Where(b => !needed.Contains(Path.GetFileName(b))))
        {
            freed += new FileInfo(blob).Length;
            CacheFiles.DeleteFile(blob);
            blobsRemoved++;
        }

        DeleteOldDownloads(TimeSpan.FromDays(7));
        return new CachePruneReport(removed.Count, blobsRemoved, freed);
    }

    private IEnumerable<string> Blobs() =>
        Directory.Exists(cache.BlobsDirectory)
            ? Directory.EnumerateFiles(cache.BlobsDirectory, "*", SearchOption.AllDirectories).Where(p => Path.GetFileName(p).Length == 64)
            : [];

    private List<string> NeededBlobs(CacheEntry entry)
    {
        try
        {
            return cache.ReadManifest(entry.ManifestPath, entry.Name, entry.Version)?.Files.Select(f => f.Sha256).ToList() ?? [];
        }
        catch (MlflowException)
        {
            return [];
        }
    }

    private string? ManifestProblem(CacheEntry entry, HashSet<string> damaged)
    {
        CacheManifest? manifest;
        try
        {
            manifest = cache.ReadManifest(entry.ManifestPath, entry.Name, entry.Version);
        }
        catch (MlflowException)
        {
            return "the manifest is not readable";
        }

        foreach (var file in manifest?.Files ?? [])
        {
            var blob = new FileInfo(cache.BlobPath(file.Sha256));
            if (!blob.Exists || blob.Length != file.Size || damaged.Contains(blob.FullName))
            {
                return $"'{file.Path}' is {(blob.Exists ? "damaged" : "missing")} (blob '{blob.FullName}')";
            }
        }

        return null;
    }

    /// <summary>
    /// Deletes partial downloads older than <paramref name="age"/>, and the folders that held them before downloads were
    /// kept in <c>tmp/</c> itself (one per registry, model and version) once empty; returns how many files it deleted.
    /// </summary>
    private int DeleteOldDownloads(TimeSpan age)
    {
        if (!Directory.Exists(cache.TempDirectory))
        {
            return 0;
        }

        var deleted = 0;
        foreach (var file in Directory.EnumerateFiles(cache.TempDirectory, "*", SearchOption.AllDirectories).ToList())
        {
            if (DateTime.UtcNow - File.GetLastWriteTimeUtc(file) > age)
            {
                CacheFiles.DeleteFile(file);
                deleted++;
            }
        }

        // Deepest first, so that a folder whose folders were all empty goes too.
        foreach (var folder in Directory.EnumerateDirectories(cache.TempDirectory, "*", SearchOption.AllDirectories).OrderByDescending(d => d.Length).ToList())
        {
            if (!Directory.EnumerateFileSystemEntries(folder).Any())
            {
                Directory.Delete(folder);
            }
        }

        return deleted;
    }
}
