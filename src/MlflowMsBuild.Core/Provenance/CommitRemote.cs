using MlflowMsBuild.Core.Errors;

namespace MlflowMsBuild.Core.Provenance;

/// <summary>
/// Which remote names the commit's web page: <c>origin</c>; else the remote the current branch tracks
/// (<c>branch.NAME.remote</c>); else the only remote. Several remotes and none of these: no commit page.
/// </summary>
internal static class CommitRemote
{
    /// <param name="remotes">Remote name → URL, as the repository's configuration lists them.</param>
    /// <param name="trackedRemote">The current branch's <c>branch.NAME.remote</c>; null when detached or not tracking.</param>
    /// <returns>The chosen remote's name and URL (credentials removed), or null.</returns>
    public static (string Name, string Url)? Choose(IReadOnlyDictionary<string, string> remotes, string? trackedRemote)
    {
        string? name = remotes.ContainsKey("origin") ? "origin"
            : trackedRemote is not null && remotes.ContainsKey(trackedRemote) ? trackedRemote
            : remotes.Count == 1 ? remotes.Keys.First()
            : null;
        return name is null ? null : (name, RemoteUrls.WithoutCredentials(remotes[name]));
    }

    /// <summary>The coded warning that the version will have no commit page, or null when it has one.</summary>
    public static MlfWarning? MissingPageWarning(string repositoryRoot, string commitSha, IReadOnlyDictionary<string, string> remotes, string? remoteName, string? remoteUrl, string? commitWebUrl)
    {
        if (commitWebUrl is not null)
        {
            return null;
        }

        if (remotes.Count == 0)
        {
            return MlfWarning.Create(MlfError.GitRemoteMissing, repositoryRoot, commitSha);
        }

        return remoteName is null
            ? MlfWarning.Create(MlfError.GitRemoteAmbiguous, repositoryRoot, string.Join(", ", remotes.Keys.Order(StringComparer.Ordinal)))
            : MlfWarning.Create(MlfError.GitRemoteNotWebAddress, repositoryRoot, remoteName, remoteUrl);
    }
}
