using System.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace MlflowMsBuild.TestServer.Faults;

/// <summary>Thrown once an injected reset aborted the connection; the pipeline swallows it.</summary>
internal sealed class FaultResetException() : IOException("Connection aborted by an injected fault.");

/// <summary>
/// Wraps a request or response body stream to apply a <see cref="FaultKind.Throttle"/> or <see cref="FaultKind.Reset"/>
/// fault. Reads and writes are cut into small pieces so the pacing and the reset point are exact.
/// </summary>
internal sealed class FaultStream(Stream inner, InjectedFault fault, HttpContext http) : Stream
{
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private long transferred;

    public override bool CanRead => inner.CanRead;

    public override bool CanSeek => false;

    public override bool CanWrite => inner.CanWrite;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => transferred;
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty) return 0;
        var take = await NextPieceAsync(buffer.Length, flushFirst: false, cancellationToken);
        var read = await inner.ReadAsync(buffer[..take], cancellationToken);
        transferred += read;
        await PaceAsync(cancellationToken);
        return read;
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (!buffer.IsEmpty)
        {
            var take = await NextPieceAsync(buffer.Length, flushFirst: true, cancellationToken);
            await inner.WriteAsync(buffer[..take], cancellationToken);
            transferred += take;
            buffer = buffer[take..];
            if (fault.Kind == FaultKind.Throttle)
            {
                await inner.FlushAsync(cancellationToken);
                await PaceAsync(cancellationToken);
            }
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override void Flush() => inner.Flush();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>How many bytes the next piece may carry; aborts the connection when the reset point is reached.</summary>
    private async ValueTask<int> NextPieceAsync(int wanted, bool flushFirst, CancellationToken cancellationToken)
    {
        if (fault.Kind == FaultKind.Throttle)
        {
            var throttledLeft = fault.ThrottledBytes - transferred;
            return throttledLeft <= 0 ? wanted : (int)Math.Min(Math.Min(wanted, throttledLeft), Math.Max(1, fault.BytesPerSecond / 20));
        }

        var left = fault.ResetAfterBytes - transferred;
        if (left > 0) return (int)Math.Min(wanted, left);

        if (flushFirst && transferred > 0)
        {
            // Let the bytes already written reach the client before the connection goes away.
            await inner.FlushAsync(cancellationToken);
            await Task.Delay(50, CancellationToken.None);
        }
        http.Abort();
        throw new FaultResetException();
    }

    private async Task PaceAsync(CancellationToken cancellationToken)
    {
        if (fault.Kind != FaultKind.Throttle || transferred > fault.ThrottledBytes) return;
        var due = TimeSpan.FromSeconds((double)transferred / fault.BytesPerSecond);
        var wait = due - clock.Elapsed;
        if (wait > TimeSpan.Zero) await Task.Delay(wait, cancellationToken);
    }
}
