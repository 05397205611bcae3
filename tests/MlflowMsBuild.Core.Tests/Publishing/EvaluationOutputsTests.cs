using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Publishing;
using MlflowMsBuild.Core.Tests.TestUtilities;

namespace MlflowMsBuild.Core.Tests.Publishing;

[TestClass]
public sealed class EvaluationOutputsTests
{
    [TestMethod]
    public void Collect_PutsEachKindInItsFolder_WithSizeAndHash()
    {
        using var dir = new TempDirectory();
        var table = dir.WriteFile("out/tables/metrics.md", "| a |\n");
        var figure = dir.WriteFile("out/figures/roc.PNG", new byte[] { 1, 2, 3 });
        var config = dir.WriteFile("cfg/train.json", "{}");

        var artifacts = EvaluationOutputs.Collect([table], [figure], [config]);

        CollectionAssert.AreEqual(new[] { "tables/metrics.md", "figures/roc.PNG", "config/train.json" }, artifacts.Select(a => a.ArtifactPath).ToArray());
        CollectionAssert.AreEqual(new[] { "table", "figure", "configuration file" }, artifacts.Select(a => a.Kind).ToArray());
        Assert.AreEqual(3L, artifacts[1].Size);
        Assert.AreEqual(PublishFixture.Sha256Hex([1, 2, 3]), artifacts[1].Sha256);
    }

    [TestMethod]
    public void Collect_MissingFigure_FailsNamingTheItem()
    {
        using var dir = new TempDirectory();

        var error = MlfAssert.Throws(MlfError.EvaluationOutputMissing, () => EvaluationOutputs.Collect([], [dir.Combine("roc.png")], []));

        Assert.Contains("roc.png", error.Message);
        Assert.Contains("MlflowFigure", error.Message);
    }

    [TestMethod]
    public void Collect_TableWithAnImageExtension_FailsListingTheAcceptedOnes()
    {
        using var dir = new TempDirectory();
        var notATable = dir.WriteFile("t.png", "x");

        var error = MlfAssert.Throws(MlfError.EvaluationOutputUnsupported, () => EvaluationOutputs.Collect([notATable], [], []));

        Assert.Contains(".md, .csv, .tsv, .txt", error.Message);
    }

    [TestMethod]
    public void Collect_ConfigurationFileOfAnyType_IsAccepted()
    {
        using var dir = new TempDirectory();

        var artifacts = EvaluationOutputs.Collect([], [], [dir.WriteFile("settings.yaml", "a: 1")]);

        Assert.AreEqual("config/settings.yaml", Assert.ContainsSingle(artifacts).ArtifactPath);
    }

    [TestMethod]
    public void ThrowIfColliding_TwoFilesWithOneArtifactPath_NamesBoth()
    {
        var error = MlfAssert.Throws(MlfError.ArtifactPathCollision, () => EvaluationOutputs.ThrowIfColliding(
            [("/a/roc.png", "figures/roc.png"), ("/b/ROC.png", "figures/ROC.png")]));

        Assert.Contains("/a/roc.png", error.Message);
        Assert.Contains("/b/ROC.png", error.Message);
    }
}
