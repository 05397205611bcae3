using System.Runtime.InteropServices;

namespace MlflowMsBuild.Core.IO;

/// <summary>
/// Exchanges the names of two folders in one step where the system can: Linux <c>renameat2(RENAME_EXCHANGE)</c>
/// (kernel 3.15, glibc 2.28; ext4, xfs, btrfs, tmpfs, overlayfs). A reader of either path then sees one folder or
/// the other, never none. .NET has no API for it.
/// </summary>
internal static class DirectorySwap
{
    private const int AtFdCwd = -100;
    private const uint RenameExchange = 2;

    /// <returns>False where the system or the file system cannot (the caller renames in two steps instead).</returns>
    public static bool TryExchange(string first, string second)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            return RenameAt2(AtFdCwd, first, AtFdCwd, second, RenameExchange) == 0;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "renameat2", SetLastError = true)]
    private static extern int RenameAt2(int oldDirectory, [MarshalAs(UnmanagedType.LPUTF8Str)] string oldPath, int newDirectory,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string newPath, uint flags);
}
