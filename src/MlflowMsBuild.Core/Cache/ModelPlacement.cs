using System.Globalization;
using MlflowMsBuild.Core.IO;
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
/// moved into place whole (on Linux by one exchange of names, elsewhere by two renames): readers see the old folder or
/// the complete new one, never half a folder. The replaced folder stays, under a dot-name, for an hour, so that a reader
/// that opened it before the swap still sees all of it.</item>
/// <item>One placement per folder at a time, across processes (the inner builds of a multi-targeted project).</item>
/// </list>
/// Placed files are read-only, but as root or through a bin/ copy MSBuild hard-linked and made writable they can
/// still be written: such a write moves the blob's modification time, and <see cref="CacheEntryCheck"/> finds it
/// before the blob is placed again.
/// </summary>
public static class ModelPlacement
{
    private const string StagingMarker = ".placing-";

    /// <summary>Marks a folder a placement replaced; the UTC ticks of the replacement follow it.</summary>
    private const string ReplacedMarker = ".replaced-";

    private static readonly TimeSpan StaleAfter = TimeSpan.FromHours(1);

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
        RemoveStale(parent, Path.GetFileName(destination));
        var staging = Path.Combine(parent, "." + Path.GetFileName(destination) + StagingMarker + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            Fill(manifest, cache, staging);
            if (Directory.Exists(destination))
            {
                // The replaced folder is kept for an hour under a name of its own: a reader that opened it before the
                // swap keeps seeing all of it (RemoveStale, RemoveOthers delete it later).
                var replaced = Path.Combine(parent, "." + Path.GetFileName(destination) + ReplacedMarker + DateTime.UtcNow.Ticks.ToString(CultureInfo.InvariantCulture));
                if (DirectorySwap.TryExchange(staging, destination))
                {
                    Directory.Move(staging, replaced);
                }
                else
                {
                    Directory.Move(destination, replaced);
                    Directory.Move(staging, destination);
                }
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
    public static bool IsIntact(CacheManifest manifest, ModelCache cache, string destination) => IsIntact(manifest.Files, cache, destination);

    /// <inheritdoc cref="IsIntact(CacheManifest, ModelCache, string)"/>
    public static bool IsIntact(IReadOnlyList<CacheManifestFile> files, ModelCache cache, string destination)
    {
        if (!Directory.Exists(destination) || Directory.EnumerateFiles(destination, "*", SearchOption.AllDirectories).Count() != files.Count)
        {
            return false;
        }

        foreach (var file in files)
        {
            var placed = new FileInfo(CachePaths.Under(destination, file.Path));
            var blob = cache.BlobPath(file.Sha256);
            if (!placed.Exists || placed.Length != file.Size || placed.LastWriteTimeUtc != File.GetLastWriteTimeUtc(blob) || IsOtherLinkedFile(placed.FullName, blob))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// True when <paramref name="placed"/> is a hard link, but not to <paramref name="blob"/>: another placed file moved
    /// there (two files of one size downloaded in the same clock tick share their modification time too). A file with
    /// one name is a copy (a volume that refuses links), checked by size and time only.
    /// </summary>
    private static bool IsOtherLinkedFile(string placed, string blob) =>
        FileIdentity.SameFile(placed, blob) == false && FileIdentity.Of(placed) is { Links: > 1 };

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
    /// Deletes the version folders under <paramref name="modelsDirectory"/> that no reference names any more, and the
    /// staging and replaced folders over an hour old (see <see cref="IsStale"/>).
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
                if (version.StartsWith('.') ? IsStale(versionDirectory) : !keepFolders.Contains(name + "/" + version))
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

    /// <summary>Deletes the staging and replaced folders of <paramref name="name"/> in <paramref name="parent"/> that are over an hour old.</summary>
    private static void RemoveStale(string parent, string name)
    {
        if (!Directory.Exists(parent))
        {
            return;
        }

        foreach (var folder in Directory.EnumerateDirectories(parent, "." + name + ".*"))
        {
            if (IsStale(folder))
            {
                CacheFiles.DeleteDirectory(folder);
            }
        }
    }

    /// <summary>
    /// A staging folder a killed placement left, over an hour old (a running one moves its folder in within seconds),
    /// or a replaced folder over an hour old (by the time in its name: its own time is that of its files).
    /// </summary>
    private static bool IsStale(string folder)
    {
        var name = Path.GetFileName(folder);
        var replaced = name.LastIndexOf(ReplacedMarker, StringComparison.Ordinal);
        if (replaced >= 0)
        {
            return !long.TryParse(name.AsSpan(replaced + ReplacedMarker.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                || ticks < 0 || ticks > DateTime.MaxValue.Ticks || DateTime.UtcNow - new DateTime(ticks, DateTimeKind.Utc) > StaleAfter;
        }

        return name.Contains(StagingMarker, StringComparison.Ordinal) && DateTime.UtcNow - Directory.GetLastWriteTimeUtc(folder) > StaleAfter;
    }
}
