using System.Runtime.InteropServices;

namespace MlflowMsBuild.Core.IO;

/// <summary>Hard links, which .NET has no API for: the cache's blobs into obj/ and the exclusive create of <see cref="AtomicFile"/>.</summary>
internal static class HardLink
{
    /// <summary>EEXIST on Linux and macOS: the link's name is taken.</summary>
    public const int ErrnoExists = 17;

    /// <summary>Creates <paramref name="link"/> naming the file <paramref name="existing"/>; never replaces an existing name.</summary>
    /// <param name="error">errno on Unix, the Win32 error on Windows; 0 on success.</param>
    public static bool TryCreate(string existing, string link, out int error)
    {
        var created = OperatingSystem.IsWindows() ? CreateHardLinkW(link, existing, IntPtr.Zero) : Link(existing, link) == 0;
        error = created ? 0 : Marshal.GetLastPInvokeError();
        return created;
    }

    [DllImport("libc", EntryPoint = "link", SetLastError = true)]
    private static extern int Link([MarshalAs(UnmanagedType.LPUTF8Str)] string existing, [MarshalAs(UnmanagedType.LPUTF8Str)] string link);

    [DllImport("kernel32.dll", CharSet = CharSet.Unicode, SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static extern bool CreateHardLinkW(string fileName, string existingFileName, IntPtr securityAttributes);
}
