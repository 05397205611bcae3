namespace MlflowMsBuild.Core.Tests.TestUtilities;

/// <summary>
/// A body that goes on after the real one, as a chunked answer without Content-Length can: reads
/// <paramref name="inner"/> to its end, then gives bytes forever, counting them in <see cref="TailRead"/>.
/// </summary>
internal sealed class EndlessTailStream(Stream inner) : Stream
{
    private bool innerEnded;

    /// <summary>Bytes given after the end of the real body.</summary>
    public long TailRead { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (!innerEnded)
        {
            var read = inner.Read(buffer);
            if (read > 0 || buffer.IsEmpty)
            {
                return read;
            }

            innerEnded = true;
        }

        buffer.Fill(0x5A);
        TailRead += buffer.Length;
        return buffer.Length;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
