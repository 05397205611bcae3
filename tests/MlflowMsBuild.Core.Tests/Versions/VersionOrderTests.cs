using MlflowMsBuild.Core.Versions;

namespace MlflowMsBuild.Core.Tests.Versions;

[TestClass]
public sealed class VersionOrderTests
{
    [TestMethod]
    public void WholeNumbers_AreOrderedNumerically()
    {
        string[] versions = ["10", "9", "1", "100", "2", "99999999999999999999"];

        CollectionAssert.AreEqual(new[] { "1", "2", "9", "10", "100", "99999999999999999999" }, versions.Order(VersionOrder.Instance).ToArray());
    }

    [TestMethod]
    public void SemVer_IsOrderedByPrecedence_AndEqualPrecedenceByText()
    {
        string[] versions = ["2.0.0", "2.0.0-rc.10", "1.10.0", "2.0.0-rc.2", "1.9.0", "1.0.0+b", "1.0.0+a"];

        CollectionAssert.AreEqual(new[] { "1.0.0+a", "1.0.0+b", "1.9.0", "1.10.0", "2.0.0-rc.2", "2.0.0-rc.10", "2.0.0" },
            versions.Order(VersionOrder.Instance).ToArray());
    }

    [TestMethod]
    public void AWholeNumberNextToSemVer_IsNPointZeroPointZero_AndTextThatIsNoVersionComesLast()
    {
        string[] versions = ["not-a-version", "2.0.0", "3", "1.5.0", "1"];

        CollectionAssert.AreEqual(new[] { "1", "1.5.0", "2.0.0", "3", "not-a-version" }, versions.Order(VersionOrder.Instance).ToArray());
    }

    [TestMethod]
    public void LatestFirst_IsTheHighestRelease_ThenPreReleasesByPrecedence()
    {
        string[] versions = ["2.0.0-rc.2", "1.0.0", "2.0.0-rc.10", "1.1.0+build-7", "broken", "1.0.1-beta.11", "1.0.1-beta.2"];

        CollectionAssert.AreEqual(new[] { "1.1.0+build-7", "1.0.0", "2.0.0-rc.10", "2.0.0-rc.2", "1.0.1-beta.11", "1.0.1-beta.2", "broken" },
            VersionOrder.LatestFirst(versions).ToArray());
    }

    [TestMethod]
    public void LatestFirst_OfWholeNumbers_IsTheHighestNumber() =>
        CollectionAssert.AreEqual(new[] { "10", "9", "2" }, VersionOrder.LatestFirst(["9", "10", "2"]).ToArray());

    [TestMethod]
    [DataRow("2.0.0-rc.1", true)]
    [DataRow("2.0.0", false)]
    [DataRow("2.0.0+build-7", false)]
    [DataRow("12", false)]
    [DataRow("no-version", false)]
    public void PreRelease_IsASemVerWithAPreReleasePart(string version, bool prerelease) =>
        Assert.AreEqual(prerelease, VersionOrder.IsPrerelease(version));

    [TestMethod]
    [DataRow("4", "4")]
    [DataRow("04", "4")]
    [DataRow("9223372036854775807", "9223372036854775807")]
    [DataRow("0", null)]
    [DataRow("-1", null)]
    [DataRow("1.0", null)]
    [DataRow(" 4", null)]
    [DataRow("9223372036854775808", null)]
    public void WholeNumberPins_AreNormalised(string pin, string? expected) =>
        Assert.AreEqual(expected, WholeNumberVersion.Normalize(pin));
}
