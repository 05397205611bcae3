using System.Buffers;
using System.Net.Http;
using System.Security.Cryptography;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Registry;
using MlflowMsBuild.Core.Restore;
using MlflowMsBuild.Core.Versions;

namespace MlflowMsBuild.Core.Cache;

/// <summary>
/// Downloads one file of a model version into the cache's <c>tmp/</c> folder, hashing it while it streams, with
/// bounded memory (two buffers). A transfer that breaks off (reset, stall, truncated body) is resumed from the bytes
/// already on disk with an HTTP Range request where the server answers 206, and restarted where it answers 200.
/// The partial file has a fixed name per (entry, file), so a restore killed half-way is resumed by the next one;
/// the entry's lock keeps it to one writer. The caller checks the result and moves it into place.
/// </summary>
internal sealed class FileDownload(IModelRegistry registry, ModelVersionInfo version, ModelFileInfo file, string partialPath, RestoreOptions options, TransferProgress progress)
{
    private const int BufferSize = 1024 * 1024;

    /// <returns>The sha256 of the complete file and the bytes received over the network by this call.</returns>
    public async Task<(string Sha256, long Received)> RunAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(partialPath)!);
        var have = File.Exists(partialPath) ? new FileInfo(partialPath).Length : 0;
        if (have > 0 && (file.Size < 0 || have > file.Size))
        {
            File.Delete(partialPath);
            have = 0;
        }

        progress.Expect(Math.Max(file.Size, have));
        progress.Add(have);
        long received = 0;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var (sha256, got) = await AttemptAsync(have, cancellationToken).ConfigureAwait(false);
                return (sha256, received + got);
            }
            catch (TransferBrokenException broken)
            {
                received += broken.Received;
                have = File.Exists(partialPath) ? new FileInfo(partialPath).Length : 0;
                if (attempt >= options.DownloadAttempts)
                {
                    throw new MlflowException(MlfError.DownloadInterrupted, broken.InnerException, file.Path, version.Name, version.Version,
                        registry.Descriptor.DisplayName, attempt, broken.InnerException?.Message ?? broken.Message);
                }

                options.Log?.Invoke($"The download of '{file.Path}' of model '{version.Name}' version {version.Version} broke off " +
                    $"({broken.InnerException?.Message}); trying again from byte {have} (attempt {attempt + 1} of {options.DownloadAttempts}).");
                var delay = options.RetryDelay.TotalMilliseconds * Math.Pow(2, attempt - 1);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(delay, 30_000)), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<(string Sha256, long Received)> AttemptAsync(long have, CancellationToken cancellationToken)
    {
        await using var target = new FileStream(partialPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        if (have == file.Size && file.Size >= 0)
        {
            // Complete on disk already (the previous restore died before moving it): only the hash is missing.
            await HashPrefixAsync(target, hash, have, cancellationToken).ConfigureAwait(false);
            return (Hex(hash), 0);
        }

        FileRead read;
        try
        {
            read = await registry.OpenFileFromAsync(version, file, have, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or IOException && e is not FileNotFoundException and not DirectoryNotFoundException
            && !cancellationToken.IsCancellationRequested)
        {
            throw new TransferBrokenException(e, 0);
        }

        await using (read.Content)
        {
            if (read.Offset != have)
            {
                // The server sent the file from another byte (from 0 when it ignores Range): start over.
                progress.Add(-have);
                have = 0;
                if (read.Offset != 0)
                {
                    target.SetLength(0);
                    throw new TransferBrokenException(new IOException($"the server answered a range request from byte {read.Offset}"), 0);
                }
            }

            target.SetLength(have);
            await HashPrefixAsync(target, hash, have, cancellationToken).ConfigureAwait(false);
            using var transfer = progress.Transfer();
            var received = await CopyAsync(read.Content, target, hash, cancellationToken).ConfigureAwait(false);
            await target.FlushAsync(cancellationToken).ConfigureAwait(false);
            return (Hex(hash), received);
        }
    }

    /// <summary>Streams <paramref name="source"/> to the end of <paramref name="target"/>: the next read runs while the last block is hashed and written.</summary>
    private async Task<long> CopyAsync(Stream source, FileStream target, IncrementalHash hash, CancellationToken cancellationToken)
    {
        // Plain arrays, not pooled ones: a read still in flight when a write fails must not write into a reused buffer.
        byte[] current = new byte[BufferSize], next = new byte[BufferSize];
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        long received = 0;
        try
        {
            var pending = ReadAsync(source, current, stall, cancellationToken);
            while (true)
            {
                var count = await pending.ConfigureAwait(false);
                if (count == 0)
                {
                    return received;
                }

                pending = ReadAsync(source, next, stall, cancellationToken);
                hash.AppendData(current, 0, count);
                await target.WriteAsync(current.AsMemory(0, count), cancellationToken).ConfigureAwait(false);
                received += count;
                progress.Add(count);
                (current, next) = (next, current);
            }
        }
        catch (TransferBrokenException broken)
        {
            throw new TransferBrokenException(broken.InnerException!, received);
        }
    }

    /// <summary>One read, with <see cref="RestoreOptions.ReadTimeout"/> as the longest silence; network failures become <see cref="TransferBrokenException"/>.</summary>
    private async Task<int> ReadAsync(Stream source, byte[] buffer, CancellationTokenSource stall, CancellationToken cancellationToken)
    {
        stall.CancelAfter(options.ReadTimeout);
        try
        {
            return await source.ReadAsync(buffer.AsMemory(0, BufferSize), stall.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TransferBrokenException(new TimeoutException($"no data for {options.ReadTimeout.TotalSeconds:0} s"), 0);
        }
        catch (Exception e) when (e is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            throw new TransferBrokenException(e, 0);
        }
    }

    private static async Task HashPrefixAsync(FileStream target, IncrementalHash hash, long length, CancellationToken cancellationToken)
    {
        target.Position = 0;
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            long left = length;
            while (left > 0)
            {
                var read = await target.ReadAsync(buffer.AsMemory(0, (int)Math.Min(BufferSize, left)), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                hash.AppendData(buffer, 0, read);
                left -= read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        target.Position = length;
    }

    private static string Hex(IncrementalHash hash) => IO.Sha256Hex.Format(hash.GetHashAndReset());

    /// <summary>The network transfer broke off after <see cref="Received"/> bytes; the bytes on disk are kept.</summary>
    private sealed class TransferBrokenException(Exception inner, long received) : Exception(inner.Message, inner)
    {
        public long Received { get; } = received;
    }
}
