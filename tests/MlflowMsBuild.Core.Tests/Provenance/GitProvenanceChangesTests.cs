using MlflowMsBuild.Core.Provenance;
using MlflowMsBuild.Core.Tests.TestUtilities;

namespace MlflowMsBuild.Core.Tests.Provenance;

[TestClass]
public sealed class GitProvenanceChangesTests
{
    [TestMethod]
    public void Read_CleanTree_HasNoChangedFilesAndNoDigest()
    {
        using var repo = GitRepo.Create();
        repo.WriteFile("untracked.txt", "not part of the repository");

        var provenance = GitProvenance.Read(repo.Root);

        Assert.IsFalse(provenance.IsDirty);
        Assert.IsEmpty(provenance.ChangedFiles);
        Assert.IsNull(provenance.ChangesDigest);
    }

    [TestMethod]
    public void Read_DirtyTree_ListsTheChangedFiles_AndTheDigestFollowsTheEdits()
    {
        using var repo = GitRepo.Create();
        repo.WriteFile("src/a.txt", "a");
        repo.CommitAll("a");
        repo.WriteFile("src/a.txt", "edit one");
        repo.WriteFile("README.md", "changed");

        var first = GitProvenance.Read(repo.Root);
        var same = GitProvenance.Read(repo.Root);
        repo.WriteFile("src/a.txt", "edit two");
        var other = GitProvenance.Read(repo.Root);

        CollectionAssert.AreEqual(new[] { "README.md", "src/a.txt" }, first.ChangedFiles.ToArray());
        Assert.AreEqual(64, first.ChangesDigest!.Length);
        Assert.AreEqual(first.ChangesDigest, same.ChangesDigest);
        Assert.AreNotEqual(first.ChangesDigest, other.ChangesDigest);
    }

    [TestMethod]
    public void ToolVersions_Current_NamesProductRuntimeAndSystem()
    {
        var tools = ToolVersions.Current;

        Assert.DoesNotContain("+", tools.MlflowMsBuild);
        Assert.StartsWith(".NET", tools.Runtime);
        Assert.Contains(System.Runtime.InteropServices.RuntimeInformation.OSArchitecture.ToString(), tools.OperatingSystem);
    }
}
