using MlflowMsBuild.Core.Cache;
using MlflowMsBuild.Core.IO;
using MlflowMsBuild.Core.Naming;
using MlflowMsBuild.Core.Registry;
using MlflowMsBuild.Core.Restore;

namespace MlflowMsBuild.Core.Resolution;

/// <summary>
/// The cache's own folder of each version's files, where <see cref="ModelResolver"/> (and so <c>mlflow-models pull</c>)
/// puts a model when the caller names no folder: <c>&lt;cache&gt;/models/&lt;registry key&gt;/&lt;name&gt;/&lt;version&gt;/</c>,
/// hard links to the blobs (read-only, no extra disk). A folder is moved into place whole, once complete, and is
/// replaced only when it no longer holds exactly the version's files, so programs reading it are never disturbed.
/// A folder whose version was pruned from the cache is removed by <see cref="RemoveOrphansAsync"/>.
/// </summary>
public static class SharedModelFolders
{
    public const string FolderName = "models";

    private const string StagingFolderName = ".staging";

    public static string PathOf(ModelCache cache, string registryKey, string name, string version) =>
        Path.Combine(cache.Root, FolderName, registryKey, ModelFolderName.Of(name), version);

    /// <summary>
    /// True when <paramref name="folder"/> holds exactly the version's files, each the same size and modification time as
    /// its blob (<see cref="ModelPlacement.IsIntact(IReadOnlyList{CacheManifestFile}, ModelCache, string)"/>): a folder
    /// whose files were changed, or whose blobs were downloaded again after damage, is not (issue 10: the sizes alone
    /// kept a file overwritten in place with the same length).
    /// </summary>
    public static bool Holds(ModelCache cache, string folder, IReadOnlyList<CacheManifestFile> files) => ModelPlacement.IsIntact(files, cache, folder);

    /// <summary>
    /// Removes the folders of versions the cache no longer holds (after a prune or repair) and staging folders left by
    /// killed processes; holds the cache lock exclusively, as a prune does. Returns the version folders removed.
    /// </summary>
    public static async Task<int> RemoveOrphansAsync(ModelCache cache, MutexSettings? locks = null, CancellationToken cancellationToken = default)
    {
        var root = Path.Combine(cache.Root, FolderName);
        if (!Directory.Exists(root))
        {
            return 0;
        }

        using var exclusive = await CacheMutex.AcquireAsync(cache.CacheMutexPath, "removing model folders of pruned versions", locks ?? new MutexSettings(), cancellationToken).ConfigureAwait(false);
        var removed = 0;
        foreach (var staging in EnumerateDirectories(Path.Combine(root, StagingFolderName)))
        {
            // A resolver moves its staging folder into place seconds after creating it: an old one was left by a killed process.
            if (DateTime.UtcNow - Directory.GetLastWriteTimeUtc(staging) > TimeSpan.FromHours(1))
            {
                CacheFiles.DeleteDirectory(staging);
            }
        }

        foreach (var registry in EnumerateDirectories(root).Where(d => Path.GetFileName(d) != StagingFolderName))
        {
            foreach (var model in EnumerateDirectories(registry))
            {
                foreach (var version in EnumerateDirectories(model))
                {
                    if (!File.Exists(cache.ManifestPathInFolder(Path.GetFileName(registry), Path.GetFileName(model), Path.GetFileName(version))))
                    {
                        CacheFiles.DeleteDirectory(version);
                        removed++;
                    }
                }
            }
        }

        return removed;
    }

    /// <summary>
    /// Finds the shared folders of usable versions that no longer hold exactly the version's files (<see cref="Holds"/>:
    /// a file written, added or removed), which <c>cache verify</c> reports; with <paramref name="repair"/>, deletes them
    /// under the cache lock held exclusively (the next resolution places them again). Returns the problems and the
    /// folders deleted.
    /// </summary>
    public static async Task<(IReadOnlyList<CacheProblem> Problems, int Removed)> VerifyAsync(ModelCache cache, IEnumerable<CacheEntry> entries, bool repair,
        MutexSettings? locks = null, CancellationToken cancellationToken = default)
    {
        var problems = new List<CacheProblem>();
        foreach (var entry in entries.Where(e => e.Damage is null))
        {
            var folder = PathOf(cache, entry.RegistryKey, entry.Name, entry.Version);
            if (Directory.Exists(folder) && cache.Lookup(entry.RegistryKey, entry.Name, entry.Version).Manifest is { } manifest
                && (!Holds(cache, folder, manifest.Files) || await HoldsOtherBytesAsync(cache, folder, manifest.Files, cancellationToken).ConfigureAwait(false)))
            {
                problems.Add(new CacheProblem(folder, $"model '{entry.Name}' version {entry.Version}: its shared folder does not hold exactly the version's files (one was changed, added or removed)"));
            }
        }

        if (!repair || problems.Count == 0)
        {
            return (problems, 0);
        }

        using var exclusive = await CacheMutex.AcquireAsync(cache.CacheMutexPath, "repairing the model cache", locks ?? new MutexSettings(), cancellationToken).ConfigureAwait(false);
        foreach (var problem in problems)
        {
            CacheFiles.DeleteDirectory(problem.Path);
        }

        return (problems, problems.Count);
    }

    /// <summary>
    /// True when a file of <paramref name="folder"/> that is not its blob itself (a copy, or a file put in its place
    /// with the blob's size and time) hashes to other bytes; a hard link to the blob is the blob, which verify hashes.
    /// </summary>
    private static async Task<bool> HoldsOtherBytesAsync(ModelCache cache, string folder, IReadOnlyList<CacheManifestFile> files, CancellationToken cancellationToken)
    {
        foreach (var file in files)
        {
            var placed = CachePaths.Under(folder, file.Path);
            if (FileIdentity.SameFile(placed, cache.BlobPath(file.Sha256)) == true)
            {
                continue;
            }

            if (await HashingCopy.HashFileAsync(placed, cancellationToken).ConfigureAwait(false) != file.Sha256)
            {
                return true;
            }
        }

        return false;
    }

    internal static string NewStagingDirectory(ModelCache cache) =>
        Path.Combine(cache.Root, FolderName, StagingFolderName, Guid.NewGuid().ToString("N"));

    /// <summary>Makes the version's shared folder hold <paramref name="restored"/>'s files: keeps an intact one, else moves the staged one in.</summary>
    internal static async Task<string> InstallAsync(ModelCache cache, RegistryDescriptor registry, RestoredModel restored, MutexSettings locks, CancellationToken cancellationToken)
    {
        var folder = PathOf(cache, registry.Key, restored.Name, restored.Version);
        using var shared = await CacheMutex.AcquireSharedAsync(cache.CacheMutexPath, "placing models", locks, cancellationToken).ConfigureAwait(false);
        using var entry = await CacheMutex.AcquireAsync(cache.EntryMutexPath(registry.Key, restored.Name, restored.Version),
            $"placing model '{restored.Name}' version {restored.Version}", locks, cancellationToken).ConfigureAwait(false);
        if (Holds(cache, folder, restored.Files) && LinksTheSameBlobs(cache, folder, restored))
        {
            return folder;
        }

        CacheFiles.DeleteDirectory(folder);
        Directory.CreateDirectory(Path.GetDirectoryName(folder)!);
        Directory.Move(restored.Directory, folder);
        return folder;
    }

    /// <summary>
    /// False when a file the restore just linked to its blob is, in <paramref name="folder"/>, another file: one put in
    /// its place with the blob's size and time. The shared folder lies in the cache, beside the blobs, so where the
    /// staged file is a link the shared one must be that link too (one stat each; nothing to compare for copies).
    /// </summary>
    private static bool LinksTheSameBlobs(ModelCache cache, string folder, RestoredModel restored)
    {
        foreach (var file in restored.Files)
        {
            var blob = cache.BlobPath(file.Sha256);
            if (FileIdentity.SameFile(CachePaths.Under(restored.Directory, file.Path), blob) == true
                && FileIdentity.SameFile(CachePaths.Under(folder, file.Path), blob) != true)
            {
                return false;
            }
        }

        return true;
    }

    private static IEnumerable<string> EnumerateDirectories(string path) =>
        Directory.Exists(path) ? Directory.EnumerateDirectories(path).ToList() : [];
}
