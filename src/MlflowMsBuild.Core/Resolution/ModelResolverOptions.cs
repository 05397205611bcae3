using MlflowMsBuild.Core.Cache;
using MlflowMsBuild.Core.Credentials;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Restore;
using MlflowMsBuild.Core.Settings;

namespace MlflowMsBuild.Core.Resolution;

/// <summary>
/// Where <see cref="ModelResolver"/> finds models and keeps them: the same settings, with the same defaults, as the
/// MSBuild restore (<c>MlflowRegistry</c>, <c>MlflowHome</c>, <c>MlflowCacheDirectory</c>, <c>MlflowOffline</c>), so a
/// program, a script and a build share one cache. <see cref="ToSettings"/> decides them, as a build does; the
/// command-line tool opens its registries through those settings too.
/// </summary>
public sealed record ModelResolverOptions
{
    /// <summary>
    /// The registry of URIs without <c>?registry=</c>, as an <c>MlflowRegistry</c> value. Empty: <c>MLFLOW_TRACKING_URI</c>
    /// when it is an http(s) URL, else the embedded registry in the home folder.
    /// </summary>
    public string? Registry { get; init; }

    /// <summary>The home folder; empty for <c>$MLFLOW_MSBUILD_HOME</c>, else <c>~/.mlflow-msbuild</c>.</summary>
    public string? Home { get; init; }

    /// <summary>The model cache; empty for <c>&lt;home&gt;/cache</c>.</summary>
    public string? CacheDirectory { get; init; }

    /// <summary>Never contact a registry (models must be in the cache); null to follow <c>MLFLOW_MSBUILD_OFFLINE</c>.</summary>
    public bool? Offline { get; init; }

    /// <summary>
    /// A folder that receives exactly the model's files, replacing what it held (as <c>obj/models/</c> in a build).
    /// Empty: the cache's shared folder of the version (<see cref="SharedModelFolders"/>), placed once and never replaced
    /// while intact.
    /// For a URI only: with a folder's path it is refused (MLF7095), since that folder is read where it is.
    /// </summary>
    public string? Destination { get; init; }

    /// <summary>Ask the registry whether a cached pinned version was replaced on the server (<c>--refresh</c>).</summary>
    public bool Refresh { get; init; }

    /// <summary>Accept a version replaced on the server: download its new files (<c>--accept-replaced</c>).</summary>
    public bool AcceptReplaced { get; init; }

    /// <summary>How often a long download reports its progress.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long to wait for a cache lock another process holds.</summary>
    public MutexSettings Mutexes { get; init; } = new();

    /// <summary>
    /// Receives each coded warning (MLF3009: a cached copy was damaged and is downloaded again, …); null to report them
    /// as lines of the progress, when one is given.
    /// </summary>
    public Action<MlfWarning>? Warn { get; init; }

    /// <summary>Environment variables, home and working folder (relative paths are relative to it); null for this process's.</summary>
    public CredentialEnvironment? Environment { get; init; }

    /// <summary>
    /// The settings these options give, decided once (<see cref="MlflowSettings.Create"/>) with the working folder as
    /// the base of relative paths. MLF5012 when <c>MLFLOW_MSBUILD_OFFLINE</c> is not a boolean.
    /// </summary>
    public MlflowSettings ToSettings()
    {
        var environment = Environment ?? CredentialEnvironment.FromProcess();
        var values = new MlflowSettingValues
        {
            Registry = Registry,
            Home = Home,
            CacheDirectory = CacheDirectory,
            Offline = BooleanSetting.Format(Offline),
            Refresh = BooleanSetting.Format(Refresh),
            UpdateLockFile = AcceptReplaced,
        };
        return MlflowSettings.Create(values, environment, Path.GetFullPath(environment.WorkingDirectory));
    }

    /// <summary>Restore settings for one resolution under <paramref name="settings"/>, reporting to <paramref name="progress"/>.</summary>
    internal RestoreOptions ToRestoreOptions(MlflowSettings settings, IProgress<string>? progress)
    {
        Action<string>? log = progress is null ? null : progress.Report;
        return settings.ToRestoreOptions() with
        {
            ProgressInterval = ProgressInterval,
            Log = log,
            Warn = Warn ?? (progress is null ? null : warning => progress.Report($"warning {warning.Code}: {warning.Message}")),
            Mutexes = Mutexes with { Log = Mutexes.Log ?? log },
        };
    }
}
