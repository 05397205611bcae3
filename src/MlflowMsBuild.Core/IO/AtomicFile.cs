using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using MlflowMsBuild.Core.IO;

namespace MlflowMsBuild.Core.IO;

/// <summary>Writes files so that readers see either nothing or the whole content, never a part.</summary>
internal static class AtomicFile
{
    /// <summary>Replaces <paramref name="path"/> with <paramref name="value"/> serialized as JSON.</summary>
    public static void WriteJson<T>(string path, T value, JsonTypeInfo<T> typeInfo)
    {
        var temp = WriteTemp(path, value, typeInfo);
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Replaces <paramref name="path"/> with <paramref name="content"/>, creating its folder when needed.</summary>
    public static void WriteBytes(string path, ReadOnlySpan<byte> content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            stream.Write(content);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }

    /// <summary>
    /// Creates <paramref name="path"/> only if it does not exist yet; returns false when another writer got there
    /// first. The exclusive step is a hard link on Unix, so two processes can never both succeed.
    /// </summary>
    public static bool TryCreateJson<T>(string path, T value, JsonTypeInfo<T> typeInfo)
    {
        var temp = WriteTemp(path, value, typeInfo);
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

    public static T ReadJson<T>(string path, JsonTypeInfo<T> typeInfo)
    {
        using var stream = File.OpenRead(path);
        return JsonSerializer.Deserialize(stream, typeInfo)
            ?? throw new JsonException("the file holds JSON null");
    }

    private static string WriteTemp<T>(string path, T value, JsonTypeInfo<T> typeInfo)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(stream, value, typeInfo);
            stream.Flush(flushToDisk: true);
        }

        return temp;
    }
}
