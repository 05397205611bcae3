using System.Net;

namespace MlflowMsBuild.Core.Http;

/// <summary>
/// How often and how patiently a transfer that failed transiently is tried again: the one set of settings of
/// <see cref="RetryPolicy"/>, used for requests (<see cref="RegistryServerOptions.Retry"/>) and for downloads broken
/// off mid-body (<see cref="Restore.RestoreOptions.Retry"/>).
/// </summary>
public sealed record RetrySettings
{
    public static RetrySettings Default { get; } = new();

    /// <summary>Attempts in all, the first included; 1 turns retries off.</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>The wait before the first retry; each later one doubles.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait, whether reached by doubling or asked by a Retry-After header; a longer Retry-After ends the retries.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The largest fraction added at random to a doubled wait (0.25: up to 25 % longer), so that clients that failed
    /// together do not all come back together. From 0 (none) to 1; never applied to a Retry-After.
    /// </summary>
    public double Jitter { get; init; } = 0.25;

    /// <summary>
    /// The wait before retry number <paramref name="retry"/> (1 for the second attempt): the server's
    /// <paramref name="retryAfter"/> when it sent one, else <see cref="BaseDelay"/> × 2^(retry − 1), lengthened by up to
    /// <see cref="Jitter"/>; never more than <see cref="MaxDelay"/>.
    /// </summary>
    public TimeSpan Delay(int retry, TimeSpan? retryAfter) => Delay(retry, retryAfter, Random.Shared.NextDouble());

    /// <param name="sample">A random number in [0, 1) that picks the jitter.</param>
    internal TimeSpan Delay(int retry, TimeSpan? retryAfter, double sample)
    {
        if (retryAfter is { } asked)
        {
            return asked < TimeSpan.Zero ? TimeSpan.Zero : asked > MaxDelay ? MaxDelay : asked;
        }

        var delay = BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Clamp(retry - 1, 0, 62)) * (1 + (Math.Clamp(Jitter, 0, 1) * sample));
        return TimeSpan.FromMilliseconds(Math.Min(delay, MaxDelay.TotalMilliseconds));
    }

    /// <summary>Whether a server that asked to wait <paramref name="retryAfter"/> (null: it did not say) is waited for: not longer than <see cref="MaxDelay"/>.</summary>
    public bool Waits(TimeSpan? retryAfter) => retryAfter is null || retryAfter <= MaxDelay;

    /// <summary>HTTP answers worth another attempt: 408, 429 and the 5xx that mean "not now" (not 501 or 505).</summary>
    public static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests or HttpStatusCode.InternalServerError
            or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    /// <summary>The server's Retry-After (seconds or a date) as a wait from <paramref name="now"/>, or null when it sent none.</summary>
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
