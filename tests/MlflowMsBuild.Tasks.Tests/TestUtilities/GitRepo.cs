using System.Diagnostics;

namespace MlflowMsBuild.Tasks.Tests.TestUtilities;

/// <summary>A git repository in a temporary folder, on branch <c>main</c> with one commit, driven through the <c>git</c> CLI.</summary>
public sealed class GitRepo : IDisposable
{
    private readonly TempDirectory directory = new();

    private GitRepo()
    {
    }

    public string Root => directory.Path;

    public static GitRepo Create()
    {
        var repo = new GitRepo();
        repo.Git("init", "-q", "-b", "main");
        repo.Git("config", "user.name", "Test User");
        repo.Git("config", "user.email", "test@example.com");
        repo.Git("config", "commit.gpgsign", "false");
        repo.WriteFile("README.md", "# test repository\n"u8.ToArray());
        repo.CommitAll("initial commit");
        return repo;
    }

    public string Combine(string relativePath) => directory.Combine(relativePath);

    public string WriteFile(string relativePath, byte[] content) => directory.WriteFile(relativePath, content);

    public void CommitAll(string message)
    {
        Git("add", "-A");
        Git("commit", "-q", "-m", message);
    }

    /// <summary>Runs git in the repository and returns its trimmed standard output; throws on a non-zero exit.</summary>
    public string Git(params string[] arguments)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Keep the user's and the system's configuration out of the test.
        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        start.Environment["GIT_CONFIG_GLOBAL"] = OperatingSystem.IsWindows() ? "NUL" : "/dev/null";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("git did not start");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"git {string.Join(' ', arguments)} exited with {process.ExitCode}: {stderr.Result}");
        }

        return stdout.Trim();
    }

    public void Dispose() => directory.Dispose();
}
