using MlflowMsBuild.Core.Cache;
using MlflowMsBuild.Core.IO;

namespace MlflowMsBuild.Core.Resolution;

/// <summary>The files of a model folder given by its path, described as a cache manifest describes a version's files.</summary>
public static class ModelFolderFiles
{
    /// <summary>
    /// Every file under <paramref name="directory"/>, sub-folders included: path relative to it with '/' separators,
    /// size in bytes, sha256 of the bytes read now; sorted by path (ordinal), as a manifest lists them.
    /// </summary>
    public static async Task<IReadOnlyList<CacheManifestFile>> ListAsync(string directory, CancellationToken cancellationToken)
    {
        var files = new List<CacheManifestFile>();
        foreach (var path in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
        {
            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
            await using (stream.ConfigureAwait(false))
            {
                files.Add(new CacheManifestFile
                {
                    Path = Path.GetRelativePath(directory, path).Replace(Path.DirectorySeparatorChar, '/'),
                    Size = stream.Length,
                    Sha256 = await Sha256Hex.OfAsync(stream, cancellationToken).ConfigureAwait(false),
                });
            }
        }

        files.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return files;
    }
}
