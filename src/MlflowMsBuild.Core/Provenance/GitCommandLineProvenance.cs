using System.Text;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.IO;

namespace MlflowMsBuild.Core.Provenance;

/// <summary>
/// Reads <see cref="GitProvenance"/> with the <c>git</c> command line, for what libgit2 cannot read: six processes
/// (top level, HEAD, branch, status, remotes, tracked remote) plus one diff when the tree is dirty. The dirty check is
/// <c>git status --porcelain --untracked-files=no</c> itself, so it agrees with git on sparse checkouts and submodules.
/// </summary>
internal static class GitCommandLineProvenance
{
    /// <summary>Errors: MLF1007 outside a repository, MLF1014 without a commit, MLF1016 when git fails.</summary>
    public static GitProvenance Read(string git, string path)
    {
        var (exitCode, output, error) = GitCommand.Run(git, path, "rev-parse", "--show-toplevel");
        if (exitCode != 0)
        {
            throw error.Contains("not a git repository", StringComparison.OrdinalIgnoreCase)
                ? new MlflowException(MlfError.NotAGitRepository, path)
                : new MlflowException(MlfError.GitCommandFailed, "git rev-parse --show-toplevel", path, exitCode, error);
        }

        var root = Path.GetFullPath(Encoding.UTF8.GetString(output).Trim()).TrimEnd(Path.DirectorySeparatorChar);
        var head = GitCommand.Run(git, root, "rev-parse", "--quiet", "--verify", "HEAD^{commit}");
        if (head.ExitCode != 0)
        {
            throw new MlflowException(MlfError.GitRepositoryWithoutCommits, root);
        }

        var sha = Encoding.UTF8.GetString(head.Output).Trim();
        var symbolic = GitCommand.Run(git, root, "symbolic-ref", "--quiet", "--short", "HEAD");
        var branch = symbolic.ExitCode == 0 ? Encoding.UTF8.GetString(symbolic.Output).Trim() : null;
        var changed = ChangedFiles(GitCommand.RunText(git, root, "status", "--porcelain=v1", "-z", "--untracked-files=no", "--no-renames"));
        var remotes = Remotes(git, root);
        var tracked = branch is null ? null : ConfigValue(git, root, $"branch.{branch}.remote");
        var remote = CommitRemote.Choose(remotes, tracked);
        var commitWebUrl = remote is null ? null : RemoteUrls.CommitWebUrl(remote.Value.Url, sha);
        var warning = CommitRemote.MissingPageWarning(root, sha, remotes, remote?.Name, remote?.Url, commitWebUrl);
        return new GitProvenance(sha, branch, changed.Count > 0, remote?.Url, commitWebUrl, root)
        {
            RemoteName = remote?.Name,
            ChangedFiles = changed,
            ChangesDigest = changed.Count > 0 ? DigestOfChanges(git, root) : null,
            Warnings = warning is null ? [] : [warning],
        };
    }

    /// <summary>Paths of <c>git status --porcelain=v1 -z</c> entries: "XY path\0" (renames are off, so one path each).</summary>
    internal static List<string> ChangedFiles(string porcelain) =>
        porcelain.Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Where(entry => entry.Length > 3)
            .Select(entry => entry[3..])
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();

    private static Dictionary<string, string> Remotes(string git, string root)
    {
        // "remote.NAME.url URL" records, NUL-terminated with -z (the key and value separated by a newline); none: exit 1.
        var (exitCode, output, error) = GitCommand.Run(git, root, "config", "-z", "--get-regexp", @"^remote\..*\.url$");
        if (exitCode is not (0 or 1))
        {
            throw new MlflowException(MlfError.GitCommandFailed, "git config --get-regexp remote", root, exitCode, error);
        }

        var remotes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var record in Encoding.UTF8.GetString(output).Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            var newline = record.IndexOf('\n', StringComparison.Ordinal);
            if (newline > 0)
            {
                var key = record[..newline];
                remotes.TryAdd(key["remote.".Length..^".url".Length], record[(newline + 1)..]);
            }
        }

        return remotes;
    }

    private static string? ConfigValue(string git, string root, string key)
    {
        var (exitCode, output, _) = GitCommand.Run(git, root, "config", "--get", key);
        return exitCode == 0 ? Encoding.UTF8.GetString(output).Trim() : null;
    }

    private static string DigestOfChanges(string git, string root)
    {
        var (exitCode, output, error) = GitCommand.Run(git, root, "diff", "HEAD", "--binary", "--no-color", "--no-ext-diff", "--no-textconv");
        return exitCode == 0 ? Sha256Hex.Of(output) : throw new MlflowException(MlfError.GitCommandFailed, "git diff HEAD", root, exitCode, error);
    }
}
