using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using MlflowMsBuild.Core.IO;

namespace MlflowMsBuild.Core.IO;

/// <summary>Writes files so that readers see either nothing or the whole content, never a part.</summary>
internal static class AtomicFile
{
    /// <summary>
    /// Replaces <paramref name="path"/> with <paramref name="value"/> serialized as JSON. With <paramref name="flushToDisk"/>
    /// the bytes reach the disk before the name does, so a power loss leaves the old file or the whole new one; without
    /// it (files the cache can rebuild: manifests, lock owner records) a power loss may leave an empty or unreadable file,
    /// which their readers treat as missing. An fsync costs about a millisecond and blocks a thread: three per model
    /// made a cold restore of 50 small models about 10 % slower (issue 10).
    /// </summary>
    public static void WriteJson<T>(string path, T value, JsonTypeInfo<T> typeInfo, bool flushToDisk = true) =>
        WriteBytes(path, JsonSerializer.SerializeToUtf8Bytes(value, typeInfo), flushToDisk);

    /// <summary>
    /// Replaces <paramref name="path"/> with <paramref name="content"/>, creating its folder when needed;
    /// <paramref name="flushToDisk"/> as for <see cref="WriteJson{T}"/>.
    /// </summary>
    public static void WriteBytes(string path, ReadOnlySpan<byte> content, bool flushToDisk = true)
    {
        var temp = WriteTemp(path, content, flushToDisk);
        try
        {
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            // A rename that failed (the name is a folder, permissions) leaves no temporary file behind.
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>
    /// Creates <paramref name="path"/> only if it does not exist yet; returns false when another writer got there
    /// first. The exclusive step is a hard link on Unix, so two processes can never both succeed.
    /// </summary>
    public static bool TryCreateJson<T>(string path, T value, JsonTypeInfo<T> typeInfo)
    {
        var temp = WriteTemp(path, JsonSerializer.SerializeToUtf8Bytes(value, typeInfo), flushToDisk: true);
        if (OperatingSystem.IsWindows())
        {
            // MoveFileEx without MOVEFILE_REPLACE_EXISTING fails atomically when the target exists.
            try
            {
                File.Move(temp, path, overwrite: false);
                return true;
            }
            catch (IOException) when (File.Exists(path))
            {
                File.Delete(temp);
                return false;
            }
        }

        // .NET's File.Move(overwrite: false) checks and then renames, so two writers can both "win" (measured:
        // parallel publishes got the same version). link(2) fails with EEXIST when the name is taken.
        var linked = HardLink.TryCreate(temp, path, out var error);
        File.Delete(temp);
        if (linked)
        {
            return true;
        }

        return error == HardLink.ErrnoExists
            ? false
            : throw new IOException($"Could not create '{path}' (link failed with errno {error}).");
    }

    /// <summary>
    /// Reads a whole JSON file (a UTF-8 byte order mark, as some editors write, is skipped). Read at once rather than
    /// streamed: these files are small, and the stream path loads and JIT-compiles more of System.Text.Json in every
    /// build process (issue 10, warm restore time).
    /// </summary>
    public static T ReadJson<T>(string path, JsonTypeInfo<T> typeInfo) =>
        JsonSerializer.Deserialize(ReadAllJson(path), typeInfo) ?? throw new JsonException("the file holds JSON null");

    /// <summary>The bytes of a JSON file, without a UTF-8 byte order mark.</summary>
    public static byte[] ReadAllJson(string path)
    {
        var bytes = File.ReadAllBytes(path);
        return bytes.AsSpan().StartsWith(Utf8ByteOrderMark) ? bytes[Utf8ByteOrderMark.Length..] : bytes;
    }

    private static ReadOnlySpan<byte> Utf8ByteOrderMark => [0xEF, 0xBB, 0xBF];

    private static string WriteTemp(string path, ReadOnlySpan<byte> content, bool flushToDisk)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            stream.Write(content);
            if (flushToDisk)
            {
                stream.Flush(flushToDisk: true);
            }
        }

        return temp;
    }
}
