using System.Net.Http.Headers;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Http;
using MlflowMsBuild.Core.Naming;

namespace MlflowMsBuild.Core.RestApi;

/// <summary>One file found by a listing: its '/'-separated path relative to the listed folder, and its size.</summary>
public sealed record ArtifactFile(string Path, long Size);

public sealed partial class MlflowRestClient
{
    /// <summary>
    /// Every file under <paramref name="location"/>, recursively. Handles MLflow's per-folder listings of
    /// basenames and GitLab's single flat listing of <c>dir%2Ffile</c> names alike. Bounded by
    /// <see cref="RegistryServerOptions.Listing"/>; every entry is checked before anything is downloaded.
    /// </summary>
    /// <exception cref="MlflowException">
    /// MLF2007 past a bound of <see cref="ListingLimits"/>; MLF2008 for an entry that is not a canonical relative path
    /// (<see cref="RelativePathRules"/>); MLF2009 for a file listed without its size.
    /// </exception>
    public async Task<IReadOnlyList<ArtifactFile>> ListArtifactFilesAsync(ArtifactLocation location, CancellationToken cancellationToken)
    {
        if (!location.IsListable)
        {
            throw new MlflowException(MlfError.UnsupportedArtifactLocation, "?", "?", location.PlainBase, "plain http(s) folders cannot be listed");
        }

        var limits = options.Listing;
        var where = "mlflow-artifacts:/" + location.ProxyPath;
        MlflowException Unbounded(string bound) => new(MlfError.ArtifactListingUnbounded, where, options.DisplayName, bound);

        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(limits.MaxDuration);
        var files = new List<ArtifactFile>();
        var pending = new Stack<string>();
        pending.Push("");
        var entries = 0;
        while (pending.Count > 0)
        {
            var folder = pending.Pop();
            var listed = string.Join('/', new[] { location.ProxyPath, folder }.Where(p => p.Length > 0));
            using var request = new HttpRequestMessage(HttpMethod.Get, BuildUri(location.ProxyRoot!, "", ("path", listed)));
            ListArtifactsResponse response;
            try
            {
                response = await SendJsonAsync(request, MlflowJson.Default.ListArtifactsResponse, budget.Token, limits.MaxAnswerBytes).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (budget.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw Unbounded($"the time bound of {limits.MaxDuration.TotalSeconds:0.#} s for one listing");
            }
            catch (IO.StreamTooLongException)
            {
                throw Unbounded($"{limits.MaxAnswerBytes:N0} bytes in the answer for '{listed}'");
            }

            foreach (var entry in response.Files ?? [])
            {
                if (++entries > limits.MaxEntries)
                {
                    throw Unbounded($"{limits.MaxEntries:N0} files and folders");
                }

                var name = Uri.UnescapeDataString(entry.Path ?? "");
                if (listed.Length > 0 && name.StartsWith(listed + "/", StringComparison.Ordinal))
                {
                    name = name[(listed.Length + 1)..];
                }

                var relative = folder.Length == 0 ? name : folder + "/" + name;
                if (RelativePathRules.Problem(name) is { } problem)
                {
                    throw new MlflowException(MlfError.ArtifactPathNotCanonical, options.DisplayName, RelativePathRules.Printable(entry.Path ?? ""), $"'{where}'", problem);
                }

                if (relative.Count(c => c == '/') + 1 > limits.MaxDepth)
                {
                    throw Unbounded($"{limits.MaxDepth} folder levels ('{RelativePathRules.Printable(relative)}')");
                }

                if (entry.IsDir)
                {
                    pending.Push(relative);
                }
                else
                {
                    files.Add(new ArtifactFile(relative, entry.FileSize ?? throw new MlflowException(MlfError.ArtifactSizeMissing,
                        options.DisplayName, RelativePathRules.Printable(relative), $"'{where}'")));
                }
            }
        }

        return files.OrderBy(f => f.Path, StringComparer.Ordinal).ToList();
    }

    /// <summary>Opens a file for reading; the stream streams from the network and owns the response.</summary>
    public async Task<Stream> OpenArtifactAsync(Uri uri, CancellationToken cancellationToken) =>
        (await OpenArtifactAsync(uri, 0, cancellationToken).ConfigureAwait(false)).Content;

    /// <summary>
    /// Opens a file from byte <paramref name="offset"/> (a Range request when it is not 0). The result's Offset is
    /// where the stream really starts: <paramref name="offset"/> when the server answered 206, 0 when it sent the
    /// whole file (200: a plain MLflow server ignores Range).
    /// </summary>
    public async Task<(Stream Content, long Offset)> OpenArtifactAsync(Uri uri, long offset, CancellationToken cancellationToken)
    {
        var request = RangeRequest(uri, offset);
        var response = await SendAsync(request, HttpCompletionOption.ResponseHeadersRead, new SendSettings(ReturnRedirects: true), cancellationToken).ConfigureAwait(false);
        if ((int)response.StatusCode is >= 300 and < 400)
        {
            // GitLab with object storage redirects to a signed URL: follow it once, without our credentials and
            // without printing its query (the signature) in any message.
            var redirect = response.Headers.Location
                ?? throw new MlflowException(MlfError.UnexpectedResponse, options.DisplayName, Describe(request), $"HTTP {(int)response.StatusCode} without a Location");
            response.Dispose();
            request.Dispose();
            request = RangeRequest(redirect.IsAbsoluteUri ? redirect : new Uri(uri, redirect), offset);
            response = await SendAsync(request, HttpCompletionOption.ResponseHeadersRead, new SendSettings(Authenticate: false, HideQuery: true), cancellationToken).ConfigureAwait(false);
        }

        var start = response.StatusCode == System.Net.HttpStatusCode.PartialContent && response.Content.Headers.ContentRange?.From is { } from ? from : 0;
        return (new ResponseStream(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), response, request), start);
    }

    private static HttpRequestMessage RangeRequest(Uri uri, long offset)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, uri);
        if (offset > 0)
        {
            request.Headers.Range = new RangeHeaderValue(offset, null);
        }

        return request;
    }

    /// <summary>
    /// Uploads one file with PUT, streaming it. The request timeout is the longest silence, restarted whenever the
    /// body moves on: a large file on a slow link takes as long as it needs.
    /// </summary>
    public async Task UploadArtifactAsync(Uri uri, Stream content, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.RequestTimeout);
        var length = content.CanSeek ? content.Length - content.Position : (long?)null;
        // Small blocks: the next read, which restarts the timeout, waits until the last block went out.
        using var body = new StreamContent(new ProgressReportingStream(content, () => timeout.CancelAfter(options.RequestTimeout)), 64 * 1024);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        body.Headers.ContentLength = length;

        using var request = new HttpRequestMessage(HttpMethod.Put, uri) { Content = body };
        using var response = await SendAsync(request, HttpCompletionOption.ResponseHeadersRead, new SendSettings(Timeout: timeout), cancellationToken).ConfigureAwait(false);
    }

    private sealed class ResponseStream(Stream inner, HttpResponseMessage response, HttpRequestMessage request) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                response.Dispose();
                request.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
