using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Naming;
using MlflowMsBuild.Core.Registry;
using MlflowMsBuild.Core.Restore;
using MlflowMsBuild.Core.Versions;

namespace MlflowMsBuild.Core.Cache;

/// <summary>Checks on names that come from a registry or a lock file before they become paths on this machine.</summary>
internal static class CachePaths
{
    /// <summary>Why <see cref="IsSafeSegment"/> refuses a version, for messages.</summary>
    public const string UnsafeSegmentReason = "a version cannot name a folder ('/', '\\', ':', '.' and '..' are refused)";

    /// <summary>Whether a version can be a file or folder name: not empty, no separators, not "." or "..".</summary>
    public static bool IsSafeSegment(string segment) =>
        segment.Length > 0 && segment.IndexOfAny(['/', '\\', ':', '\0']) < 0 && segment is not "." and not "..";

    /// <summary>MLF1003 unless <paramref name="segment"/>, a version a registry or a lock file named, <see cref="IsSafeSegment"/>.</summary>
    public static void ThrowIfUnsafeSegment(string name, string version, string segment)
    {
        if (!IsSafeSegment(segment))
        {
            throw new MlflowException(MlfError.VersionSpecInvalid, name, version, "model cache", UnsafeSegmentReason);
        }
    }

    /// <summary>
    /// Before anything is downloaded, whatever the registry: every listed path is canonical (MLF2008 naming the
    /// registry, see <see cref="RelativePathRules"/>), every file has a size, the bound of its download (MLF2009), and
    /// no path is listed twice (MLF3002).
    /// </summary>
    public static void ThrowIfUnsafe(IEnumerable<ModelFileInfo> files, RegistryDescriptor registry, ModelVersionInfo version, string manifestPath)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var owner = $"model '{version.Name}' version {version.Version}";
        foreach (var file in files)
        {
            if (RelativePathRules.Problem(file.Path) is { } problem)
            {
                throw new MlflowException(MlfError.ArtifactPathNotCanonical, registry.DisplayName, RelativePathRules.Printable(file.Path), owner, problem);
            }

            if (file.Size < 0)
            {
                throw new MlflowException(MlfError.ArtifactSizeMissing, registry.DisplayName, file.Path, owner);
            }

            if (!seen.Add(file.Path))
            {
                throw new MlflowException(MlfError.CacheEntryCorrupt, version.Name, version.Version,
                    $"the registry lists '{file.Path}' twice (paths differing only in case cannot be restored everywhere)", manifestPath);
            }
        }
    }

    /// <summary>The full path of <paramref name="relativePath"/> ('/'-separated) under <paramref name="root"/>, refusing any that leaves it.</summary>
    public static string Under(string root, string relativePath)
    {
        if (!IsSafe(relativePath))
        {
            throw new IOException($"The file path '{relativePath}' leaves the folder '{root}'.");
        }

        return Path.Combine([root, .. relativePath.Split('/')]);
    }

    private static bool IsSafe(string path) => RelativePathRules.Problem(path) is null;
}
