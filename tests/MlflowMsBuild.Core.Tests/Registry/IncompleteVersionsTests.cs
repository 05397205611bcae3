using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Registry;
using MlflowMsBuild.Core.Tests.TestUtilities;

namespace MlflowMsBuild.Core.Tests.Registry;

[TestClass]
public sealed class IncompleteVersionsTests
{
    private static readonly RegistryDescriptor Registry = new("gitlab", "gitlab-x", "GitLab model registry of 'g/p'");

    private static ModelVersionInfo Version(string description) =>
        new("test-m", "1.0.0", "run", "", "READY", DateTimeOffset.UnixEpoch, new Dictionary<string, string>(), description);

    [TestMethod]
    public void InProgressAndFailedDescriptions_AreIncomplete_AModelCardIsNot()
    {
        Assert.IsTrue(IncompleteVersions.IsIncomplete(Version(IncompleteVersions.InProgressDescription("test-m-20260101"))));
        Assert.IsTrue(IncompleteVersions.IsIncomplete(Version(IncompleteVersions.FailedDescription("upload failed"))));
        Assert.IsFalse(IncompleteVersions.IsIncomplete(Version("## test-m\n\nPublished by MlflowMsBuild")));
        Assert.IsFalse(IncompleteVersions.IsIncomplete(Version("")));
    }

    [TestMethod]
    public void ThrowIfIncomplete_InProgress_SaysThePublishNeverCompleted()
    {
        var error = MlfAssert.Throws(MlfError.VersionIncomplete,
            () => IncompleteVersions.ThrowIfIncomplete(Version(IncompleteVersions.InProgressDescription("r")), Registry));

        Assert.Contains("version 1.0.0", error.Message);
        Assert.Contains("never completed", error.Message);
        Assert.Contains("publish again", error.Message);
    }

    [TestMethod]
    public void ThrowIfIncomplete_Failed_SaysItFailed()
    {
        var error = MlfAssert.Throws(MlfError.VersionIncomplete,
            () => IncompleteVersions.ThrowIfIncomplete(Version(IncompleteVersions.FailedDescription("x")), Registry));

        Assert.Contains("publish failed", error.Message);
    }

    [TestMethod]
    public void FailedDescription_LongReason_IsCut()
    {
        var text = IncompleteVersions.FailedDescription(new string('r', 5000));

        Assert.IsLessThan(1000, text.Length);
    }
}
