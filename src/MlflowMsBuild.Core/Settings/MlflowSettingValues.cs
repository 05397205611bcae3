namespace MlflowMsBuild.Core.Settings;

/// <summary>
/// The settings exactly as a caller was given them: MSBuild properties (<c>MlflowRegistry</c>, <c>MlflowHome</c> ...),
/// command-line options or <see cref="Resolution.ModelResolverOptions"/>. Null or blank means "not set"; nothing here
/// is checked or made absolute: <see cref="MlflowSettings.Create"/> does that, once.
/// </summary>
public sealed record MlflowSettingValues
{
    /// <summary><c>MlflowRegistry</c>: <c>gitlab:group/project</c>, an MLflow URL, a folder; blank for the default.</summary>
    public string? Registry { get; init; }

    /// <summary><c>MlflowHome</c>; blank for <c>$MLFLOW_MSBUILD_HOME</c>, else <c>~/.mlflow-msbuild</c>.</summary>
    public string? Home { get; init; }

    /// <summary><c>MlflowCacheDirectory</c>; blank for <c>&lt;home&gt;/cache</c>.</summary>
    public string? CacheDirectory { get; init; }

    /// <summary><c>MlflowOffline</c>: true/false/1/0; blank to follow <c>MLFLOW_MSBUILD_OFFLINE</c>.</summary>
    public string? Offline { get; init; }

    /// <summary><c>MlflowLockFile</c>; blank for <c>models.lock.json</c> in the base folder.</summary>
    public string? LockFile { get; init; }

    /// <summary><c>MlflowUseLockFile</c>: true/false/1/0; blank for "when it exists or a reference floats".</summary>
    public string? UseLockFile { get; init; }

    /// <summary><c>MlflowLockedMode</c>: fail instead of changing the lock file.</summary>
    public bool LockedMode { get; init; }

    /// <summary><c>MlflowUpdateLockFile</c>: resolve floating references again, and accept versions replaced on the server.</summary>
    public bool UpdateLockFile { get; init; }

    /// <summary><c>MlflowRefresh</c>: true/false/1/0; ask the registry whether pinned versions the cache holds were replaced.</summary>
    public string? Refresh { get; init; }
}
