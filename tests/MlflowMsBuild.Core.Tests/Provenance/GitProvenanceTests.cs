using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Provenance;
using MlflowMsBuild.Core.Tests.TestUtilities;

namespace MlflowMsBuild.Core.Tests.Provenance;

[TestClass]
public sealed class GitProvenanceTests
{
    [TestMethod]
    public void Read_ReportsHeadCommitBranchAndRoot()
    {
        using var repo = GitRepo.Create();

        var provenance = GitProvenance.Read(repo.Root);

        Assert.AreEqual(repo.Git("rev-parse", "HEAD"), provenance.CommitSha);
        Assert.AreEqual("main", provenance.Branch);
        Assert.AreEqual(Path.GetFullPath(repo.Root).TrimEnd(Path.DirectorySeparatorChar), provenance.RepositoryRoot);
        Assert.IsFalse(provenance.IsDirty);
        Assert.IsNull(provenance.RemoteUrl);
        Assert.IsNull(provenance.CommitWebUrl);
    }

    [TestMethod]
    public void Read_FromASubfolder_FindsTheRepository()
    {
        using var repo = GitRepo.Create();
        repo.WriteFile("src/App/App.csproj", "<Project />");
        var sha = repo.CommitAll("add project");

        var provenance = GitProvenance.Read(repo.Path("src", "App"));

        Assert.AreEqual(sha, provenance.CommitSha);
        Assert.AreEqual(Path.GetFullPath(repo.Root).TrimEnd(Path.DirectorySeparatorChar), provenance.RepositoryRoot);
    }

    [TestMethod]
    public void Read_FollowsNewCommitsAndBranches()
    {
        using var repo = GitRepo.Create();
        repo.Git("checkout", "-q", "-b", "feature/metrics");
        repo.WriteFile("metrics.txt", "1");
        var sha = repo.CommitAll("second");

        var provenance = GitProvenance.Read(repo.Root);

        Assert.AreEqual(sha, provenance.CommitSha);
        Assert.AreEqual("feature/metrics", provenance.Branch);
    }

    [TestMethod]
    public void Read_DetachedHead_HasNoBranch()
    {
        using var repo = GitRepo.Create();
        var sha = repo.HeadSha();
        repo.Git("checkout", "-q", "--detach", "HEAD");

        var provenance = GitProvenance.Read(repo.Root);

        Assert.IsNull(provenance.Branch);
        Assert.AreEqual(sha, provenance.CommitSha);
    }

    [TestMethod]
    public void Read_ModifiedTrackedFile_IsDirty()
    {
        using var repo = GitRepo.Create();
        Assert.IsFalse(GitProvenance.Read(repo.Root).IsDirty);

        repo.WriteFile("README.md", "# changed\n");

        Assert.IsTrue(GitProvenance.Read(repo.Root).IsDirty);
    }

    [TestMethod]
    public void Read_StagedChange_IsDirty()
    {
        using var repo = GitRepo.Create();
        repo.WriteFile("new.txt", "staged");
        repo.Git("add", "new.txt");

        Assert.IsTrue(GitProvenance.Read(repo.Root).IsDirty);
    }

    [TestMethod]
    public void Read_UntrackedFiles_DoNotMakeItDirty()
    {
        using var repo = GitRepo.Create();
        repo.WriteFile("untracked.txt", "scratch");
        repo.WriteFile("out/model/model.zip", "weights");

        Assert.IsFalse(GitProvenance.Read(repo.Root).IsDirty);
    }

    [TestMethod]
    public void Read_WithOrigin_DerivesTheCommitPage()
    {
        using var repo = GitRepo.Create("git@gitlab.example.org:group/sub/project.git");

        var provenance = GitProvenance.Read(repo.Root);

        Assert.AreEqual("git@gitlab.example.org:group/sub/project.git", provenance.RemoteUrl);
        Assert.AreEqual($"https://gitlab.example.org/group/sub/project/-/commit/{repo.HeadSha()}", provenance.CommitWebUrl);
    }

    [TestMethod]
    public void Read_WithLocalPathOrigin_HasRemoteButNoCommitPage()
    {
        using var repo = GitRepo.Create("/srv/git/mirror.git");

        var provenance = GitProvenance.Read(repo.Root);

        Assert.AreEqual("/srv/git/mirror.git", provenance.RemoteUrl);
        Assert.IsNull(provenance.CommitWebUrl);
    }

    [TestMethod]
    public void Read_OutsideAnyRepository_ThrowsNotAGitRepository()
    {
        using var folder = new TempDirectory();

        var error = MlfAssert.Throws(MlfError.NotAGitRepository, () => GitProvenance.Read(folder.Path));
        Assert.Contains(folder.Path, error.Message);
    }

    [TestMethod]
    public void Read_RepositoryWithoutCommits_AsksToCommitFirst()
    {
        using var repo = GitRepo.CreateEmpty();

        MlfAssert.Throws(MlfError.GitRepositoryWithoutCommits, () => GitProvenance.Read(repo.Root));
    }
}
