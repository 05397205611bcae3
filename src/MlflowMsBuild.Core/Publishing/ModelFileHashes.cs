using System.Buffers;
using System.Security.Cryptography;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.IO;

namespace MlflowMsBuild.Core.Publishing;

/// <summary>
/// The SHA-256 of each model file for the content hash, computed on a thread of its own while the publication
/// uploads the same files: each file is read once here, one after the other, in 1 MiB blocks.
/// </summary>
internal static class ModelFileHashes
{
    private const int BlockSize = 1 << 20;

    /// <summary>
    /// Starts hashing <paramref name="files"/>; the task gives (artifact path, lower-case hex SHA-256) in their order.
    /// It fails with MLF4013 when a file can no longer be read or its size is not the one collected, and is cancelled
    /// with <paramref name="cancellationToken"/>.
    /// </summary>
    public static Task<IReadOnlyList<(string ArtifactPath, string Sha256)>> Start(
        string modelName, IReadOnlyList<(ModelFile File, string ArtifactPath)> files, CancellationToken cancellationToken) =>
        Task.Factory.StartNew(
            () => (IReadOnlyList<(string, string)>)files.Select(f => (f.ArtifactPath, Hash(modelName, f.File, cancellationToken))).ToList(),
            cancellationToken,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

    private static string Hash(string modelName, ModelFile file, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BlockSize);
        try
        {
            using var stream = new FileStream(file.FullPath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
            using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long read = 0;
            int count;
            while ((count = stream.Read(buffer, 0, BlockSize)) > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                sha256.AppendData(buffer, 0, count);
                read += count;
            }

            if (read != file.Size)
            {
                throw new MlflowException(MlfError.ModelFileChanged, file.FullPath, modelName, $"{file.Size} bytes when collected, {read} when hashed");
            }

            return Sha256Hex.Format(sha256.GetHashAndReset());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MlflowException(MlfError.ModelFileChanged, e, file.FullPath, modelName, e.Message);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
