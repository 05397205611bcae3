using MlflowMsBuild.Core.Cache;
using MlflowMsBuild.Core.Credentials;
using MlflowMsBuild.Core.Registry;
using MlflowMsBuild.Core.Restore;

namespace MlflowMsBuild.Core.Settings;

/// <summary>
/// Every machine-wide and project setting, decided once by <see cref="Create"/> for an MSBuild task, the command-line tool
/// or <see cref="Resolution.ModelResolver"/>, so all three find the same home, cache, registry and lock file. Every
/// relative path (a setting's or a variable's) is taken against <see cref="BaseDirectory"/>: the project's folder for a
/// task, the working folder for the tool and the runtime API; never the process's current folder.
/// </summary>
public sealed class MlflowSettings
{
    /// <summary>The environment variable that turns offline mode on when <c>MlflowOffline</c> is blank.</summary>
    public const string OfflineVariable = "MLFLOW_MSBUILD_OFFLINE";

    private MlflowSettings(string baseDirectory, CredentialEnvironment environment, MlflowSettingValues values)
    {
        BaseDirectory = baseDirectory;
        Environment = environment;
        Registry = string.IsNullOrWhiteSpace(values.Registry) ? null : values.Registry.Trim();
        Home = new MlflowHome(HomeRoot(values.Home));
        CacheDirectory = string.IsNullOrWhiteSpace(values.CacheDirectory) ? Home.Cache : FullPath(values.CacheDirectory);
        Offline = BooleanSetting.ParseOptional("MlflowOffline", values.Offline)
            ?? BooleanSetting.ParseOptional(OfflineVariable, environment.GetVariable(OfflineVariable))
            ?? false;
        LockFile = FullPath(string.IsNullOrWhiteSpace(values.LockFile) ? ModelsLockFile.DefaultFileName : values.LockFile);
        UseLockFile = BooleanSetting.ParseOptional("MlflowUseLockFile", values.UseLockFile);
        LockedMode = values.LockedMode;
        UpdateLockFile = values.UpdateLockFile;
        Refresh = BooleanSetting.ParseOptional("MlflowRefresh", values.Refresh) ?? false;
    }

    /// <summary>The absolute folder relative paths are taken against.</summary>
    public string BaseDirectory { get; }

    /// <summary>Variables and the user's home folder; its working folder is <see cref="BaseDirectory"/>.</summary>
    public CredentialEnvironment Environment { get; }

    /// <summary>The <c>MlflowRegistry</c> setting, trimmed; null when blank (then <see cref="RegistryLocator"/>'s default).</summary>
    public string? Registry { get; }

    public MlflowHome Home { get; }

    /// <summary>The model cache's absolute folder.</summary>
    public string CacheDirectory { get; }

    /// <summary>Never contact a registry: <c>MlflowOffline</c> when set, else <c>MLFLOW_MSBUILD_OFFLINE</c>, else false.</summary>
    public bool Offline { get; }

    /// <summary>The lock file's absolute path (whether it is used: <see cref="UsesLockFile"/>).</summary>
    public string LockFile { get; }

    /// <summary><c>MlflowUseLockFile</c>: true or false decides; null means "when it exists or a reference floats".</summary>
    public bool? UseLockFile { get; }

    public bool LockedMode { get; }

    public bool UpdateLockFile { get; }

    /// <summary>Ask the registry about cached pinned versions (<see cref="RestoreOptions.Refresh"/>).</summary>
    public bool Refresh { get; }

    /// <summary>
    /// Decides every setting from <paramref name="values"/>, then <paramref name="environment"/>'s variables, then the
    /// defaults. Throws MLF5012 when <c>MlflowOffline</c>, <c>MLFLOW_MSBUILD_OFFLINE</c> or <c>MlflowUseLockFile</c> is
    /// not a boolean. Reads no file and creates no folder.
    /// </summary>
    /// <param name="baseDirectory">An absolute folder: the project's for a task, the working folder for a program.</param>
    public static MlflowSettings Create(MlflowSettingValues values, CredentialEnvironment environment, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(environment);
        if (!Path.IsPathFullyQualified(baseDirectory))
        {
            throw new ArgumentException($"The base folder must be an absolute path, not '{baseDirectory}'.", nameof(baseDirectory));
        }

        var root = Path.GetFullPath(baseDirectory);
        var rooted = string.Equals(environment.WorkingDirectory, root, StringComparison.Ordinal) ? environment : environment.WithWorkingDirectory(root);
        return new MlflowSettings(root, rooted, values);
    }

    /// <summary><paramref name="path"/> made absolute against <see cref="BaseDirectory"/>.</summary>
    public string FullPath(string path) => Path.GetFullPath(path, BaseDirectory);

    /// <summary>
    /// Whether a restore of <paramref name="references"/> reads and writes <see cref="LockFile"/>: always in locked
    /// mode, else as <c>MlflowUseLockFile</c> says, else when the file exists or a reference floats.
    /// </summary>
    public bool UsesLockFile(IEnumerable<ModelReference> references) =>
        LockedMode || (UseLockFile ?? (File.Exists(LockFile) || references.Any(r => r.IsFloating)));

    /// <summary>The cache at <see cref="CacheDirectory"/>, which need not exist yet.</summary>
    /// <exception cref="Errors.MlflowException">MLF3013 when it, or a folder above it, is a file (or a link to no folder).</exception>
    public ModelCache OpenCache()
    {
        if (!Directory.Exists(CacheDirectory))
        {
            for (var path = CacheDirectory; path is not null && !Directory.Exists(path); path = Path.GetDirectoryName(path))
            {
                if (File.Exists(path))
                {
                    var what = new FileInfo(path).LinkTarget is { } target ? $"a symbolic link to '{target}', which is no folder" : "a file";
                    throw new Errors.MlflowException(Errors.MlfError.CacheDirectoryNotAFolder, CacheDirectory, path, what);
                }
            }
        }

        return new(CacheDirectory);
    }

    /// <summary>Opens <paramref name="registry"/> when given (a URI's <c>?registry=</c>), else <see cref="Registry"/>; makes no request.</summary>
    public IModelRegistry OpenRegistry(string? registry = null) =>
        RegistryLocator.Open(registry ?? Registry, Home, BaseDirectory, Environment);

    /// <summary>The restore options these settings decide (offline, lock-file modes); callers add parallelism and logging.</summary>
    public RestoreOptions ToRestoreOptions() => new()
    {
        Offline = Offline,
        LockedMode = LockedMode,
        UpdateLockFile = UpdateLockFile,
        Refresh = Refresh,
    };

    private string HomeRoot(string? setting)
    {
        if (!string.IsNullOrWhiteSpace(setting))
        {
            return FullPath(setting);
        }

        if (Environment.GetVariable(MlflowHome.EnvironmentVariable) is { } variable && !string.IsNullOrWhiteSpace(variable))
        {
            return FullPath(variable);
        }

        // A user without a home folder (a service account): the base folder, as the current folder was before.
        return Path.Combine(Environment.HomeDirectory ?? BaseDirectory, MlflowHome.DefaultFolderName);
    }
}
