using System.Diagnostics;

namespace MlflowMsBuild.Core.Tests.TestUtilities;

/// <summary>A real git repository in a temporary folder, driven through the <c>git</c> command line.</summary>
public sealed class GitRepo : IDisposable
{
    private readonly TempDirectory directory = new();

    private GitRepo()
    {
    }

    public string Root => directory.Path;

    /// <summary>Creates a repository on branch <c>main</c> with one commit holding README.md.</summary>
    public static GitRepo Create(string? originUrl = null)
    {
        var repo = CreateEmpty();
        repo.WriteFile("README.md", "# test repository\n");
        repo.CommitAll("initial commit");
        if (originUrl is not null)
        {
            repo.Git("remote", "add", "origin", originUrl);
        }

        return repo;
    }

    /// <summary>Creates a repository on branch <c>main</c> without any commit.</summary>
    public static GitRepo CreateEmpty()
    {
        var repo = new GitRepo();
        repo.Git("init", "-q", "-b", "main");
        repo.Git("config", "user.name", "Test User");
        repo.Git("config", "user.email", "test@example.com");
        repo.Git("config", "commit.gpgsign", "false");
        return repo;
    }

    /// <summary>
    /// Clones <paramref name="source"/> through <c>file://</c> (so <c>--filter</c> and <c>--depth</c> apply) with
    /// <paramref name="options"/>, e.g. <c>--filter=blob:none</c>; the source must allow filters (<see cref="AllowFilters"/>).
    /// </summary>
    public static GitRepo Clone(GitRepo source, params string[] options)
    {
        var repo = new GitRepo();
        repo.Git(["clone", "-q", .. options, new Uri(source.Root).AbsoluteUri, "."]);
        repo.Git("config", "user.name", "Test User");
        repo.Git("config", "user.email", "test@example.com");
        return repo;
    }

    /// <summary>Lets clones of this repository ask for partial (filtered) content.</summary>
    public void AllowFilters()
    {
        Git("config", "uploadpack.allowFilter", "true");
        Git("config", "uploadpack.allowAnySHA1InWant", "true");
    }

    /// <summary>What <c>git status --porcelain --untracked-files=no</c> lists, run in <paramref name="folder"/> (default: the root).</summary>
    public string Status(string? folder = null) => GitIn(folder ?? Root, "status", "--porcelain", "--untracked-files=no");

    public string Path(params string[] parts) => directory.Combine(parts);

    public string WriteFile(string relativePath, string content) => directory.WriteFile(relativePath, content);

    public string WriteFile(string relativePath, byte[] content) => directory.WriteFile(relativePath, content);

    public string CommitAll(string message)
    {
        Git("add", "-A");
        Git("commit", "-q", "-m", message);
        return HeadSha();
    }

    public string HeadSha() => Git("rev-parse", "HEAD");

    /// <summary>Runs git in the repository and returns its trimmed standard output; fails on a non-zero exit.</summary>
    public string Git(params string[] arguments) => GitIn(Root, arguments);

    /// <summary>Runs git in <paramref name="folder"/> (a worktree, a submodule) with this test's configuration.</summary>
    public string GitIn(string folder, params string[] arguments)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = folder,
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
        // Commits in clones, worktrees and submodules need an identity too.
        start.Environment["GIT_AUTHOR_NAME"] = start.Environment["GIT_COMMITTER_NAME"] = "Test User";
        start.Environment["GIT_AUTHOR_EMAIL"] = start.Environment["GIT_COMMITTER_EMAIL"] = "test@example.com";
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
