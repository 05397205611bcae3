using MlflowMsBuild.Core.Restore;
using MlflowMsBuild.Core.Versions;

namespace MlflowMsBuild.Core.Cache;

/// <summary>
/// Puts a cached version's files into a project's folder (<c>obj/models/&lt;name&gt;/&lt;version&gt;/</c>): hard links to
/// the cache's blobs, copies where the file system refuses links (another volume). Either way the files are
/// read-only, so a test cannot change the cache through them.
/// </summary>
public static class ModelPlacement
{
    /// <returns>True when every file is a hard link.</returns>
    internal static bool Place(CacheManifest manifest, ModelCache cache, string destination)
    {
        CacheFiles.DeleteDirectory(destination);
        Directory.CreateDirectory(destination);
        var linked = true;
        foreach (var file in manifest.Files)
        {
            var target = CachePaths.Under(destination, file.Path);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            var blob = cache.BlobPath(file.Sha256);
            if (linked && CacheFiles.TryHardLink(blob, target))
            {
                continue;
            }

            // The first refusal decides for the rest of this version: no second failed system call per file.
            linked = false;
            File.Copy(blob, target);
            CacheFiles.MakeReadOnly(target);
        }

        return linked;
    }

    /// <summary>Deletes the version folders under <paramref name="modelsDirectory"/> that no reference names any more.</summary>
    public static void RemoveOthers(string modelsDirectory, IReadOnlyCollection<(string Name, string Version)> keep)
    {
        if (!Directory.Exists(modelsDirectory))
        {
            return;
        }

        foreach (var modelDirectory in Directory.EnumerateDirectories(modelsDirectory))
        {
            var name = Path.GetFileName(modelDirectory);
            foreach (var versionDirectory in Directory.EnumerateDirectories(modelDirectory))
            {
                if (!keep.Contains((name, Path.GetFileName(versionDirectory))))
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
