using Polly;
using Polly.Retry;

namespace MlflowMsBuild.Core.Http;

/// <summary>
/// The one retry policy of every HTTP transfer, built on Polly's retry strategy: up to
/// <see cref="RetrySettings.MaxAttempts"/> attempts, waiting <see cref="RetrySettings.Delay(int, TimeSpan?)"/> between
/// them. An answer whose Retry-After is longer than <see cref="RetrySettings.MaxDelay"/> is returned as it is, and the
/// caller's cancellation is never retried. <see cref="RetryHandler"/> retries requests with it, the cache's downloads
/// retry bodies that broke off.
/// </summary>
internal static class RetryPolicy
{
    /// <param name="retries">Whether an outcome (an answer, or the exception thrown) is worth another attempt, given how
    /// many attempts (1 and up) were made so far.</param>
    /// <param name="onRetry">Told before each wait: the outcome retried, the number (1-based) of the attempt to come, and the wait.</param>
    public static ResiliencePipeline<T> Create<T>(RetrySettings settings, Func<Outcome<T>, int, bool> retries, Action<Outcome<T>, int, TimeSpan>? onRetry = null)
    {
        if (settings.MaxAttempts <= 1)
        {
            return ResiliencePipeline<T>.Empty;
        }

        var options = new RetryStrategyOptions<T>
        {
            MaxRetryAttempts = settings.MaxAttempts - 1,
            ShouldHandle = args => ValueTask.FromResult(
                !args.Context.CancellationToken.IsCancellationRequested && retries(args.Outcome, args.AttemptNumber + 1) && settings.Waits(RetryAfter(args.Outcome))),
            DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(settings.Delay(args.AttemptNumber + 1, RetryAfter(args.Outcome))),
        };
        if (onRetry is not null)
        {
            options.OnRetry = args =>
            {
                onRetry(args.Outcome, args.AttemptNumber + 2, args.RetryDelay);
                return ValueTask.CompletedTask;
            };
        }

        return new ResiliencePipelineBuilder<T>().AddRetry(options).Build();
    }

    private static TimeSpan? RetryAfter<T>(Outcome<T> outcome) =>
        outcome.Result is HttpResponseMessage response ? RetrySettings.RetryAfter(response, DateTimeOffset.UtcNow) : null;
}
