namespace MlflowMsBuild.Core.IO;

/// <summary>Thrown by <see cref="BoundedReadStream"/> once its source gave more than its limit.</summary>
internal sealed class StreamTooLongException(long limit) : Exception($"the body is longer than {limit} bytes")
{
    public long Limit { get; } = limit;
}

/// <summary>
/// Reads <paramref name="inner"/> and throws <see cref="StreamTooLongException"/> once more than
/// <paramref name="limit"/> bytes came: a body without Content-Length that never ends costs at most the limit.
/// </summary>
internal sealed class BoundedReadStream(Stream inner, long limit) : Stream
{
    private long read;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => read;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, Allowed(count)));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer[..Allowed(buffer.Length)], cancellationToken).ConfigureAwait(false));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

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

    /// <summary>Asks for at most one byte past the limit, so that a body of exactly the limit still ends normally.</summary>
    private int Allowed(int count) => limit - read >= count ? count : (int)(limit - read + 1);

    private int Count(int got)
    {
        read += got;
        return read > limit ? throw new StreamTooLongException(limit) : got;
    }
}
