using LibGit2Sharp;
using MlflowMsBuild.Core.Errors;

namespace MlflowMsBuild.Core.Provenance;

/// <param name="CommitWebUrl">The commit's page on GitLab or GitHub, derived from the remote <see cref="RemoteName"/>; null without one.</param>
/// <param name="RemoteUrl">The remote <see cref="RemoteName"/> without any credentials it carried; null without one.</param>
/// <param name="IsDirty">Tracked files differ from the commit, as <c>git status --porcelain --untracked-files=no</c> says.</param>
public sealed record GitProvenance(
    string CommitSha,
    string? Branch,
    bool IsDirty,
    string? RemoteUrl,
    string? CommitWebUrl,
    string RepositoryRoot)
{
    /// <summary>The remote that names the commit's page (see <see cref="CommitRemote"/>); null without one.</summary>
    public string? RemoteName { get; init; }

    /// <summary>The tracked files that differ from the commit, '/'-separated and sorted; empty when clean.</summary>
    public IReadOnlyList<string> ChangedFiles { get; init; } = [];

    /// <summary>
    /// SHA-256 (hex) of the uncommitted changes (the patch of index and working tree against the commit), so two
    /// publishes from the same commit with different edits are told apart; null when clean.
    /// </summary>
    public string? ChangesDigest { get; init; }

    /// <summary>What the publish should warn about (no remote: no commit page, MLF4010-4012); empty when nothing.</summary>
    public IReadOnlyList<MlfWarning> Warnings { get; init; } = [];

    /// <summary>
    /// Reads the repository that contains <paramref name="path"/> with libgit2, or with the <c>git</c> command on PATH
    /// where libgit2 cannot read it (a sparse checkout, an extension it does not support, a missing object of a partial
    /// clone). Errors: MLF1007 not in a repository, MLF1014 no commit yet, MLF1015 libgit2 failed and git is not on PATH,
    /// MLF1016 git failed.
    /// </summary>
    public static GitProvenance Read(string path) => Read(path, GitCommand.FindOnPath());

    /// <param name="git">The git command line to fall back to; null when there is none.</param>
    internal static GitProvenance Read(string path, string? git)
    {
        string? root = null;
        try
        {
            root = Repository.Discover(path) ?? throw new MlflowException(MlfError.NotAGitRepository, path);
            using var repository = new Repository(root);
            if (LibGit2Provenance.Misreads(repository) is { } state)
            {
                return CommandLine(path, git, WorkingDirectoryOf(repository) ?? path, state);
            }

            return LibGit2Provenance.Read(repository);
        }
        catch (Exception e) when (e is LibGit2SharpException or TypeInitializationException or DllNotFoundException)
        {
            return CommandLine(path, git, root is null ? path : RepositoryFolder(root), e.Message);
        }
    }

    private static GitProvenance CommandLine(string path, string? git, string repository, string reason) =>
        git is null
            ? throw new MlflowException(MlfError.GitNeedsGitCommand, repository, reason)
            : GitCommandLineProvenance.Read(git, path);

    private static string? WorkingDirectoryOf(Repository repository) => repository.Info.WorkingDirectory?.TrimEnd(Path.DirectorySeparatorChar);

    /// <summary>The working tree of a discovered <c>.git</c> folder (its parent), for messages.</summary>
    private static string RepositoryFolder(string gitDirectory)
    {
        var trimmed = gitDirectory.TrimEnd('/', '\\');
        return Path.GetFileName(trimmed) == ".git" ? Path.GetDirectoryName(trimmed) ?? trimmed : trimmed;
    }
}
