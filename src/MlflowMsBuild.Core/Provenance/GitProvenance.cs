using LibGit2Sharp;
using MlflowMsBuild.Core.Errors;

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
        return new GitProvenance(
            head.Sha,
            repository.Info.IsHeadDetached ? null : repository.Head.FriendlyName,
            status.IsDirty,
            remoteUrl,
            remoteUrl is null ? null : RemoteUrls.CommitWebUrl(remoteUrl, head.Sha),
            repository.Info.WorkingDirectory.TrimEnd(Path.DirectorySeparatorChar));
    }
}
