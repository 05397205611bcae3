using MlflowMsBuild.Core.Naming;
using MlflowMsBuild.Core.Restore;

namespace MlflowMsBuild.Core.Cache;

/// <summary>
/// Puts a cached version's files into a folder (<c>obj/models/&lt;name&gt;/&lt;version&gt;/</c>, or a shared folder of the
/// runtime API): hard links to the cache's blobs, copies where the file system refuses links (another volume).
/// <list type="bullet">
/// <item>An intact folder (exactly the version's files, each with its blob's size and modification time) is kept
/// untouched, so a build that reads it while another restores never sees it change.</item>
/// <item>Anything else (a file missing, added, replaced or written to) is rebuilt in a staging folder beside it and
/// moved into place whole: readers see the old folder or the complete new one, never half a folder.</item>
/// <item>One placement per folder at a time, across processes (the inner builds of a multi-targeted project).</item>
/// </list>
/// Placed files are read-only, but as root or through a bin/ copy MSBuild hard-linked and made writable they can
/// still be written: such a write moves the blob's modification time, and <see cref="CacheEntryCheck"/> finds it
/// before the blob is placed again.
/// </summary>
public static class ModelPlacement
{
    private const string StagingMarker = ".placing-";

    /// <returns>True when the folder was (re)built, false when it was intact.</returns>
    internal static async Task<bool> PlaceAsync(CacheManifest manifest, ModelCache cache, string destination, MutexSettings mutexes, CancellationToken cancellationToken)
    {
        if (IsIntact(manifest, cache, destination))
        {
            return false;
        }

        using var placing = await CacheMutex.AcquireAsync(cache.PlacementMutexPath(destination),
            $"placing model '{manifest.Name}' version {manifest.Version} in '{destination}'", mutexes, cancellationToken).ConfigureAwait(false);
        if (IsIntact(manifest, cache, destination))
        {
            return false;
        }

        var parent = Path.GetDirectoryName(destination)!;
        var staging = Path.Combine(parent, "." + Path.GetFileName(destination) + StagingMarker + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            Fill(manifest, cache, staging);
            if (Directory.Exists(destination))
            {
                var old = staging + ".old";
                Directory.Move(destination, old);
                Directory.Move(staging, destination);
                CacheFiles.DeleteDirectory(old);
            }
            else
            {
                Directory.Move(staging, destination);
            }
        }
        finally
        {
            CacheFiles.DeleteDirectory(staging);
        }

        return true;
    }

    /// <summary>
    /// True when <paramref name="destination"/> holds exactly the version's files, each with the size and the
    /// modification time of its blob: a hard link shares both; a copy is given the blob's time when placed.
    /// </summary>
    public static bool IsIntact(CacheManifest manifest, ModelCache cache, string destination)
    {
        if (!Directory.Exists(destination) || Directory.EnumerateFiles(destination, "*", SearchOption.AllDirectories).Count() != manifest.Files.Count)
        {
            return false;
        }

        foreach (var file in manifest.Files)
        {
            var placed = new FileInfo(CachePaths.Under(destination, file.Path));
            if (!placed.Exists || placed.Length != file.Size || placed.LastWriteTimeUtc != File.GetLastWriteTimeUtc(cache.BlobPath(file.Sha256)))
            {
                return false;
            }
        }

        return true;
    }

    private static void Fill(CacheManifest manifest, ModelCache cache, string folder)
    {
        Directory.CreateDirectory(folder);
        var linked = true;
        foreach (var file in manifest.Files)
        {
            var target = CachePaths.Under(folder, file.Path);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            var blob = cache.BlobPath(file.Sha256);
            if (linked && CacheFiles.TryHardLink(blob, target))
            {
                continue;
            }

            // The first refusal decides for the rest of this version: no second failed system call per file.
            linked = false;
            File.Copy(blob, target);
            File.SetLastWriteTimeUtc(target, File.GetLastWriteTimeUtc(blob));
            CacheFiles.MakeReadOnly(target);
        }
    }

    /// <summary>
    /// Deletes the version folders under <paramref name="modelsDirectory"/> that no reference names any more, and
    /// staging folders a killed placement left (older than an hour: a running one moves its folder in within seconds).
    /// </summary>
    public static void RemoveOthers(string modelsDirectory, IEnumerable<ModelReference> keep)
    {
        // Strings, not tuples: a set of value tuples is JIT-compiled in every build process (issue 10, warm restore time).
        var keepFolders = keep.Select(k => ModelFolderName.Of(k.Name) + "/" + k.VersionSpec).ToHashSet(StringComparer.Ordinal);
        if (!Directory.Exists(modelsDirectory))
        {
            return;
        }

        foreach (var modelDirectory in Directory.EnumerateDirectories(modelsDirectory))
        {
            var name = Path.GetFileName(modelDirectory);
            foreach (var versionDirectory in Directory.EnumerateDirectories(modelDirectory))
            {
                var version = Path.GetFileName(versionDirectory);
                var staging = version.Contains(StagingMarker, StringComparison.Ordinal);
                if (staging ? DateTime.UtcNow - Directory.GetLastWriteTimeUtc(versionDirectory) > TimeSpan.FromHours(1) : !keepFolders.Contains(name + "/" + version))
                {
                    CacheFiles.DeleteDirectory(versionDirectory);
                }
            }

            if (!Directory.EnumerateFileSystemEntries(modelDirectory).Any())
            {
                Directory.Delete(modelDirectory);
            }
        }
    }
}
