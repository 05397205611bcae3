using System.Collections.Concurrent;

namespace MlflowMsBuild.Tasks;

/// <summary>
/// Lines queued from any thread and written, in order, by the one thread that runs <see cref="Run"/>, every
/// <c>interval</c> while the work runs and once after it ends. MSBuild's logger is used from the task's thread only.
/// </summary>
internal sealed class LinePump<TLine>
{
    private readonly ConcurrentQueue<TLine> lines = new();

    /// <summary>Queues <paramref name="line"/>; any thread.</summary>
    public void Enqueue(TLine line) => lines.Enqueue(line);

    /// <summary>
    /// Runs <paramref name="work"/> on a pool thread, writing queued lines with <paramref name="write"/> on this thread
    /// until it ends; then throws what the work threw, after its last lines are written.
    /// </summary>
    public void Run(Func<Task> work, Action<TLine> write, TimeSpan interval)
    {
        var running = Task.Run(work, CancellationToken.None);
        while (!((IAsyncResult)running).AsyncWaitHandle.WaitOne(interval))
        {
            WriteQueued(write);
        }

        WriteQueued(write);
        running.GetAwaiter().GetResult();
    }

    private void WriteQueued(Action<TLine> write)
    {
        while (lines.TryDequeue(out var line))
        {
            write(line);
        }
    }
}
