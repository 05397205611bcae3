using MlflowMsBuild.Core.Provenance;

namespace MlflowMsBuild.Core.Tests.Provenance;

[TestClass]
public sealed class RemoteUrlsTests
{
    private const string Sha = "0123456789abcdef0123456789abcdef01234567";

    [TestMethod]
    [DataRow("https://gitlab.example.org/group/sub/project.git", "https://gitlab.example.org/group/sub/project")]
    [DataRow("https://gitlab.example.org/group/sub/project", "https://gitlab.example.org/group/sub/project")]
    [DataRow("https://gitlab.example.org/group/sub/project/", "https://gitlab.example.org/group/sub/project")]
    [DataRow("git@gitlab.example.org:group/sub/project.git", "https://gitlab.example.org/group/sub/project")]
    [DataRow("gitlab.example.org:group/sub/project", "https://gitlab.example.org/group/sub/project")]
    [DataRow("ssh://git@host:2222/group/proj.git", "https://host/group/proj")]
    [DataRow("ssh://git@gitlab.example.org/group/sub/proj.git", "https://gitlab.example.org/group/sub/proj")]
    [DataRow("git://git.example.org/proj.git", "https://git.example.org/proj")]
    [DataRow("http://git.example.org:8080/team/proj.git", "http://git.example.org:8080/team/proj")]
    [DataRow("https://git.example.org:8443/team/proj.git", "https://git.example.org:8443/team/proj")]
    [DataRow("  https://github.com/owner/repo.git  ", "https://github.com/owner/repo")]
    public void ProjectWebUrl_DerivesTheHttpsAddress(string remote, string expected)
    {
        Assert.AreEqual(expected, RemoteUrls.ProjectWebUrl(remote));
    }

    [TestMethod]
    public void ProjectWebUrl_DropsCredentialsFromHttpsRemotes()
    {
        var url = RemoteUrls.ProjectWebUrl("https://gitlab-ci-token:s3cr3t@gitlab.com/group/proj.git");

        Assert.AreEqual("https://gitlab.com/group/proj", url);
    }

    [TestMethod]
    public void CommitWebUrl_ScpLikeGitLabRemote_UsesDashCommit()
    {
        Assert.AreEqual(
            $"https://gitlab.example.org/group/sub/project/-/commit/{Sha}",
            RemoteUrls.CommitWebUrl("git@gitlab.example.org:group/sub/project.git", Sha));
    }

    [TestMethod]
    public void CommitWebUrl_SshRemoteWithPort_DropsTheSshPort()
    {
        Assert.AreEqual($"https://host/group/proj/-/commit/{Sha}", RemoteUrls.CommitWebUrl("ssh://git@host:2222/group/proj.git", Sha));
    }

    [TestMethod]
    [DataRow("https://github.com/owner/repo.git")]
    [DataRow("git@github.com:owner/repo.git")]
    [DataRow("ssh://git@github.com/owner/repo.git")]
    [DataRow("https://GitHub.com/owner/repo")]
    public void CommitWebUrl_GitHub_UsesPlainCommit(string remote)
    {
        var url = RemoteUrls.CommitWebUrl(remote, Sha);

        Assert.IsNotNull(url);
        Assert.EndsWith($"/owner/repo/commit/{Sha}", url);
        Assert.DoesNotContain("/-/", url);
    }

    [TestMethod]
    [DataRow("https://gitlab.com/a/b/c/d/project.git", "https://gitlab.com/a/b/c/d/project")]
    [DataRow("git@gitlab.com:a/b/c/d/project.git", "https://gitlab.com/a/b/c/d/project")]
    public void CommitWebUrl_NestedGroups_KeepEveryGroup(string remote, string project)
    {
        Assert.AreEqual($"{project}/-/commit/{Sha}", RemoteUrls.CommitWebUrl(remote, Sha));
    }

    [TestMethod]
    public void CommitWebUrl_SelfHostedWithWebPort_KeepsThePort()
    {
        Assert.AreEqual(
            $"https://code.example.org:8443/ml/models/-/commit/{Sha}",
            RemoteUrls.CommitWebUrl("https://code.example.org:8443/ml/models.git", Sha));
    }

    [TestMethod]
    [DataRow("/srv/git/project.git")]
    [DataRow("/srv/git/project")]
    [DataRow("../other-clone")]
    [DataRow("./relative/clone")]
    [DataRow("file:///srv/git/project.git")]
    [DataRow("C:\\repos\\proj")]
    [DataRow("C:/repos/proj")]
    [DataRow("https://gitlab.com/")]
    [DataRow("")]
    public void LocalOrPathlessRemote_HasNoWebUrl(string remote)
    {
        Assert.IsNull(RemoteUrls.ProjectWebUrl(remote));
        Assert.IsNull(RemoteUrls.CommitWebUrl(remote, Sha));
    }

    [TestMethod]
    [DataRow("https://gitlab-ci-token:s3cr3t@gitlab.com/group/proj.git", "https://gitlab.com/group/proj.git")]
    [DataRow("https://oauth2:s3cr3t@gitlab.com/group/proj.git", "https://gitlab.com/group/proj.git")]
    [DataRow("git@gitlab.com:group/proj.git", "git@gitlab.com:group/proj.git")]
    public void WithoutCredentials_RemovesTokensFromRemoteUrls(string remote, string expected)
    {
        var cleaned = RemoteUrls.WithoutCredentials(remote);

        Assert.AreEqual(expected, cleaned);
        Assert.DoesNotContain("s3cr3t", cleaned);
    }
}
