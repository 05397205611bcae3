using System.Buffers;
using System.Net.Http;
using System.Security.Cryptography;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Http;
using MlflowMsBuild.Core.Registry;
using MlflowMsBuild.Core.Restore;
using MlflowMsBuild.Core.Versions;

namespace MlflowMsBuild.Core.Cache;

/// <summary>
/// Downloads one file of a model version into the cache's <c>tmp/</c> folder, hashing it while it streams, with
/// bounded memory (two buffers), never past one byte more than the listed size. A transfer that breaks off (reset,
/// stall, truncated body) is tried again by <see cref="RetryPolicy"/> with <see cref="RestoreOptions.Retry"/>: resumed
/// from the bytes already on disk with an HTTP Range request where the server answers 206, and restarted where it
/// answers 200; the log says which, once the server has answered.
/// The partial file has a fixed name per (entry, file), so a restore killed half-way is resumed by the next one;
/// the entry's lock keeps it to one writer. The caller checks the result and moves it into place.
/// </summary>
internal sealed class FileDownload(IModelRegistry registry, ModelVersionInfo version, ModelFileInfo file, string partialPath, RestoreOptions options, TransferProgress progress)
{
    /// <summary>
    /// Blocks of 128 KiB: a 1 MiB write into the page cache cost the kernel several times more per byte than 128-256 KiB
    /// ones (issue 10, Linux 6.18: 0.66 s against 0.16 s of system time per GiB with dd; a cold 1 GiB restore spent 2-3 s
    /// of system time in the copy with 1 MiB blocks).
    /// </summary>
    private const int BufferSize = 128 * 1024;

    /// <summary>A read failure held back while the bytes read before it are written (see <see cref="ReadAsync"/>).</summary>
    private TransferBrokenException? failure;

    /// <returns>The sha256 of the complete file and the bytes received over the network by this call.</returns>
    /// <exception cref="MlflowException">MLF3008 when the transfer broke off at every attempt of <see cref="RestoreOptions.Retry"/>.</exception>
    public async Task<(string Sha256, long Received)> RunAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(partialPath)!);
        var have = OnDisk();
        if (have > 0 && (file.Size < 0 || have > file.Size))
        {
            File.Delete(partialPath);
            have = 0;
        }

        progress.Expect(Math.Max(file.Size, have));
        progress.Add(have);
        long received = 0;
        var tries = 0;
        var policy = RetryPolicy.Create<string>(options.Retry, (outcome, _) => outcome.Exception is TransferBrokenException, (outcome, next, delay) =>
        {
            var broken = (TransferBrokenException)outcome.Exception!;
            received += broken.Received;
            options.Log?.Invoke($"The download of '{file.Path}' of model '{version.Name}' version {version.Version} broke off " +
                $"({broken.InnerException?.Message}); trying again in {delay.TotalSeconds:0.##} s (attempt {next} of {options.Retry.MaxAttempts}).");
        });
        try
        {
            var sha256 = await policy.ExecuteAsync(async token =>
            {
                tries += 1;
                var (sha256, got) = await AttemptAsync(retry: tries > 1, token).ConfigureAwait(false);
                received += got;
                return sha256;
            }, cancellationToken).ConfigureAwait(false);
            return (sha256, received);
        }
        catch (TransferBrokenException broken)
        {
            throw new MlflowException(MlfError.DownloadInterrupted, broken.InnerException, file.Path, version.Name, version.Version,
                registry.Descriptor.DisplayName, tries, broken.InnerException?.Message ?? broken.Message);
        }
    }

    private long OnDisk() => File.Exists(partialPath) ? new FileInfo(partialPath).Length : 0;

    /// <param name="retry">Whether an attempt of this call broke off before, to tell where this one really starts.</param>
    private async Task<(string Sha256, long Received)> AttemptAsync(bool retry, CancellationToken cancellationToken)
    {
        failure = null;
        var have = OnDisk();
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
                target.SetLength(0);
                if (read.Offset != 0)
                {
                    throw new TransferBrokenException(new IOException($"the server answered a range request from byte {read.Offset}"), 0);
                }

                options.Log?.Invoke($"The {registry.Descriptor.DisplayName} sent '{file.Path}' of model '{version.Name}' version {version.Version} " +
                    $"from its beginning instead of byte {have} (it does not resume transfers): downloading it again from byte 0.");
                have = 0;
            }
            else if (have > 0)
            {
                options.Log?.Invoke($"Resuming the download of '{file.Path}' of model '{version.Name}' version {version.Version} from byte {have}.");
            }
            else if (retry)
            {
                options.Log?.Invoke($"Downloading '{file.Path}' of model '{version.Name}' version {version.Version} again from byte 0.");
            }

            target.SetLength(have);
            await HashPrefixAsync(target, hash, have, cancellationToken).ConfigureAwait(false);
            using var transfer = progress.Transfer();
            var received = await CopyAsync(read.Content, target, hash, have, cancellationToken).ConfigureAwait(false);
            await target.FlushAsync(cancellationToken).ConfigureAwait(false);
            return (Hex(hash), received);
        }
    }

    /// <summary>
    /// Streams <paramref name="source"/> to the end of <paramref name="target"/> (which holds <paramref name="start"/>
    /// bytes): the next read runs while the last block is written and, at the same time, hashed. Stops one byte past the listed size, so a
    /// body longer than listed (chunked, without a Content-Length) ends in the size check, not in a full disk.
    /// </summary>
    private async Task<long> CopyAsync(Stream source, FileStream target, IncrementalHash hash, long start, CancellationToken cancellationToken)
    {
        // Plain arrays, not pooled ones: a read still in flight when a write fails must not write into a reused buffer.
        // No bigger than the rest of the file (and the byte past it): 1 MiB blocks for each of many small files were
        // large-object-heap garbage that cost full collections.
        var limit = file.Size >= 0 ? file.Size + 1 - start : long.MaxValue;
        var size = (int)Math.Min(BufferSize, limit);
        byte[] current = new byte[size], next = new byte[size];
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        long received = 0;
        try
        {
            var pending = ReadAsync(source, current, limit, stall, cancellationToken);
            for (var count = await pending.ConfigureAwait(false); count > 0; count = await pending.ConfigureAwait(false))
            {
                pending = received + count < limit ? ReadAsync(source, next, limit - received - count, stall, cancellationToken) : Task.FromResult(0);
                // The write runs on a pool thread (the handle is synchronous) while this one hashes the same block.
                var write = target.WriteAsync(current.AsMemory(0, count), cancellationToken);
                try
                {
                    hash.AppendData(current, 0, count);
                }
                finally
                {
                    await write.ConfigureAwait(false);
                }

                received += count;
                progress.Add(count);
                (current, next) = (next, current);
            }

            return received;
        }
        catch (TransferBrokenException broken)
        {
            throw new TransferBrokenException(broken.InnerException!, received);
        }
    }

    /// <summary>
    /// Fills <paramref name="buffer"/> with up to <paramref name="left"/> bytes, read by read, with
    /// <see cref="RestoreOptions.ReadTimeout"/> as the longest silence before each read; stops early only at the end
    /// of the body. A chunked body arrives a chunk (tens of KiB) a read: hashing and writing whole blocks instead of
    /// each chunk saves a write, and its thread hop, per chunk. A failure after some bytes arrived returns those bytes
    /// first (they are written and counted) and is thrown by the next call. Network failures become
    /// <see cref="TransferBrokenException"/>.
    /// </summary>
    private async Task<int> ReadAsync(Stream source, byte[] buffer, long left, CancellationTokenSource stall, CancellationToken cancellationToken)
    {
        if (failure is not null)
        {
            throw failure;
        }

        var want = (int)Math.Min(buffer.Length, left);
        var filled = 0;
        while (filled < want)
        {
            stall.CancelAfter(options.ReadTimeout);
            var read = 0;
            try
            {
                read = await source.ReadAsync(buffer.AsMemory(filled, want - filled), stall.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                failure = new TransferBrokenException(new TimeoutException($"no data for {options.ReadTimeout.TotalSeconds:0} s"), 0);
            }
            catch (Exception e) when (e is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
            {
                failure = new TransferBrokenException(e, 0);
            }

            if (failure is not null)
            {
                return filled > 0 ? filled : throw failure;
            }

            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        return filled;
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
