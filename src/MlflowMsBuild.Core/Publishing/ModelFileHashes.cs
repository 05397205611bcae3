using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.IO;

namespace MlflowMsBuild.Core.Publishing;

/// <summary>
/// The SHA-256 of each model file for the content hash, computed on a thread of its own while the publication
/// uploads the same files: each file is read once here, one after the other (<see cref="Sha256Hex.OfAsync"/>).
/// </summary>
internal static class ModelFileHashes
{
    /// <summary>
    /// Starts hashing <paramref name="files"/>; the task gives (artifact path, lower-case hex SHA-256) in their order.
    /// It fails with MLF4013 when a file can no longer be read or its size is not the one collected, and is cancelled
    /// with <paramref name="cancellationToken"/>.
    /// </summary>
    public static Task<IReadOnlyList<(string ArtifactPath, string Sha256)>> Start(
        string modelName, IReadOnlyList<(ModelFile File, string ArtifactPath)> files, CancellationToken cancellationToken) =>
        Task.Run(async () =>
        {
            var hashes = new List<(string ArtifactPath, string Sha256)>(files.Count);
            foreach (var (file, artifactPath) in files)
            {
                hashes.Add((artifactPath, await HashAsync(modelName, file, cancellationToken).ConfigureAwait(false)));
            }

            return (IReadOnlyList<(string, string)>)hashes;
        }, cancellationToken);

    private static async Task<string> HashAsync(string modelName, ModelFile file, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = new FileStream(file.FullPath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
            var sha256 = await Sha256Hex.OfAsync(stream, cancellationToken).ConfigureAwait(false);
            if (stream.Position != file.Size)
            {
                throw new MlflowException(MlfError.ModelFileChanged, file.FullPath, modelName, $"{file.Size} bytes when collected, {stream.Position} when hashed");
            }

            return sha256;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MlflowException(MlfError.ModelFileChanged, e, file.FullPath, modelName, e.Message);
        }
    }
}
