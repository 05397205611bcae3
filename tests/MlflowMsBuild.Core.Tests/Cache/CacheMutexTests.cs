using System.Collections.Concurrent;
using System.Diagnostics;
using MlflowMsBuild.Core.Cache;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Restore;
using MlflowMsBuild.Core.Tests.TestUtilities;

namespace MlflowMsBuild.Core.Tests.Cache;

[TestClass]
public sealed class CacheMutexTests
{
    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Token => TestContext.CancellationToken;

    [TestMethod]
    public void OwnerRecord_WrittenWithoutTheSerializer_ReadsBackWhole()
    {
        using var cache = new TempDirectory();
        var path = cache.Combine("mutexes", "entry.owner");
        var written = new MutexOwner { Pid = 4242, Host = "ci-7", ProcessStart = 1_764_000_000_000, Acquired = 1_764_000_001_000, Purpose = "restoring model 'test-\"x\" é' version 1" };
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);

        written.Write(path);
        var read = MutexOwner.TryRead(path);

        Assert.IsNotNull(read);
        Assert.AreEqual((written.Pid, written.Host, written.ProcessStart, written.Acquired, written.Purpose), (read.Pid, read.Host, read.ProcessStart, read.Acquired, read.Purpose));
        Assert.ContainsSingle(Directory.GetFiles(Path.GetDirectoryName(path)!));
        StringAssert.Contains(File.ReadAllText(path), "restoring model 'test-\\\"x\\\" é' version 1", "readable as written, quotes escaped only where JSON needs it");
    }

    [TestMethod]
    public async Task LockFileOfADeadProcess_IsTakenOver_AndTheTakeOverIsReported()
    {
        using var cache = new TempDirectory();
        var lockPath = cache.Combine("mutexes", "entry.mutex");
        var dead = await ExitedProcessIdAsync();
        new MutexOwner { Pid = dead, Host = Environment.MachineName, ProcessStart = 1, Purpose = "restoring model 'test-x' version 1" }.Write(cache.Combine("mutexes", "entry.owner"));
        var log = new ConcurrentQueue<string>();

        using (var taken = await CacheMutex.AcquireAsync(lockPath, "restoring model 'test-x' version 1", Settings(log), Token))
        {
            var owner = MutexOwner.TryRead(cache.Combine("mutexes", "entry.owner"));
            Assert.AreEqual(Environment.ProcessId, owner?.Pid);
            Assert.AreEqual(Environment.MachineName, owner?.Host);
            Assert.IsGreaterThan(0L, owner!.ProcessStart);
        }

        Assert.Contains(m => m.Contains("Took over", StringComparison.Ordinal) && m.Contains($"process {dead}", StringComparison.Ordinal), log);
        Assert.IsFalse(File.Exists(cache.Combine("mutexes", "entry.owner")), "a released lock leaves no owner record");
    }

    [TestMethod]
    public async Task OwnerRecordOfAReusedPid_CountsAsDead()
    {
        using var cache = new TempDirectory();
        // This process's pid, but a start time long before it started: the recorded owner is another, dead process.
        new MutexOwner { Pid = Environment.ProcessId == 1 ? 2 : Environment.ProcessId, Host = Environment.MachineName, ProcessStart = 1000 }
            .Write(cache.Combine("mutexes", "entry.owner"));

        using var taken = await CacheMutex.AcquireAsync(cache.Combine("mutexes", "entry.mutex"), "test", Settings(), Token);

        Assert.AreEqual(Environment.ProcessId, MutexOwner.TryRead(cache.Combine("mutexes", "entry.owner"))?.Pid);
    }

    [TestMethod]
    public async Task HeldLock_KeepsOthersWaiting_AndTimesOutWithACodedErrorNamingTheOwner()
    {
        using var cache = new TempDirectory();
        var lockPath = cache.Combine("mutexes", "entry.mutex");
        using var held = await CacheMutex.AcquireAsync(lockPath, "restoring model 'test-x' version 3", Settings(), Token);

        var error = await MlfAssert.ThrowsAsync(MlfError.CacheMutexTimeout,
            () => CacheMutex.AcquireAsync(lockPath, "test", Settings() with { Timeout = TimeSpan.FromMilliseconds(300) }, Token));

        Assert.Contains($"process {Environment.ProcessId} on host '{Environment.MachineName}'", error.Message);
        Assert.Contains("restoring model 'test-x' version 3", error.Message);
        Assert.Contains(lockPath, error.Message);
    }

    /// <remarks>util-linux's flock(1) takes the same flock(2) lock as .NET does on Unix.</remarks>
    [TestMethod]
    [OSCondition(OperatingSystems.Linux)]
    public async Task LockHeldByAProcessThatIsKilled_IsAcquiredOnceItDies()
    {
        using var cache = new TempDirectory();
        var lockPath = cache.Combine("mutexes", "entry.mutex");
        Directory.CreateDirectory(cache.Combine("mutexes"));
        using var holder = Process.Start(new ProcessStartInfo("/usr/bin/flock", [lockPath, "sleep", "600"]))!;
        await WaitUntilAsync(() => IsHeld(lockPath));
        var log = new ConcurrentQueue<string>();

        var acquiring = CacheMutex.AcquireAsync(lockPath, "test", Settings(log) with { WaitReportInterval = TimeSpan.Zero }, Token);
        await WaitUntilAsync(() => log.Any(m => m.StartsWith("Waiting for", StringComparison.Ordinal)));
        Assert.IsFalse(acquiring.IsCompleted, "the lock was taken while another process held it");
        holder.Kill(entireProcessTree: true);

        using var taken = await acquiring;
        Assert.AreEqual(Environment.ProcessId, MutexOwner.TryRead(cache.Combine("mutexes", "entry.owner"))?.Pid);
    }

    [TestMethod]
    public async Task SharedHolders_Coexist_AndExcludeAnExclusiveOne()
    {
        using var cache = new TempDirectory();
        var lockPath = cache.Combine("mutexes", "cache.mutex");
        var first = await CacheMutex.AcquireSharedAsync(lockPath, "restore", Settings(), Token);
        using var second = await CacheMutex.AcquireSharedAsync(lockPath, "restore", Settings(), Token);

        await MlfAssert.ThrowsAsync(MlfError.CacheMutexTimeout,
            () => CacheMutex.AcquireAsync(lockPath, "prune", Settings() with { Timeout = TimeSpan.FromMilliseconds(200) }, Token));
        first.Dispose();
        second.Dispose();
        using var exclusive = await CacheMutex.AcquireAsync(lockPath, "prune", Settings(), Token);
    }

    private static MutexSettings Settings(ConcurrentQueue<string>? log = null) => new() { Log = log is null ? null : log.Enqueue };

    private static bool IsHeld(string path)
    {
        try
        {
            using var probe = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            return false;
        }
        catch (FileNotFoundException)
        {
            // flock(1) has not created the file yet.
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    private async Task WaitUntilAsync(Func<bool> condition)
    {
        // A bound against hanging forever, not a timing assertion.
        for (var waited = 0; !condition(); waited += 20)
        {
            Assert.IsLessThan(60_000, waited, "gave up waiting");
            await Task.Delay(20, Token);
        }
    }

    private static async Task<int> ExitedProcessIdAsync()
    {
        using var process = Process.Start(new ProcessStartInfo("dotnet", "--version") { RedirectStandardOutput = true })!;
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.Id;
    }
}
