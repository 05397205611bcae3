using MlflowMsBuild.Core.Credentials;
using MlflowMsBuild.Core.Credentials.Python;
using MlflowMsBuild.Core.Tests.TestUtilities;

namespace MlflowMsBuild.Core.Tests.Credentials;

/// <summary>
/// A private world for credential tests: a temp folder holding a home folder, a stand-in for /etc, scripts, and a
/// dictionary of environment variables. Nothing reads the real environment or the user's files.
/// </summary>
internal sealed class CredentialFixture : IDisposable
{
    private readonly TempDirectory temp = new();

    public CredentialFixture()
    {
        Directory.CreateDirectory(Home);
    }

    public Dictionary<string, string> Variables { get; } = new(StringComparer.Ordinal);

    public string Root => temp.Path;

    public string Home => temp.Combine("home");

    public string SystemConfigPath => temp.Combine("etc", "python-gitlab.cfg");

    public string UserConfigPath => Path.Combine(Home, ".python-gitlab.cfg");

    public TimeSpan HelperTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public CredentialEnvironment Environment => new(
        name => Variables.TryGetValue(name, out var value) ? value : null, Home, temp.Path)
    {
        SystemConfigPath = SystemConfigPath,
        HelperTimeout = HelperTimeout,
        WindowsRules = false,
    };

    public string WriteUserConfig(string text) => Write(UserConfigPath, text);

    public string WriteSystemConfig(string text) => Write(SystemConfigPath, text);

    public string WriteFile(string relativePath, string text) => temp.WriteFile(relativePath, text);

    /// <summary>Writes an executable /bin/sh script under scripts/ and returns its full path.</summary>
    public string WriteScript(string name, string body)
    {
        var path = temp.WriteFile("scripts/" + name, "#!/bin/sh\n" + body + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }

    public PythonGitLabConfig LoadConfig() => PythonGitLabConfig.Load(Environment);

    public GitLabConnection Resolve(string? server = null) => GitLabCredentials.Resolve(server, Environment);

    public MlflowConnectionSettings ResolveMlflow() => MlflowCredentials.Resolve(Environment);

    public void Dispose() => temp.Dispose();

    private static string Write(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }
}
