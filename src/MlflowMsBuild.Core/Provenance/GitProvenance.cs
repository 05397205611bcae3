using LibGit2Sharp;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.IO;

namespace MlflowMsBuild.Core.Provenance;

/// <param name="CommitWebUrl">The commit's page on GitLab or GitHub, derived from the <c>origin</c> remote; null without one.</param>
/// <param name="RemoteUrl">The <c>origin</c> remote without any credentials it carried.</param>
/// <param name="IsDirty">Tracked files differ from the commit (untracked files do not count).</param>
public sealed record GitProvenance(
    string CommitSha,
    string? Branch,
    bool IsDirty,
    string? RemoteUrl,
    string? CommitWebUrl,
    string RepositoryRoot)
{
    /// <summary>The tracked files that differ from the commit, '/'-separated and sorted; empty when clean.</summary>
    public IReadOnlyList<string> ChangedFiles { get; init; } = [];

    /// <summary>
    /// SHA-256 (hex) of the uncommitted changes (the patch of index and working tree against the commit), so two
    /// publishes from the same commit with different edits are told apart; null when clean.
    /// </summary>
    public string? ChangesDigest { get; init; }

    /// <summary>Reads the repository that contains <paramref name="path"/>.</summary>
    public static GitProvenance Read(string path)
    {
        var root = Repository.Discover(path)
            ?? throw new MlflowException(MlfError.NotAGitRepository, path);
        using var repository = new Repository(root);
        var head = repository.Head.Tip
            ?? throw new MlflowException(MlfError.NotAGitRepository, path);
        var status = repository.RetrieveStatus(new StatusOptions { IncludeUntracked = false, RecurseUntrackedDirs = false });
        var remoteUrl = repository.Network.Remotes["origin"]?.Url is { } url ? RemoteUrls.WithoutCredentials(url) : null;
        var changed = status.IsDirty
            ? status.Where(e => e.State != FileStatus.Unaltered && e.State != FileStatus.Ignored).Select(e => e.FilePath.Replace('\\', '/')).Distinct().Order(StringComparer.Ordinal).ToList()
            : [];
        return new GitProvenance(
            head.Sha,
            repository.Info.IsHeadDetached ? null : repository.Head.FriendlyName,
            status.IsDirty,
            remoteUrl,
            remoteUrl is null ? null : RemoteUrls.CommitWebUrl(remoteUrl, head.Sha),
            repository.Info.WorkingDirectory.TrimEnd(Path.DirectorySeparatorChar))
        {
            ChangedFiles = changed,
            ChangesDigest = status.IsDirty ? DigestOfChanges(repository, head) : null,
        };
    }

    private static string DigestOfChanges(Repository repository, Commit head)
    {
        using var patch = repository.Diff.Compare<Patch>(head.Tree, DiffTargets.Index | DiffTargets.WorkingDirectory);
        return Sha256Hex.OfUtf8(patch.Content);
    }
}
