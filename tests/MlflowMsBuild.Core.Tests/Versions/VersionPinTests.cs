using MlflowMsBuild.Core.Restore;
using MlflowMsBuild.Core.Versions;

namespace MlflowMsBuild.Core.Tests.Versions;

[TestClass]
public sealed class VersionPinTests
{
    [TestMethod]
    [DataRow("01", "1")]
    [DataRow("007", "7")]
    [DataRow("0", "0")]
    [DataRow("00", "0")]
    [DataRow("1.02.003", "1.2.3")]
    [DataRow("01.2-rc.01", "1.2-rc.01")]
    [DataRow("1.0.0+build.007", "1.0.0+build.007")]
    [DataRow("4", "4")]
    [DataRow("10", "10")]
    [DataRow("@champion", "@champion")]
    [DataRow("latest", "latest")]
    [DataRow("v01", "v01")]
    public void Normalize_DropsLeadingZerosOfTheReleaseNumbersOnly(string spec, string expected) =>
        Assert.AreEqual(expected, VersionPin.Normalize(spec));

    [TestMethod]
    public void ModelReference_WithLeadingZeros_IsTheSameReferenceAsWithout()
    {
        var merged = ModelReference.Merge([ModelReference.Create("test-x", " 01 "), ModelReference.Create("test-x", "1")]);

        Assert.HasCount(1, merged);
        Assert.AreEqual("1", merged[0].VersionSpec);
    }
}
