using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Provenance;
using MlflowMsBuild.Core.Tests.TestUtilities;

namespace MlflowMsBuild.Core.Tests.Provenance;

/// <summary>
/// The repository states users publish from, each built with the real git command. Every read must agree with
/// <c>git status --porcelain --untracked-files=no</c> and end either in provenance or in a coded error (never MLF9999).
/// </summary>
[TestClass]
public sealed class GitStatesTests
{
    private const string WebOrigin = "https://gitlab.example.org/group/project.git";

    /// <summary>A repository with files in two folders (a/ and b/), clonable with filters.</summary>
    private static GitRepo Source()
    {
        var source = GitRepo.Create();
        foreach (var folder in new[] { "a", "b" })
        {
            for (var i = 1; i <= 3; i++)
            {
                source.WriteFile($"{folder}/f{i}.txt", $"{folder}{i}\n");
            }
        }

        source.CommitAll("two folders");
        source.AllowFilters();
        return source;
    }

    private static void AssertAgreesWithGitStatus(GitRepo repo, GitProvenance provenance, string? folder = null)
    {
        var status = repo.Status(folder);
        Assert.AreEqual(status.Length > 0, provenance.IsDirty, $"git status says: '{status}'");
        Assert.AreEqual(repo.GitIn(folder ?? repo.Root, "rev-parse", "HEAD"), provenance.CommitSha);
    }

    [TestMethod]
    [DataRow("--filter=blob:none")]
    [DataRow("--filter=tree:0")]
    public void PartialClone_ReadsTheCommitAndIsClean(string filter)
    {
        using var source = Source();
        using var clone = GitRepo.Clone(source, filter);
        clone.Git("remote", "set-url", "origin", WebOrigin);

        var provenance = GitProvenance.Read(clone.Root);

        AssertAgreesWithGitStatus(clone, provenance);
        Assert.IsFalse(provenance.IsDirty);
        Assert.AreEqual("main", provenance.Branch);
        Assert.AreEqual($"https://gitlab.example.org/group/project/-/commit/{source.HeadSha()}", provenance.CommitWebUrl);
    }

    [TestMethod]
    public void PartialCloneExtension_IsReadWithTheGitCommand()
    {
        using var source = Source();
        using var clone = GitRepo.Clone(source);
        clone.Git("config", "core.repositoryformatversion", "1");
        clone.Git("config", "extensions.partialClone", "origin");
        clone.WriteFile("a/f1.txt", "edited\n");

        var provenance = GitProvenance.Read(clone.Root);

        AssertAgreesWithGitStatus(clone, provenance);
        CollectionAssert.AreEqual(new[] { "a/f1.txt" }, provenance.ChangedFiles.ToArray());
        Assert.AreEqual(64, provenance.ChangesDigest!.Length);
    }

    [TestMethod]
    public void PartialCloneExtension_WithoutTheGitCommand_IsCodedAndNamesTheRepository()
    {
        using var source = Source();
        using var clone = GitRepo.Clone(source);
        clone.Git("config", "core.repositoryformatversion", "1");
        clone.Git("config", "extensions.partialClone", "origin");

        var error = MlfAssert.Throws(MlfError.GitNeedsGitCommand, () => GitProvenance.Read(clone.Root, git: null));

        Assert.Contains(clone.Root, error.Message);
        Assert.Contains("PATH", error.Message);
    }

    [TestMethod]
    public void BloblessCloneWithConeSparseCheckout_IsCleanAndListsOnlyRealChanges()
    {
        using var source = Source();
        using var clone = GitRepo.Clone(source, "--filter=blob:none", "--no-checkout");
        clone.Git("sparse-checkout", "set", "a");
        clone.Git("checkout", "-q", "main");
        Assert.IsFalse(File.Exists(clone.Path("b", "f1.txt")));

        var clean = GitProvenance.Read(clone.Root);
        clone.WriteFile("a/f2.txt", "edited\n");
        var dirty = GitProvenance.Read(clone.Root);

        Assert.IsFalse(clean.IsDirty);
        Assert.IsEmpty(clean.ChangedFiles);
        AssertAgreesWithGitStatus(clone, dirty);
        CollectionAssert.AreEqual(new[] { "a/f2.txt" }, dirty.ChangedFiles.ToArray());
    }

    [TestMethod]
    public void NonConeSparseCheckout_IsClean()
    {
        using var source = Source();
        using var clone = GitRepo.Clone(source);
        clone.Git("sparse-checkout", "set", "--no-cone", "/a/f1.txt", "/README.md");
        Assert.IsFalse(File.Exists(clone.Path("a", "f2.txt")));

        var provenance = GitProvenance.Read(clone.Root);

        AssertAgreesWithGitStatus(clone, provenance);
        Assert.IsFalse(provenance.IsDirty);
    }

    [TestMethod]
    public void SparseCheckout_WithoutTheGitCommand_IsCodedInsteadOfDirty()
    {
        using var source = Source();
        using var clone = GitRepo.Clone(source);
        clone.Git("sparse-checkout", "set", "a");

        var error = MlfAssert.Throws(MlfError.GitNeedsGitCommand, () => GitProvenance.Read(clone.Root, git: null));

        Assert.Contains(clone.Root, error.Message);
        Assert.Contains("sparse checkout", error.Message);
    }

    [TestMethod]
    public void ShallowClone_ReadsTheCommit()
    {
        using var source = Source();
        source.WriteFile("a/f1.txt", "second\n");
        source.CommitAll("second");
        using var clone = GitRepo.Clone(source, "--depth", "1");
        Assert.AreEqual("true", clone.Git("rev-parse", "--is-shallow-repository"));

        var provenance = GitProvenance.Read(clone.Root);

        AssertAgreesWithGitStatus(clone, provenance);
        Assert.AreEqual(source.HeadSha(), provenance.CommitSha);
        Assert.AreEqual("main", provenance.Branch);
    }

    [TestMethod]
    public void LinkedWorktree_ReadsItsOwnBranchCommitAndChanges()
    {
        using var repo = Source();
        using var parent = new TempDirectory();
        var worktree = Path.Combine(parent.Path, "feature");
        repo.Git("worktree", "add", "-q", "-b", "feature", worktree);
        File.WriteAllText(Path.Combine(worktree, "a", "f3.txt"), "edited in the worktree\n");
        repo.GitIn(worktree, "commit", "-q", "-am", "feature commit");
        repo.WriteFile("b/f1.txt", "edited in the main worktree\n");

        var provenance = GitProvenance.Read(Path.Combine(worktree, "a"));

        AssertAgreesWithGitStatus(repo, provenance, worktree);
        Assert.AreEqual("feature", provenance.Branch);
        Assert.AreEqual(worktree, provenance.RepositoryRoot);
        Assert.IsFalse(provenance.IsDirty);
        Assert.IsTrue(GitProvenance.Read(repo.Root).IsDirty);
    }

    [TestMethod]
    public void InsideASubmodule_ReadsTheSubmodule()
    {
        using var both = new Submodules();
        var (superproject, submodule) = (both.Superproject, both.Submodule);
        var inside = superproject.Path("sm");

        var provenance = GitProvenance.Read(inside);

        AssertAgreesWithGitStatus(superproject, provenance, inside);
        Assert.AreEqual(inside, provenance.RepositoryRoot);
        Assert.AreEqual(submodule.HeadSha(), provenance.CommitSha);
    }

    [TestMethod]
    public void SuperprojectWithAModifiedSubmodule_IsDirtyAsGitSays_UntrackedFilesInItAreNot()
    {
        using var both = new Submodules();
        var superproject = both.Superproject;
        superproject.WriteFile("sm/scratch.txt", "untracked in the submodule");

        var untrackedOnly = GitProvenance.Read(superproject.Root);
        AssertAgreesWithGitStatus(superproject, untrackedOnly);
        Assert.IsFalse(untrackedOnly.IsDirty);

        superproject.WriteFile("sm/s.txt", "modified in the submodule\n");
        var modified = GitProvenance.Read(superproject.Root);

        AssertAgreesWithGitStatus(superproject, modified);
        CollectionAssert.AreEqual(new[] { "sm" }, modified.ChangedFiles.ToArray());
    }

    [TestMethod]
    public void SuperprojectWithAnotherSubmoduleCommitCheckedOut_IsDirty()
    {
        using var both = new Submodules();
        var superproject = both.Superproject;
        superproject.WriteFile("sm/s.txt", "next\n");
        superproject.GitIn(superproject.Path("sm"), "commit", "-q", "-am", "next in the submodule");

        var provenance = GitProvenance.Read(superproject.Root);

        AssertAgreesWithGitStatus(superproject, provenance);
        CollectionAssert.AreEqual(new[] { "sm" }, provenance.ChangedFiles.ToArray());
    }

    [TestMethod]
    public void NoCommits_AsksToCommitFirst()
    {
        using var repo = GitRepo.CreateEmpty();
        repo.WriteFile("README.md", "not committed");

        var error = MlfAssert.Throws(MlfError.GitRepositoryWithoutCommits, () => GitProvenance.Read(repo.Root));

        Assert.Contains(repo.Root, error.Message);
        Assert.Contains("Commit first", error.Message);
    }

    [TestMethod]
    public void UnknownRepositoryExtension_IsGitsOwnCodedError()
    {
        using var repo = GitRepo.Create();
        repo.Git("config", "core.repositoryformatversion", "1");
        repo.Git("config", "extensions.mlflowMsBuildTest", "true");

        var error = MlfAssert.Throws(MlfError.GitCommandFailed, () => GitProvenance.Read(repo.Root));

        Assert.Contains(repo.Root, error.Message);
        Assert.Contains("mlflowmsbuildtest", error.Message.ToLowerInvariant());
    }

    [TestMethod]
    public void NoRemote_WarnsThatTheCommitPageIsMissing()
    {
        using var repo = GitRepo.Create();

        var provenance = GitProvenance.Read(repo.Root);

        Assert.IsNull(provenance.CommitWebUrl);
        var warning = provenance.Warnings.Single();
        Assert.AreEqual(MlfError.GitRemoteMissing, warning.Error);
        Assert.Contains(repo.Root, warning.Message);
        Assert.Contains("git remote add origin", warning.Message);
    }

    [TestMethod]
    public void OnlyAnUpstreamRemote_NamesTheCommitPage()
    {
        using var repo = GitRepo.Create();
        repo.Git("remote", "add", "upstream", WebOrigin);

        var provenance = GitProvenance.Read(repo.Root);

        Assert.AreEqual("upstream", provenance.RemoteName);
        Assert.AreEqual($"https://gitlab.example.org/group/project/-/commit/{repo.HeadSha()}", provenance.CommitWebUrl);
        Assert.IsEmpty(provenance.Warnings);
    }

    [TestMethod]
    public void OriginAndAnother_OriginWins()
    {
        using var repo = GitRepo.Create();
        repo.Git("remote", "add", "fork", "https://github.com/someone/project.git");
        repo.Git("remote", "add", "origin", WebOrigin);

        var provenance = GitProvenance.Read(repo.Root);

        Assert.AreEqual("origin", provenance.RemoteName);
        Assert.AreEqual(WebOrigin, provenance.RemoteUrl);
    }

    [TestMethod]
    public void SeveralRemotesWithoutOrigin_TheTrackedOneWins_ElseAWarning()
    {
        using var source = Source();
        using var repo = GitRepo.Create();
        repo.Git("remote", "add", "fork", "https://github.com/someone/project.git");
        repo.Git("remote", "add", "upstream", new Uri(source.Root).AbsoluteUri);
        var ambiguous = GitProvenance.Read(repo.Root);

        repo.Git("fetch", "-q", "upstream");
        repo.Git("checkout", "-q", "-b", "tracking", "--track", "upstream/main");
        repo.Git("remote", "set-url", "upstream", WebOrigin);
        var tracked = GitProvenance.Read(repo.Root);

        Assert.IsNull(ambiguous.CommitWebUrl);
        Assert.AreEqual(MlfError.GitRemoteAmbiguous, ambiguous.Warnings.Single().Error);
        Assert.Contains("fork, upstream", ambiguous.Warnings.Single().Message);
        Assert.AreEqual("upstream", tracked.RemoteName);
        Assert.AreEqual($"https://gitlab.example.org/group/project/-/commit/{source.HeadSha()}", tracked.CommitWebUrl);
    }

    [TestMethod]
    public void LocalPathRemote_WarnsThatItHasNoWebPage()
    {
        using var repo = GitRepo.Create("/srv/git/mirror.git");

        var warning = GitProvenance.Read(repo.Root).Warnings.Single();

        Assert.AreEqual(MlfError.GitRemoteNotWebAddress, warning.Error);
        Assert.Contains("/srv/git/mirror.git", warning.Message);
    }

    /// <summary>A superproject on main with the submodule <c>sm</c> (one file, s.txt) committed.</summary>
    private sealed class Submodules : IDisposable
    {
        public Submodules()
        {
            Submodule.WriteFile("s.txt", "submodule file\n");
            Submodule.CommitAll("submodule");
            Superproject.Git("-c", "protocol.file.allow=always", "submodule", "add", "-q", new Uri(Submodule.Root).AbsoluteUri, "sm");
            Superproject.CommitAll("add submodule");
        }

        public GitRepo Superproject { get; } = GitRepo.Create();

        public GitRepo Submodule { get; } = GitRepo.Create();

        public void Dispose()
        {
            Superproject.Dispose();
            Submodule.Dispose();
        }
    }
}
