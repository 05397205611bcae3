using System.Diagnostics;
using Polly;

namespace MlflowMsBuild.Core.Http;

/// <summary>
/// Sends idempotent requests (GET, HEAD) again, by <see cref="RetryPolicy"/>, after a connection failure, a connect
/// timeout, or a transient answer (<see cref="RetrySettings.IsTransient"/>: 408, 429, 500, 502, 503, 504).
/// A host name that does not exist is not tried again, and a refused connection only once
/// (<see cref="ConnectionFailures"/>): neither is worth the full series of waits.
/// Writes (POST, PUT, PATCH, DELETE) go through once: repeating them is the publisher's decision.
/// A body cut off after the headers is the caller's to resume (see the cache's downloads).
/// What was tried is left in the request's options (<see cref="AttemptsKey"/>) for the error message.
/// </summary>
internal sealed class RetryHandler(RetrySettings settings, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    /// <summary>How many attempts a request took and how long they lasted, set once it was sent.</summary>
    public static readonly HttpRequestOptionsKey<RequestAttempts> AttemptsKey = new("MlflowMsBuild.Attempts");

    // Built once, when the handler is made (a client is made only when a first request is about to be sent: a restore
    // served from the cache never pays for it), on a thread of its own: its first-use cost (~15 ms, Polly validates its
    // options by reflection) overlaps the client's and the JSON metadata's instead of delaying the first request.
    private readonly Task<ResiliencePipeline<HttpResponseMessage>> policy =
        FirstUse.Start("MlflowMsBuild retry policy", () => RetryPolicy.Create<HttpResponseMessage>(settings, IsWorthRetrying));

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var attempts = 0;
        try
        {
            if (request.Method != HttpMethod.Get && request.Method != HttpMethod.Head)
            {
                attempts = 1;
                return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }

            var pipeline = await policy.ConfigureAwait(false);
            return await pipeline.ExecuteAsync(async token =>
            {
                attempts++;
                return await base.SendAsync(request, token).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            request.Options.Set(AttemptsKey, new RequestAttempts(attempts, watch.Elapsed));
        }
    }

    /// <remarks>
    /// An <see cref="OperationCanceledException"/> here is SocketsHttpHandler's connect timeout: the caller's own
    /// cancellation (and HttpClient's timeout, which cancels the token passed in) is never retried by the policy.
    /// </remarks>
    /// <param name="made">Attempts made so far.</param>
    private static bool IsWorthRetrying(Outcome<HttpResponseMessage> outcome, int made) => outcome.Exception switch
    {
        null => RetrySettings.IsTransient(outcome.Result!.StatusCode),
        HttpRequestException e => ConnectionFailures.Classify(e) switch
        {
            ConnectionFailureKind.NameNotFound => false,
            ConnectionFailureKind.Refused => made < 2,
            _ => true,
        },
        OperationCanceledException => true,
        _ => false,
    };
}

/// <summary>What <see cref="RetryHandler"/> tried for one request.</summary>
/// <param name="Count">Attempts made, the first included.</param>
/// <param name="Elapsed">From the first attempt to the end of the last, waits included.</param>
internal sealed record RequestAttempts(int Count, TimeSpan Elapsed)
{
    /// <summary>"1 attempt in 0.0 s", "2 attempts in 1.3 s".</summary>
    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"{Count} attempt{(Count == 1 ? "" : "s")} in {Elapsed.TotalSeconds:0.0} s");
}
