using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Http;

namespace MlflowMsBuild.Core.RestApi;

/// <summary>
/// A typed client for MLflow's REST API (<c>{tracking}/api/2.0/mlflow/...</c> and the
/// <c>mlflow-artifacts</c> proxy), as served by MLflow and by GitLab. Bodies are streamed; every
/// failure becomes an <see cref="MlflowException"/> carrying the server's answer in <see cref="MlflowException.ApiError"/>.
/// </summary>
public sealed partial class MlflowRestClient : IDisposable
{
    private readonly HttpClient http;
    private readonly RegistryServerOptions options;

    public MlflowRestClient(RegistryServerOptions options, HttpMessageHandler? handler = null)
    {
        // The serializer's metadata of the answers a restore reads first (~15 ms at its first use in a process) is made
        // while the handler is made and the first request sent (the serializer's caches are thread-safe; issue 10).
        _ = FirstUse.Start("MlflowMsBuild JSON metadata", () => (MlflowJson.Default.ModelVersionResponse, MlflowJson.Default.ListArtifactsResponse));
        this.options = options;
        http = new HttpClient(handler ?? HttpHandlers.Create(options), disposeHandler: true)
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("MlflowMsBuild", typeof(MlflowRestClient).Assembly.GetName().Version?.ToString(3)));
    }

    /// <summary>The tracking URI: MLflow's root, or <c>&lt;gitlab&gt;/api/v4/projects/&lt;id&gt;/ml/mlflow</c>.</summary>
    public Uri TrackingUri => options.TrackingUri;

    public void Dispose() => http.Dispose();

    internal Uri ApiUri(string endpoint, params (string Key, string? Value)[] query) =>
        BuildUri(TrackingUri, "api/2.0/mlflow/" + endpoint, query);

    internal static Uri BuildUri(Uri root, string relative, params (string Key, string? Value)[] query)
    {
        var text = new StringBuilder(root.AbsoluteUri.TrimEnd('/'));
        if (relative.Length > 0)
        {
            text.Append('/').Append(relative);
        }

        var separator = '?';
        foreach (var (key, value) in query.Where(q => q.Value is not null))
        {
            text.Append(separator).Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(value!));
            separator = '&';
        }

        return new Uri(text.ToString());
    }

    internal Task<TResponse> GetAsync<TResponse>(string endpoint, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken, params (string Key, string? Value)[] query) =>
        SendJsonAsync(HttpMethod.Get, ApiUri(endpoint, query), null, responseType, cancellationToken);

    internal Task<TResponse> PostAsync<TRequest, TResponse>(string endpoint, TRequest body, JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken) =>
        SendJsonAsync(HttpMethod.Post, ApiUri(endpoint), JsonContent(body, requestType), responseType, cancellationToken);

    internal Task<TResponse> PatchAsync<TRequest, TResponse>(string endpoint, TRequest body, JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken) =>
        SendJsonAsync(HttpMethod.Patch, ApiUri(endpoint), JsonContent(body, requestType), responseType, cancellationToken);

    private async Task<TResponse> SendJsonAsync<TResponse>(HttpMethod method, Uri uri, HttpContent? content, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, uri) { Content = content };
        return await SendJsonAsync(request, responseType, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends a request and reads its JSON answer; a body cut off half-way is a connection failure. A body longer than
    /// <paramref name="maxBytes"/> throws <see cref="IO.StreamTooLongException"/> once that much is read.
    /// </summary>
    private async Task<TResponse> SendJsonAsync<TResponse>(HttpRequestMessage request, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken,
        long maxBytes = long.MaxValue)
    {
        using var response = await SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        try
        {
            await using var stream = new IO.BoundedReadStream(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), maxBytes);
            return await JsonSerializer.DeserializeAsync(stream, responseType, cancellationToken).ConfigureAwait(false)
                ?? throw new JsonException("the body is JSON null");
        }
        catch (JsonException e)
        {
            throw new MlflowException(MlfError.UnexpectedResponse, e, options.DisplayName, Describe(request), "the body is not the JSON expected (" + e.Message + ")");
        }
        catch (IOException e)
        {
            throw new MlflowException(MlfError.ConnectionFailed, e, options.DisplayName, RedactedUri(request.RequestUri!), e.Message, "the answer broke off");
        }
    }

    /// <summary>Sends a request with authentication and a timeout; a non-success answer throws.</summary>
    internal Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken cancellationToken) =>
        SendAsync(request, completion, new SendSettings(), cancellationToken);

    /// <param name="settings">
    /// Whether to authenticate (not towards a signed URL someone redirected us to), whether a redirect is an answer,
    /// and a timeout the caller restarts while a body streams (uploads); by default the timeout covers the whole exchange.
    /// </param>
    internal async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, HttpCompletionOption completion, SendSettings settings, CancellationToken cancellationToken)
    {
        if (settings.Authenticate)
        {
            options.Authenticate?.Invoke(request);
        }

        using var ownTimeout = settings.Timeout is null ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken) : null;
        var timeout = settings.Timeout ?? ownTimeout!;
        if (ownTimeout is not null)
        {
            ownTimeout.CancelAfter(options.RequestTimeout);
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, completion, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new MlflowException(MlfError.RequestTimedOut, options.DisplayName, Describe(request, settings.HideQuery), (int)options.RequestTimeout.TotalSeconds, options.RequestTimeoutSetting);
        }
        catch (HttpRequestException e)
        {
            throw new MlflowException(MlfError.ConnectionFailed, e, options.DisplayName, Describe(request, settings.HideQuery), e.Message, Attempts(request));
        }

        if (response.IsSuccessStatusCode || (settings.ReturnRedirects && (int)response.StatusCode is >= 300 and < 400))
        {
            return response;
        }

        using (response)
        {
            throw await ErrorFromAsync(request, response, settings.HideQuery, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <param name="HideQuery">The URL's query is a credential (a signed object-storage URL): keep it out of messages.</param>
    internal sealed record SendSettings(bool Authenticate = true, bool ReturnRedirects = false, CancellationTokenSource? Timeout = null, bool HideQuery = false);

    private async Task<MlflowException> ErrorFromAsync(HttpRequestMessage request, HttpResponseMessage response, bool hideQuery, CancellationToken cancellationToken)
    {
        var body = await ReadLimitedAsync(response, cancellationToken).ConfigureAwait(false);
        var (errorCode, message) = ServerErrors.Parse(body);
        var status = (int)response.StatusCode;
        var apiError = new ApiError(status, errorCode, message);
        var detail = ServerErrors.Describe(errorCode, message, body, response.Content.Headers.ContentType?.MediaType);
        var what = Describe(request, hideQuery);
        if (options.HeldBack is { } heldBack && response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            return new MlflowException(MlfError.CredentialsForAnotherServer, options.DisplayName,
                $", and it answered HTTP {status} to {what}", heldBack.Reason, heldBack.Fix) { ApiError = apiError };
        }

        return response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => new MlflowException(MlfError.Unauthenticated, options.DisplayName, what, detail, options.AuthenticationHint) { ApiError = apiError },
            HttpStatusCode.Forbidden => new MlflowException(MlfError.PermissionDenied, options.DisplayName, what, detail, options.AuthenticationHint) { ApiError = apiError },
            HttpStatusCode.NotFound => new MlflowException(MlfError.EndpointNotFound, options.DisplayName, what, detail, options.NotFoundHint) { ApiError = apiError },
            _ when status >= 500 => new MlflowException(MlfError.ServerError, options.DisplayName, what, status, detail, Attempts(request)) { ApiError = apiError },
            _ => new MlflowException(MlfError.RequestRejected, options.DisplayName, what, status, detail) { ApiError = apiError },
        };
    }

    /// <summary>What <see cref="RetryHandler"/> tried: "1 attempt in 0.0 s", "5 attempts in 15.2 s"; "1 attempt" for a request it did not see.</summary>
    private static string Attempts(HttpRequestMessage request) =>
        request.Options.TryGetValue(RetryHandler.AttemptsKey, out var attempts) ? attempts.ToString() : "1 attempt";

    private static async Task<string> ReadLimitedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        const int Limit = 64 * 1024;
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var buffer = new byte[Limit];
        var total = 0;
        int read;
        while (total < Limit && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
        {
            total += read;
        }

        return Encoding.UTF8.GetString(buffer, 0, total);
    }

    private static StringContent JsonContent<T>(T body, JsonTypeInfo<T> type)
    {
        var content = new StringContent(JsonSerializer.Serialize(body, type), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    internal static string Describe(HttpRequestMessage request, bool hideQuery = false) =>
        $"{request.Method} {(hideQuery ? request.RequestUri!.GetLeftPart(UriPartial.Path) : RedactedUri(request.RequestUri!))}";

    /// <summary>The URI without user information, so no password reaches a message.</summary>
    internal static string RedactedUri(Uri uri) =>
        string.IsNullOrEmpty(uri.UserInfo) ? uri.AbsoluteUri : new UriBuilder(uri) { UserName = "", Password = "" }.Uri.AbsoluteUri;
}
