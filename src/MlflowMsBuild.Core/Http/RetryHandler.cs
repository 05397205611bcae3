using System.Net;
using MlflowMsBuild.Core.RestApi;

namespace MlflowMsBuild.Core.Http;

/// <summary>How often and how patiently a request that failed transiently is sent again.</summary>
public sealed record RetrySettings
{
    public static RetrySettings Default { get; } = new();

    /// <summary>Attempts in all, the first included; 1 turns retries off.</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>The first wait; each later one doubles (with up to 25 % jitter).</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait honoured from a Retry-After header or reached by doubling; a longer Retry-After ends the retries.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The wait before attempt <paramref name="attempt"/> + 1 when the server gave no Retry-After.</summary>
    public TimeSpan Backoff(int attempt)
    {
        var delay = BaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1);
        delay *= 1 + (Random.Shared.NextDouble() * 0.25);
        return TimeSpan.FromMilliseconds(Math.Min(delay, MaxDelay.TotalMilliseconds));
    }

    /// <summary>HTTP answers worth another attempt: 408, 429 and the 5xx that mean "not now" (not 501 or 505).</summary>
    public static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests or HttpStatusCode.InternalServerError
            or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    /// <summary>The server's Retry-After (seconds or a date) as a wait, or null when it sent none.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, DateTimeOffset now)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        return header?.Date is { } date ? (date > now ? date - now : TimeSpan.Zero) : null;
    }
}

/// <summary>
/// Sends idempotent requests (GET, HEAD) again after a connection failure, a connect timeout, or a transient
/// answer (408, 429, 500, 502, 503, 504), waiting as the server's Retry-After says or with exponential backoff.
/// Writes (POST, PUT, PATCH, DELETE) go through once: repeating them is the publisher's decision.
/// A body cut off after the headers is the caller's to resume (see the restore's downloads).
/// </summary>
internal sealed class RetryHandler(RetrySettings settings, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Method != HttpMethod.Get && request.Method != HttpMethod.Head)
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        for (var attempt = 1; ; attempt++)
        {
            TimeSpan delay;
            try
            {
                var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
                if (attempt >= settings.MaxAttempts || !RetrySettings.IsTransient(response.StatusCode))
                {
                    return response;
                }

                var asked = RetrySettings.RetryAfter(response, DateTimeOffset.UtcNow);
                if (asked > settings.MaxDelay)
                {
                    return response;
                }

                delay = asked ?? settings.Backoff(attempt);
                response.Dispose();
            }
            catch (HttpRequestException) when (attempt < settings.MaxAttempts && !cancellationToken.IsCancellationRequested)
            {
                delay = settings.Backoff(attempt);
            }
            catch (OperationCanceledException) when (attempt < settings.MaxAttempts && !cancellationToken.IsCancellationRequested)
            {
                // SocketsHttpHandler's connect timeout; the caller's own timeout cancels cancellationToken instead.
                delay = settings.Backoff(attempt);
            }

            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        }
    }
}
