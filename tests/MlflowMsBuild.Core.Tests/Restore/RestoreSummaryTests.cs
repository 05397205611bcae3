using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Restore;

namespace MlflowMsBuild.Core.Tests.Restore;

[TestClass]
public sealed class RestoreSummaryTests
{
    [TestMethod]
    [DataRow(0L, "0 files")]
    [DataRow(1L, "1 file")]
    [DataRow(2L, "2 files")]
    [DataRow(12345L, "12345 files")]
    public void CountAgreesWithItsNoun(long count, string expected) =>
        Assert.AreEqual(expected, Plural.Of(count, "file"));

    [TestMethod]
    public void SummaryLineCountsOneModelInTheSingular() =>
        Assert.AreEqual("1 model, 2.0 KiB: 1 from cache, 0 downloaded in 0.5 s",
            new RestoreSummary(1, 2048, 1, 0, 0, TimeSpan.FromSeconds(0.5)).ToString());
}
