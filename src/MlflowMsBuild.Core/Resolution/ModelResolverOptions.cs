using MlflowMsBuild.Core.Cache;
using MlflowMsBuild.Core.Credentials;
using MlflowMsBuild.Core.Credentials.Python;
using MlflowMsBuild.Core.Registry;
using MlflowMsBuild.Core.Restore;

namespace MlflowMsBuild.Core.Resolution;

/// <summary>
/// Where <see cref="ModelResolver"/> finds models and keeps them: the same settings, with the same defaults, as the
/// MSBuild restore (<c>MlflowRegistry</c>, <c>MlflowHome</c>, <c>MlflowCacheDirectory</c>, <c>MlflowOffline</c>), so a
/// program, a script and a build share one cache. The command-line tool opens its registries through these too.
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
    /// </summary>
    public string? Destination { get; init; }

    /// <summary>How often a long download reports its progress.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long to wait for a cache lock another process holds.</summary>
    public MutexSettings Mutexes { get; init; } = new();

    /// <summary>Environment variables, home and working folder (relative paths); null for this process's.</summary>
    public CredentialEnvironment? Environment { get; init; }

    public CredentialEnvironment ResolveEnvironment() => Environment ?? CredentialEnvironment.FromProcess();

    public MlflowHome ResolveHome()
    {
        var environment = ResolveEnvironment();
        var configured = string.IsNullOrWhiteSpace(Home) ? environment.GetVariable(MlflowHome.EnvironmentVariable) : Home;
        return MlflowHome.Resolve(configured is null ? null : environment.FullPath(configured));
    }

    public ModelCache OpenCache() =>
        new(string.IsNullOrWhiteSpace(CacheDirectory) ? ResolveHome().Cache : ResolveEnvironment().FullPath(CacheDirectory));

    /// <summary><see cref="Offline"/> when set, else <c>MLFLOW_MSBUILD_OFFLINE</c> (MLF5012 when it is not a boolean).</summary>
    public bool ResolveOffline() =>
        Offline ?? RestoreOptions.ResolveOffline(null, ResolveEnvironment().GetRawVariable);

    /// <summary>Opens <paramref name="registry"/> when given (a URI's <c>?registry=</c>), else <see cref="Registry"/>, by RegistryLocator's rules.</summary>
    public IModelRegistry OpenRegistry(string? registry = null)
    {
        var environment = ResolveEnvironment();
        return RegistryLocator.Open(registry ?? Registry, ResolveHome(), environment.WorkingDirectory, environment);
    }

    /// <summary>Restore settings for one resolution, reporting to <paramref name="progress"/>.</summary>
    internal RestoreOptions ToRestoreOptions(IProgress<string>? progress)
    {
        Action<string>? log = progress is null ? null : progress.Report;
        return new RestoreOptions
        {
            Offline = ResolveOffline(),
            ProgressInterval = ProgressInterval,
            Log = log,
            Mutexes = Mutexes with { Log = Mutexes.Log ?? log },
        };
    }
}
