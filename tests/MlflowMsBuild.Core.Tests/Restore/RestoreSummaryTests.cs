using MlflowMsBuild.Core.Restore;

namespace MlflowMsBuild.Core.Tests.Restore;

[TestClass]
public sealed class RestoreSummaryTests
{
    [TestMethod]
    public void SummaryLineCountsOneModelInTheSingular() =>
        Assert.AreEqual("1 model, 2.0 KiB: 1 from cache, 0 downloaded in 0.5 s",
            new RestoreSummary(1, 2048, 1, 0, 0, TimeSpan.FromSeconds(0.5)).ToString());
}
