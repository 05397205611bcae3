using System.Buffers;
using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace MlflowMsBuild.TestServer.Http;

/// <summary>Streams files to the client without holding them in memory.</summary>
internal static class FileResponses
{
    private const int BufferSize = 64 * 1024;

    /// <summary>As MLflow 2.12 (Flask generator): 200, no Content-Length (chunked), Range ignored.</summary>
    /// <param name="contentDisposition">Null for <c>attachment; filename=&lt;fileName&gt;</c>.</param>
    public static async Task StreamChunkedAsync(HttpContext http, string path, string contentType, string fileName, string? contentDisposition = null)
    {
        await using var file = OpenRead(path);
        http.Response.StatusCode = 200;
        http.Response.ContentType = contentType;
        http.Response.Headers.ContentDisposition = contentDisposition ?? $"attachment; filename={fileName}";
        http.Response.Headers["X-Content-Type-Options"] = "nosniff";
        if (HttpMethods.IsHead(http.Request.Method)) return;
        await CopyAsync(file, http.Response.Body, file.Length, http.RequestAborted);
    }

    /// <summary>As a sendfile-style server (GitLab Workhorse, object storage): Content-Length, one byte range → 206.</summary>
    public static async Task StreamWithRangesAsync(HttpContext http, string path, string contentType, string? contentDisposition)
    {
        await using var file = OpenRead(path);
        var length = file.Length;
        http.Response.ContentType = contentType;
        http.Response.Headers.AcceptRanges = "bytes";
        if (contentDisposition is not null) http.Response.Headers.ContentDisposition = contentDisposition;

        long start = 0, count = length;
        var range = ParseRange(http.Request.Headers.Range.ToString(), length);
        if (range is { Satisfiable: false })
        {
            http.Response.StatusCode = 416;
            http.Response.Headers.ContentRange = $"bytes */{length}";
            http.Response.ContentLength = 0;
            return;
        }
        if (range is { } r)
        {
            (start, count) = (r.Start, r.End - r.Start + 1);
            http.Response.StatusCode = 206;
            http.Response.Headers.ContentRange = string.Create(CultureInfo.InvariantCulture, $"bytes {r.Start}-{r.End}/{length}");
        }
        else
        {
            http.Response.StatusCode = 200;
        }
        http.Response.ContentLength = count;
        if (HttpMethods.IsHead(http.Request.Method)) return;
        file.Seek(start, SeekOrigin.Begin);
        await CopyAsync(file, http.Response.Body, count, http.RequestAborted);
    }

    private static FileStream OpenRead(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1,
            FileOptions.Asynchronous | FileOptions.SequentialScan);

    private static async Task CopyAsync(Stream source, Stream target, long count, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            while (count > 0)
            {
                var read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(BufferSize, count)), cancellationToken);
                if (read == 0) break;
                await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                count -= read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private readonly record struct ByteRange(long Start, long End, bool Satisfiable);

    /// <summary>A single "bytes=a-b", "bytes=a-" or "bytes=-n" range; anything else is ignored (full body).</summary>
    private static ByteRange? ParseRange(string header, long length)
    {
        if (!header.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase)) return null;
        var spec = header[6..].Trim();
        if (spec.Contains(',')) return null;
        var dash = spec.IndexOf('-');
        if (dash < 0) return null;
        var first = spec[..dash].Trim();
        var last = spec[(dash + 1)..].Trim();
        if (first.Length == 0)
        {
            if (!long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var suffix)) return null;
            if (suffix == 0 || length == 0) return new ByteRange(0, 0, false);
            return new ByteRange(Math.Max(0, length - suffix), length - 1, true);
        }
        if (!long.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var start)) return null;
        var end = length - 1;
        if (last.Length > 0)
        {
            if (!long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out end) || end < start) return null;
            end = Math.Min(end, length - 1);
        }
        return start >= length ? new ByteRange(0, 0, false) : new ByteRange(start, end, true);
    }
}
