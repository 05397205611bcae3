using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Provenance;
using MlflowMsBuild.Core.Tests.TestUtilities;

namespace MlflowMsBuild.Core.Tests.Provenance;

/// <summary>The git command-line reader (the fallback) agrees with libgit2 wherever libgit2 can read the repository.</summary>
[TestClass]
public sealed class GitCommandLineProvenanceTests
{
    private static readonly string Git = GitCommand.FindOnPath() ?? throw new InvalidOperationException("the tests need git on PATH");

    private readonly List<GitRepo> repos = [];

    private static void AssertSameAsLibGit2(string path)
    {
        var libgit2 = GitProvenance.Read(path, git: null);
        var commandLine = GitCommandLineProvenance.Read(Git, path);

        Assert.AreEqual(libgit2.CommitSha, commandLine.CommitSha);
        Assert.AreEqual(libgit2.Branch, commandLine.Branch);
        Assert.AreEqual(libgit2.RepositoryRoot, commandLine.RepositoryRoot);
        Assert.AreEqual(libgit2.IsDirty, commandLine.IsDirty);
        CollectionAssert.AreEqual(libgit2.ChangedFiles.ToArray(), commandLine.ChangedFiles.ToArray());
        Assert.AreEqual(libgit2.ChangesDigest is null, commandLine.ChangesDigest is null);
        Assert.AreEqual(libgit2.RemoteName, commandLine.RemoteName);
        Assert.AreEqual(libgit2.RemoteUrl, commandLine.RemoteUrl);
        Assert.AreEqual(libgit2.CommitWebUrl, commandLine.CommitWebUrl);
        CollectionAssert.AreEqual(libgit2.Warnings.ToArray(), commandLine.Warnings.ToArray());
    }

    [TestMethod]
    public void CleanWithOrigin() => AssertSameAsLibGit2(Repo("https://oauth2:secret@gitlab.example.org/g/p.git").Root);

    [TestMethod]
    public void NoRemote() => AssertSameAsLibGit2(Repo().Root);

    [TestMethod]
    public void ModifiedStagedDeletedAndRenamedFiles()
    {
        var repo = Repo();
        repo.WriteFile("src/a b.txt", "a");
        repo.WriteFile("src/c.txt", "c");
        repo.WriteFile("src/d.txt", "d");
        repo.CommitAll("files");
        repo.WriteFile("src/a b.txt", "modified");
        repo.WriteFile("staged.txt", "staged");
        repo.Git("add", "staged.txt");
        File.Delete(repo.Path("src", "c.txt"));
        repo.Git("mv", "src/d.txt", "src/e.txt");
        repo.WriteFile("untracked.txt", "ignored by both");

        AssertSameAsLibGit2(repo.Path("src"));
        CollectionAssert.AreEqual(
            new[] { "src/a b.txt", "src/c.txt", "src/d.txt", "src/e.txt", "staged.txt" },
            GitCommandLineProvenance.Read(Git, repo.Root).ChangedFiles.ToArray());
    }

    [TestMethod]
    public void DetachedHeadWithTwoRemotes()
    {
        var repo = Repo("git@gitlab.example.org:g/p.git");
        repo.Git("remote", "add", "mirror", "https://github.com/g/p.git");
        repo.Git("checkout", "-q", "--detach", "HEAD");

        AssertSameAsLibGit2(repo.Root);
    }

    [TestMethod]
    public void NoCommits_AsksToCommitFirst()
    {
        var repo = GitRepo.CreateEmpty();
        repos.Add(repo);

        MlfAssert.Throws(MlfError.GitRepositoryWithoutCommits, () => GitCommandLineProvenance.Read(Git, repo.Root));
    }

    [TestMethod]
    public void OutsideAnyRepository_IsNotAGitRepository()
    {
        using var folder = new TempDirectory();

        MlfAssert.Throws(MlfError.NotAGitRepository, () => GitCommandLineProvenance.Read(Git, folder.Path));
    }

    private GitRepo Repo(string? origin = null)
    {
        var repo = GitRepo.Create(origin);
        repos.Add(repo);
        return repo;
    }

    [TestCleanup]
    public void Cleanup() => repos.ForEach(r => r.Dispose());
}
