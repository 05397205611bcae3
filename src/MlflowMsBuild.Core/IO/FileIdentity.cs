using System.Runtime.InteropServices;

namespace MlflowMsBuild.Core.IO;

/// <summary>
/// Which file a path names (device and inode) and how many names it has, which .NET has no API for: Linux's
/// <c>statx(2)</c>, whose <c>struct statx</c> has one layout on every architecture (glibc 2.28 and later). Null where it
/// is not available (macOS, Windows, an older C library, a file system that keeps no inode numbers): callers then
/// fall back to comparing sizes and modification times.
/// </summary>
internal static class FileIdentity
{
    private const int AtFdCwd = -100;
    private const uint StatxNlink = 0x4;
    private const uint StatxIno = 0x100;

    private static volatile bool unavailable = !OperatingSystem.IsLinux();

    /// <param name="Device">The device (major &lt;&lt; 32 | minor).</param>
    /// <param name="Inode">The inode number on that device.</param>
    /// <param name="Links">Its number of hard links.</param>
    public readonly record struct Id(ulong Device, ulong Inode, uint Links)
    {
        public bool IsSameFile(Id other) => Device == other.Device && Inode == other.Inode;
    }

    /// <summary>Whether <paramref name="path"/> and <paramref name="other"/> name one file (hard links); null when unknown.</summary>
    public static bool? SameFile(string path, string other) =>
        Of(path) is { } one && Of(other) is { } two ? one.IsSameFile(two) : null;

    /// <summary>The identity of the file <paramref name="path"/> names (symbolic links followed); null when unknown or missing.</summary>
    public static Id? Of(string path)
    {
        if (unavailable)
        {
            return null;
        }

        var buffer = new byte[256];
        try
        {
            if (Statx(AtFdCwd, path, 0, StatxIno | StatxNlink, buffer) != 0)
            {
                return null;
            }
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            unavailable = true;
            return null;
        }

        // Native byte order, as the kernel wrote it.
        if ((MemoryMarshal.Read<uint>(buffer) & StatxIno) == 0)
        {
            return null;
        }

        var inode = MemoryMarshal.Read<ulong>(buffer.AsSpan(32));
        var links = MemoryMarshal.Read<uint>(buffer.AsSpan(16));
        var device = ((ulong)MemoryMarshal.Read<uint>(buffer.AsSpan(136)) << 32) | MemoryMarshal.Read<uint>(buffer.AsSpan(140));
        return new Id(device, inode, links);
    }

    // int statx(int dirfd, const char *pathname, int flags, unsigned int mask, struct statx *statxbuf); struct statx is 256 bytes:
    // stx_mask at 0, stx_nlink at 16, stx_ino at 32, stx_dev_major at 136, stx_dev_minor at 140 (linux/stat.h).
    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int Statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, [Out] byte[] buffer);
}
