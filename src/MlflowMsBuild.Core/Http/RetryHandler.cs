using Polly;

namespace MlflowMsBuild.Core.Http;

/// <summary>
/// Sends idempotent requests (GET, HEAD) again, by <see cref="RetryPolicy"/>, after a connection failure, a connect
/// timeout, or a transient answer (<see cref="RetrySettings.IsTransient"/>: 408, 429, 500, 502, 503, 504).
/// Writes (POST, PUT, PATCH, DELETE) go through once: repeating them is the publisher's decision.
/// A body cut off after the headers is the caller's to resume (see the cache's downloads).
/// </summary>
internal sealed class RetryHandler(RetrySettings settings, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    // Built on the first GET or HEAD: a restore served from the cache opens the registry but never pays for it.
    private ResiliencePipeline<HttpResponseMessage>? policy;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Method != HttpMethod.Get && request.Method != HttpMethod.Head)
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        policy ??= RetryPolicy.Create<HttpResponseMessage>(settings, IsWorthRetrying);
        return await policy.ExecuteAsync(async token => await base.SendAsync(request, token).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
    }

    /// <remarks>
    /// An <see cref="OperationCanceledException"/> here is SocketsHttpHandler's connect timeout: the caller's own
    /// cancellation (and HttpClient's timeout, which cancels the token passed in) is never retried by the policy.
    /// </remarks>
    private static bool IsWorthRetrying(Outcome<HttpResponseMessage> outcome) => outcome.Exception switch
    {
        null => RetrySettings.IsTransient(outcome.Result!.StatusCode),
        HttpRequestException or OperationCanceledException => true,
        _ => false,
    };
}
