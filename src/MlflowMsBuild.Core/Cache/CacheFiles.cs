using MlflowMsBuild.Core.IO;
using MlflowMsBuild.Core.Restore;
using MlflowMsBuild.Core.Versions;

namespace MlflowMsBuild.Core.Cache;

/// <summary>File-system operations of the cache: hard links, read-only files, and deleting trees that hold them.</summary>
internal static class CacheFiles
{
    /// <summary>Creates <paramref name="link"/> as a hard link to <paramref name="existing"/>; false where the file system refuses (another volume, no support, too many links).</summary>
    public static bool TryHardLink(string existing, string link) =>
        HardLink.TryCreate(existing, link, out _);

    /// <summary>Makes a file read-only for everyone (the mode 0444 on Unix, the ReadOnly attribute on Windows).</summary>
    public static void MakeReadOnly(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            File.SetAttributes(path, File.GetAttributes(path) | FileAttributes.ReadOnly);
        }
        else
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }
    }

    public static bool IsReadOnly(string path) =>
        OperatingSystem.IsWindows()
            ? File.GetAttributes(path).HasFlag(FileAttributes.ReadOnly)
            : (File.GetUnixFileMode(path) & (UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) == 0;

    /// <summary>Deletes a file even when it is read-only (Windows refuses otherwise); a missing file is fine.</summary>
    public static void DeleteFile(string path)
    {
        if (OperatingSystem.IsWindows() && File.Exists(path))
        {
            File.SetAttributes(path, FileAttributes.Normal);
        }

        File.Delete(path);
    }

    /// <summary>Deletes a folder and everything in it, read-only files included; a missing folder is fine.</summary>
    public static void DeleteDirectory(string path)
    {
        if (!Directory.Exists(path))
        {
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            foreach (var file in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories))
            {
                File.SetAttributes(file, FileAttributes.Normal);
            }
        }

        Directory.Delete(path, recursive: true);
    }
}
