using LibGit2Sharp;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.IO;

namespace MlflowMsBuild.Core.Provenance;

/// <summary>Reads <see cref="GitProvenance"/> in process with libgit2 (LibGit2Sharp): no process, no git install needed.</summary>
internal static class LibGit2Provenance
{
    /// <summary>
    /// The state libgit2 would misread without failing, or null. libgit2 does not know sparse checkouts: it reports
    /// every file outside the sparse set as deleted, where <c>git status</c> is clean.
    /// </summary>
    public static string? Misreads(Repository repository)
    {
        var sparse = repository.Config.Get<bool>("core.sparseCheckout")?.Value == true
            || File.Exists(Path.Combine(repository.Info.Path, "info", "sparse-checkout"));
        return sparse ? "a sparse checkout, which libgit2 does not support" : null;
    }

    /// <summary>Errors: MLF1014 without a commit; libgit2's own exceptions for what it cannot read.</summary>
    public static GitProvenance Read(Repository repository)
    {
        var root = repository.Info.WorkingDirectory?.TrimEnd(Path.DirectorySeparatorChar)
            ?? throw new MlflowException(MlfError.NotAGitRepository, repository.Info.Path);
        var head = repository.Head.Tip
            ?? throw new MlflowException(MlfError.GitRepositoryWithoutCommits, root);
        var status = repository.RetrieveStatus(new StatusOptions { IncludeUntracked = false, RecurseUntrackedDirs = false, ExcludeSubmodules = true, DetectRenamesInIndex = false, DetectRenamesInWorkDir = false });
        var changed = status.Where(e => e.State != FileStatus.Unaltered && e.State != FileStatus.Ignored).Select(e => e.FilePath.Replace('\\', '/'))
            .Concat(ChangedSubmodules(repository))
            .Distinct().Order(StringComparer.Ordinal).ToList();
        var isDirty = changed.Count > 0;
        var remotes = repository.Network.Remotes.ToDictionary(r => r.Name, r => r.Url, StringComparer.Ordinal);
        var branch = repository.Info.IsHeadDetached ? null : repository.Head.FriendlyName;
        var tracked = branch is null ? null : repository.Config.Get<string>($"branch.{branch}.remote")?.Value;
        var remote = CommitRemote.Choose(remotes, tracked);
        var commitWebUrl = remote is null ? null : RemoteUrls.CommitWebUrl(remote.Value.Url, head.Sha);
        var warning = CommitRemote.MissingPageWarning(root, head.Sha, remotes, remote?.Name, remote?.Url, commitWebUrl);
        return new GitProvenance(head.Sha, branch, isDirty, remote?.Url, commitWebUrl, root)
        {
            RemoteName = remote?.Name,
            ChangedFiles = changed,
            ChangesDigest = isDirty ? DigestOfChanges(repository, head) : null,
            Warnings = warning is null ? [] : [warning],
        };
    }

    /// <summary>
    /// Submodules <c>git status --untracked-files=no</c> lists: another commit checked out, staged or modified tracked
    /// files inside. libgit2 would also count files untracked inside a submodule, which git does not.
    /// </summary>
    private static IEnumerable<string> ChangedSubmodules(Repository repository)
    {
        const SubmoduleStatus Changed = SubmoduleStatus.IndexAdded | SubmoduleStatus.IndexDeleted | SubmoduleStatus.IndexModified
            | SubmoduleStatus.WorkDirAdded | SubmoduleStatus.WorkDirDeleted | SubmoduleStatus.WorkDirModified
            | SubmoduleStatus.WorkDirFilesIndexDirty | SubmoduleStatus.WorkDirFilesModified;
        return repository.Submodules.Where(s => (s.RetrieveStatus() & Changed) != 0).Select(s => s.Path.Replace('\\', '/'));
    }

    private static string DigestOfChanges(Repository repository, Commit head)
    {
        using var patch = repository.Diff.Compare<Patch>(head.Tree, DiffTargets.Index | DiffTargets.WorkingDirectory);
        return Sha256Hex.OfUtf8(patch.Content);
    }
}
