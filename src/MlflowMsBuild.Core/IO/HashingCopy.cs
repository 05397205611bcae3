using System.Buffers;
using System.Security.Cryptography;

namespace MlflowMsBuild.Core.IO;

/// <summary>Copies a stream while hashing it, in one pass and with a fixed buffer whatever the size.</summary>
public static class HashingCopy
{
    /// <summary>As <see cref="Cache.FileDownload"/>: larger blocks cost more kernel time per byte written.</summary>
    private const int BufferSize = 128 * 1024;

    /// <returns>The number of bytes copied and their sha256 as lower-case hex.</returns>
    public static async Task<(long Size, string Sha256)> CopyAsync(Stream source, Stream destination, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        long total = 0;
        try
        {
            int read;
            while ((read = await source.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken).ConfigureAwait(false)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                total += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return (total, Sha256Hex.Format(hash.GetHashAndReset()));
    }

    public static async Task<string> HashFileAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        return await Sha256Hex.OfAsync(stream, cancellationToken).ConfigureAwait(false);
    }
}
