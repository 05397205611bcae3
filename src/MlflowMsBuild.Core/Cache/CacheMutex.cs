using System.Diagnostics;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Restore;
using MlflowMsBuild.Core.Versions;

namespace MlflowMsBuild.Core.Cache;

/// <summary>
/// A lock between every process (and thread) that uses one cache, kept beside the cache in <c>mutexes/</c>:
/// <list type="bullet">
/// <item>the exclusion is an OS lock on <c>&lt;key&gt;.lock</c> (flock on Unix, a sharing mode on Windows), which the
/// operating system drops when its holder exits, however it exits: a crashed restore never leaves the lock held;</item>
/// <item>the holder records itself in <c>&lt;key&gt;.owner</c> (pid, host, process start time, purpose) so that waiters can
/// say whom they wait for, and deletes the record when it releases the lock. A record found by the next holder was
/// left by a process that died holding the lock: it is taken over, and reported. Where OS locks are not enforced
/// (some network file systems) a record naming a live process of this host still keeps others waiting.</item>
/// </list>
/// </summary>
public sealed class CacheMutex : IDisposable
{
    private readonly FileStream handle;
    private readonly string? ownerPath;

    private CacheMutex(FileStream handle, string? ownerPath)
    {
        this.handle = handle;
        this.ownerPath = ownerPath;
    }

    /// <summary>Takes the exclusive lock named <paramref name="lockPath"/>, waiting up to <see cref="MutexSettings.Timeout"/>.</summary>
    /// <param name="purpose">Recorded for waiters, e.g. "restoring model 'test-x' version 3".</param>
    public static Task<CacheMutex> AcquireAsync(string lockPath, string purpose, MutexSettings settings, CancellationToken cancellationToken) =>
        AcquireCoreAsync(lockPath, purpose, exclusive: true, settings, cancellationToken);

    /// <summary>
    /// Takes <paramref name="lockPath"/> shared with other shared holders (restores), excluding an exclusive holder
    /// (a prune or repair that deletes from the cache). Shared holders record no owner.
    /// </summary>
    public static Task<CacheMutex> AcquireSharedAsync(string lockPath, string purpose, MutexSettings settings, CancellationToken cancellationToken) =>
        AcquireCoreAsync(lockPath, purpose, exclusive: false, settings, cancellationToken);

    public void Dispose()
    {
        if (ownerPath is not null)
        {
            try
            {
                File.Delete(ownerPath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The next holder finds a record of a process that no longer holds the lock and takes over.
            }
        }

        handle.Dispose();
    }

    private static async Task<CacheMutex> AcquireCoreAsync(string lockPath, string purpose, bool exclusive, MutexSettings settings, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(lockPath)!);
        var ownerPath = exclusive ? Path.ChangeExtension(lockPath, ".owner") : null;
        var clock = Stopwatch.StartNew();
        var delay = TimeSpan.FromMilliseconds(5);
        var nextReport = settings.WaitReportInterval;
        while (true)
        {
            var handle = TryOpen(lockPath, exclusive);
            if (handle is not null)
            {
                var previous = ownerPath is null ? null : MutexOwner.TryRead(ownerPath);
                if (previous is null || !previous.IsRunningElsewhere())
                {
                    if (previous is not null)
                    {
                        settings.Log?.Invoke($"Took over the cache lock '{lockPath}' left by {previous}, which no longer runs.");
                    }

                    if (ownerPath is not null)
                    {
                        MutexOwner.Current(purpose).Write(ownerPath);
                    }

                    return new CacheMutex(handle, ownerPath);
                }

                // The OS lock was granted although a live process of this host records itself as the owner:
                // OS locks are not enforced on this file system, so the record is the lock.
                handle.Dispose();
            }

            var owner = Describe(lockPath);
            if (clock.Elapsed >= settings.Timeout)
            {
                throw new MlflowException(MlfError.CacheMutexTimeout, (int)settings.Timeout.TotalSeconds, lockPath, owner);
            }

            if (clock.Elapsed >= nextReport)
            {
                settings.Log?.Invoke($"Waiting for {owner} ({purpose}; lock '{lockPath}').");
                nextReport = clock.Elapsed + TimeSpan.FromSeconds(Math.Max(settings.WaitReportInterval.TotalSeconds, 5));
            }

            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 200));
        }
    }

    private static FileStream? TryOpen(string lockPath, bool exclusive)
    {
        try
        {
            return exclusive
                ? new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1)
                : new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.Read, FileShare.Read, 1);
        }
        catch (IOException e) when (IsHeldElsewhere(e))
        {
            return null;
        }
    }

    /// <summary>EWOULDBLOCK/EAGAIN from flock (Linux 11, macOS 35), or a Windows sharing or lock violation.</summary>
    private static bool IsHeldElsewhere(IOException e) =>
        e.HResult is 11 or 35 or unchecked((int)0x80070020) or unchecked((int)0x80070021);

    private static string Describe(string lockPath)
    {
        var owner = MutexOwner.TryRead(Path.ChangeExtension(lockPath, ".owner"));
        return owner?.ToString() ?? "another process using the cache";
    }
}

/// <summary>How long to wait for a cache lock, and where to say that we wait or took a lock over.</summary>
public sealed record MutexSettings
{
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>After how long a waiter says whom it waits for (and again every so often).</summary>
    public TimeSpan WaitReportInterval { get; init; } = TimeSpan.FromSeconds(5);

    public Action<string>? Log { get; init; }
}
