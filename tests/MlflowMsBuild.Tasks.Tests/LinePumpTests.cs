namespace MlflowMsBuild.Tasks.Tests;

/// <summary>
/// The log pump of every task (MlflowTask writes MSBuild's log through it): lines queued from any thread are written on
/// the thread that runs the task, in order and while the work still runs; the work's failure comes after its lines.
/// </summary>
[TestClass]
public sealed class LinePumpTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);

    [TestMethod]
    public void LinesFromOtherThreads_AreWrittenOnTheCallersThread_InOrder_WhileTheWorkRuns()
    {
        var pump = new LinePump<string>();
        var written = new List<(int Thread, string Line)>();
        using var firstWritten = new ManualResetEventSlim();
        var workThread = 0;
        var sawFirstWhileRunning = false;

        pump.Run(async () =>
        {
            workThread = Environment.CurrentManagedThreadId;
            pump.Enqueue("first");
            sawFirstWhileRunning = await Task.Run(() => firstWritten.Wait(Patience));
            for (var i = 0; i < 50; i++)
            {
                var line = $"line {i}";
                await Task.Run(() => pump.Enqueue(line));
            }

            pump.Enqueue("last");
        }, line =>
        {
            written.Add((Environment.CurrentManagedThreadId, line));
            firstWritten.Set();
        }, Interval);

        Assert.IsTrue(sawFirstWhileRunning, "the first line was written before the work ended");
        Assert.AreNotEqual(Environment.CurrentManagedThreadId, workThread, "the work runs off the caller's thread");
        Assert.IsTrue(written.All(w => w.Thread == Environment.CurrentManagedThreadId), "every line is written on the caller's thread");
        CollectionAssert.AreEqual(
            new[] { "first" }.Concat(Enumerable.Range(0, 50).Select(i => $"line {i}")).Append("last").ToList(),
            written.Select(w => w.Line).ToList());
    }

    [TestMethod]
    public void AFailure_IsThrownAfterTheLinesQueuedBeforeIt()
    {
        var pump = new LinePump<string>();
        var written = new List<string>();

        var error = Assert.ThrowsExactly<InvalidDataException>(() => pump.Run(async () =>
        {
            await Task.Yield();
            pump.Enqueue("before the failure");
            throw new InvalidDataException("broken");
        }, written.Add, Interval));

        Assert.AreEqual("broken", error.Message);
        CollectionAssert.AreEqual(new[] { "before the failure" }, written);
    }

    [TestMethod]
    public void Cancellation_ReachesTheCallerAsOperationCanceled()
    {
        var pump = new LinePump<string>();
        using var cancellation = new CancellationTokenSource();

        Assert.Throws<OperationCanceledException>(() => pump.Run(async () =>
        {
            pump.Enqueue("waiting");
            await Task.Delay(Patience, cancellation.Token);
        }, line => cancellation.Cancel(), Interval));
    }
}
