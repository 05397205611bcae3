using System.IO.Compression;

namespace Classifier;

/// <summary>Makes a zip file byte-identical across runs by giving every entry the same timestamp.</summary>
public static class DeterministicZip
{
    private static readonly DateTimeOffset FixedTimestamp = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static void NormalizeTimestamps(string zipPath)
    {
        using var archive = ZipFile.Open(zipPath, ZipArchiveMode.Update);
        foreach (var entry in archive.Entries)
        {
            entry.LastWriteTime = FixedTimestamp;
        }
    }
}
