using System.Buffers;

namespace MlflowMsBuild.TestServer.Storage;

/// <summary>Writes uploaded bodies to disk in a streaming, all-or-nothing way.</summary>
internal static class ArtifactFiles
{
    private const int BufferSize = 64 * 1024;

    /// <summary>
    /// Copies <paramref name="body"/> into a temporary file under <paramref name="tempDirectory"/>, then moves it to
    /// <paramref name="targetPath"/> (replacing it). A body cut short (client reset, injected fault) leaves nothing.
    /// Returns the size.
    /// </summary>
    public static async Task<long> SaveAsync(Stream body, string targetPath, string tempDirectory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(tempDirectory);
        var temp = Path.Combine(tempDirectory, Guid.NewGuid().ToString("N") + ".part");
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        long size = 0;
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
            {
                int read;
                while ((read = await body.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken)) > 0)
                {
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    size += read;
                }
            }
            Directory.CreateDirectory(Path.GetDirectoryName(targetPath)!);
            File.Move(temp, targetPath, overwrite: true);
            return size;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
