using MlflowMsBuild.Core.Cache;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Http;

namespace MlflowMsBuild.Core.Restore;

/// <summary>How a restore behaves: network use, lock file, parallelism, patience, and where it reports.</summary>
public sealed record RestoreOptions
{
    /// <summary>The environment variable that turns offline mode on ("1" or "true").</summary>
    public const string OfflineVariable = "MLFLOW_MSBUILD_OFFLINE";

    /// <summary>Never contact the registry: everything must come from the cache (and the lock file).</summary>
    public bool Offline { get; init; }

    /// <summary>Fail instead of changing the lock file (references added or changed), as NuGet's locked mode.</summary>
    public bool LockedMode { get; init; }

    /// <summary>Resolve floating references (<c>@alias</c>, <c>latest</c>) again instead of taking them from the lock file.</summary>
    public bool UpdateLockFile { get; init; }

    /// <summary>Models restored at once (resolving, listing, placing).</summary>
    public int MaxParallelModels { get; init; } = 32;

    /// <summary>Files downloaded at once, across all models of the restore.</summary>
    public int MaxParallelDownloads { get; init; } = 16;

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

    /// <summary>Receives progress, waits for locks, resumed transfers; called from any thread.</summary>
    public Action<string>? Log { get; init; }

    /// <summary>
    /// Offline mode from a setting (<c>MlflowOffline</c>) when it is not empty, else from <see cref="OfflineVariable"/>.
    /// Accepts true/false/1/0 in any case; anything else is a coded error naming the setting.
    /// </summary>
    public static bool ResolveOffline(string? setting, Func<string, string?> getVariable)
    {
        if (!string.IsNullOrWhiteSpace(setting))
        {
            return ParseBoolean("MlflowOffline", setting);
        }

        var variable = getVariable(OfflineVariable);
        return !string.IsNullOrWhiteSpace(variable) && ParseBoolean(OfflineVariable, variable);
    }

    private static bool ParseBoolean(string name, string value) => value.Trim().ToLowerInvariant() switch
    {
        "true" or "1" => true,
        "false" or "0" => false,
        _ => throw new MlflowException(MlfError.EnvironmentBooleanInvalid, name, value),
    };
}
