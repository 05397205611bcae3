using MlflowMsBuild.Core.Credentials.Python;
using MlflowMsBuild.Core.Settings;

namespace MlflowMsBuild.Core.Credentials;

/// <summary>
/// What credential resolution may look at: environment variables, the home and working folders, the system-wide
/// python-gitlab file, and how long a <c>helper:</c> command may run. <see cref="FromProcess"/> gives the real ones;
/// tests build their own so they never touch the process environment or the user's files.
/// </summary>
public sealed class CredentialEnvironment
{
    /// <summary>Where python-gitlab looks for its system-wide file.</summary>
    public const string DefaultSystemConfigPath = "/etc/python-gitlab.cfg";

    private readonly Func<string, string?> getVariable;

    /// <param name="getVariable">Reads an environment variable; null when it is not set.</param>
    /// <param name="homeDirectory">The user's home folder (<c>~</c>); null when there is none.</param>
    /// <param name="workingDirectory">What relative paths are relative to; null for the process's current folder.</param>
    public CredentialEnvironment(Func<string, string?> getVariable, string? homeDirectory, string? workingDirectory = null)
    {
        this.getVariable = getVariable ?? throw new ArgumentNullException(nameof(getVariable));
        HomeDirectory = string.IsNullOrEmpty(homeDirectory) ? null : homeDirectory;
        WorkingDirectory = string.IsNullOrEmpty(workingDirectory) ? Environment.CurrentDirectory : workingDirectory;
    }

    public string? HomeDirectory { get; }

    public string WorkingDirectory { get; }

    /// <summary>The system-wide python-gitlab file, read before the user's (settable so tests can use a temp file).</summary>
    public string SystemConfigPath { get; init; } = DefaultSystemConfigPath;

    /// <summary>How long a <c>helper:</c> command may run before it is stopped (python-gitlab waits forever).</summary>
    public TimeSpan HelperTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Whether paths and variables follow Windows rules (<c>%VAR%</c>, <c>\</c>); settable for tests.</summary>
    public bool WindowsRules { get; init; } = OperatingSystem.IsWindows();

    /// <summary>The real environment of this process.</summary>
    /// <param name="workingDirectory">What relative paths are relative to; null for the process's current folder.</param>
    public static CredentialEnvironment FromProcess(string? workingDirectory = null) => new(
        Environment.GetEnvironmentVariable,
        Environment.GetFolderPath(Environment.SpecialFolder.UserProfile, Environment.SpecialFolderOption.DoNotVerify),
        workingDirectory ?? Environment.CurrentDirectory);

    /// <summary>This environment with relative paths taken against <paramref name="workingDirectory"/>.</summary>
    public CredentialEnvironment WithWorkingDirectory(string workingDirectory) => new(getVariable, HomeDirectory, workingDirectory)
    {
        SystemConfigPath = SystemConfigPath,
        HelperTimeout = HelperTimeout,
        WindowsRules = WindowsRules,
    };

    /// <summary>An environment with only <paramref name="variables"/> set.</summary>
    public static CredentialEnvironment FromVariables(
        IReadOnlyDictionary<string, string> variables, string? homeDirectory, string? workingDirectory = null) =>
        new(name => variables.TryGetValue(name, out var value) ? value : null, homeDirectory, workingDirectory);

    /// <summary>The variable exactly as set (possibly empty), or null when unset.</summary>
    public string? GetRawVariable(string name) => getVariable(name);

    /// <summary>The variable, or null when it is unset or empty: an empty variable counts as unset everywhere here,
    /// because MSBuild and CI systems cannot always unset one.</summary>
    public string? GetVariable(string name) => getVariable(name) is { Length: > 0 } value ? value : null;

    /// <summary>True when the variable is a true boolean (<see cref="BooleanSetting"/>); anything else, even no boolean, is false.</summary>
    public bool IsTrue(string name) => BooleanSetting.TryParse(GetVariable(name), out var value) && value;

    /// <summary><paramref name="path"/> made absolute against <see cref="WorkingDirectory"/>.</summary>
    public string FullPath(string path) => Path.GetFullPath(path, WorkingDirectory);
}
