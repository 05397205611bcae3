using System.Diagnostics;
using System.Globalization;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Restore;
using MlflowMsBuild.Core.Versions;

namespace MlflowMsBuild.Core.Cache;

/// <summary>Bytes expected and received by the downloads of one restore, reported every few seconds while they run.</summary>
internal sealed class TransferProgress
{
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private long expected;
    private long received;
    private int active;

    public long Received => Interlocked.Read(ref received);

    public void Expect(long bytes) => Interlocked.Add(ref expected, Math.Max(0, bytes));

    /// <summary>Adds received bytes; negative when a restarted transfer throws bytes away.</summary>
    public void Add(long bytes) => Interlocked.Add(ref received, bytes);

    public IDisposable Transfer()
    {
        Interlocked.Increment(ref active);
        return new Ending(this);
    }

    /// <summary>Reports every <paramref name="interval"/> while a transfer runs, until the result is disposed.</summary>
    public IAsyncDisposable Report(TimeSpan interval, Action<string>? log)
    {
        if (log is null || interval <= TimeSpan.Zero)
        {
            return new Reporter(null, Task.CompletedTask);
        }

        var timer = new PeriodicTimer(interval);
        return new Reporter(timer, LoopAsync(timer, log));
    }

    /// <summary>Ends when <paramref name="timer"/> is disposed (no exception: a restore that took no time throws nothing).</summary>
    private async Task LoopAsync(PeriodicTimer timer, Action<string> log)
    {
        var lastBytes = Received;
        var lastTime = clock.Elapsed;
        while (await timer.WaitForNextTickAsync().ConfigureAwait(false))
        {
            var now = clock.Elapsed;
            var bytes = Received;
            if (Volatile.Read(ref active) > 0)
            {
                var rate = (bytes - lastBytes) / Math.Max(0.001, (now - lastTime).TotalSeconds);
                var total = Interlocked.Read(ref expected);
                var percent = total > 0 ? string.Create(CultureInfo.InvariantCulture, $" ({100.0 * bytes / total:0} %)") : "";
                log($"Downloading models: {RestoreSummary.FormatSize(bytes)} of {RestoreSummary.FormatSize(total)}{percent}, " +
                    $"{RestoreSummary.FormatSize((long)rate)}/s, {Plural.Of(Volatile.Read(ref active), "file")} in transfer.");
            }

            (lastBytes, lastTime) = (bytes, now);
        }
    }

    private sealed class Ending(TransferProgress owner) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                Interlocked.Decrement(ref owner.active);
            }
        }
    }

    private sealed class Reporter(PeriodicTimer? timer, Task loop) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            timer?.Dispose();
            await loop.ConfigureAwait(false);
        }
    }
}
