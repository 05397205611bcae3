using MlflowMsBuild.Core.Cache;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Http;

namespace MlflowMsBuild.Core.Restore;

/// <summary>
/// How a restore behaves: network use, lock file, parallelism, patience, and where it reports. Offline and the lock-file
/// modes are decided by <see cref="Settings.MlflowSettings.ToRestoreOptions"/>.
/// </summary>
public sealed record RestoreOptions
{
    /// <summary>Never contact the registry: everything must come from the cache (and the lock file).</summary>
    public bool Offline { get; init; }

    /// <summary>Fail instead of changing the lock file (references added or changed), as NuGet's locked mode.</summary>
    public bool LockedMode { get; init; }

    /// <summary>Resolve floating references (<c>@alias</c>, <c>latest</c>) again instead of taking them from the lock file.</summary>
    public bool UpdateLockFile { get; init; }

    /// <summary>
    /// Ask the registry about pinned versions the cache already holds, so a version replaced on the server is found
    /// (<c>MlflowRefresh</c>, <c>--refresh</c>). Off by default: a warm pinned restore makes no request.
    /// </summary>
    public bool Refresh { get; init; }

    /// <summary>Models restored at once (resolving, listing, placing).</summary>
    public int MaxParallelModels { get; init; } = 64;

    /// <summary>Files downloaded at once, across all models of the restore.</summary>
    public int MaxParallelDownloads { get; init; } = 32;

    /// <summary>
    /// Attempts per file, and the waits between them, when a transfer breaks off after it started (each resumes where
    /// the server allows): the same settings and rule as the registry's requests (<see cref="RegistryServerOptions.Retry"/>).
    /// </summary>
    public RetrySettings Retry { get; init; } = RetrySettings.Default;

    /// <summary>A transfer that delivers no byte for this long counts as broken off.</summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromSeconds(100);

    /// <summary>How often a long transfer reports its progress.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(5);

    public MutexSettings Mutexes { get; init; } = new();

    /// <summary>Receives coded warnings (a damaged cached copy downloaded again); called from any thread.</summary>
    public Action<MlfWarning>? Warn { get; init; }

    /// <summary>Receives progress, waits for locks, resumed transfers; called from any thread.</summary>
    public Action<string>? Log { get; init; }
}
