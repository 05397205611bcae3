using MlflowMsBuild.Core.Provenance;
using MlflowMsBuild.Core.Publishing;

namespace MlflowMsBuild.Core.Tests.Publishing;

[TestClass]
public sealed class ModelCardTests
{
    private const string Sha = "0123456789abcdef0123456789abcdef01234567";
    private static readonly ToolVersions Tools = new("1.2.3", ".NET 10.0.1", "Linux (X64)");
    private static readonly DateTimeOffset Now = new(2026, 3, 4, 5, 6, 7, TimeSpan.Zero);

    private static ProvenanceRecord Record(PublishInput? input = null, GitProvenance? git = null, IReadOnlyList<PublishedArtifact>? artifacts = null) => new(
        input ?? new PublishInput("test-m", "/r/out/model", [], "/r") { Database = "iris-2026" } with { CommandLine = "train --rows 10 | tee log" },
        git ?? new GitProvenance(Sha, "main", false, "git@gitlab.example.org:g/p.git", "https://gitlab.example.org/g/p/-/commit/" + Sha, "/r"),
        Tools,
        Now,
        artifacts ?? [new("configuration file", "config/train.json", "/r/cfg/train.json", 2, "aa")]);

    private static string Card(ProvenanceRecord record, IReadOnlyDictionary<string, double>? metrics = null, IReadOnlyList<PublishedArtifact>? artifacts = null) =>
        ModelCard.ForVersion("test-m", record, metrics ?? new Dictionary<string, double> { ["test/auc"] = 0.912345678, ["train/auc"] = double.NaN },
            ["model/model.zip"], artifacts ?? [new("figure", "figures/roc.png", "/r/f/roc.png", 1, "bb"), new("table", "tables/metrics.md", "/r/t/metrics.md", 1, "cc")],
            new string('f', 64));

    [TestMethod]
    public void ForVersion_HoldsMetricsCommitLinkCommandLineDataSetConfigurationAndFigures()
    {
        var card = Card(Record());

        Assert.Contains("| test/auc | 0.912346 |", card);
        Assert.Contains("| train/auc | NaN |", card);
        Assert.Contains($"[`{Sha}`](https://gitlab.example.org/g/p/-/commit/{Sha}) on `main`", card);
        Assert.Contains("| Command line | `train --rows 10 \\| tee log` |", card, "a '|' must not split the table cell");
        Assert.Contains("| Data set | `iris-2026` |", card);
        Assert.Contains("| Configuration | `cfg/train.json` |", card);
        Assert.Contains("- `figures/roc.png`", card);
        Assert.Contains("- `tables/metrics.md`", card);
        Assert.Contains("- `model/model.zip`", card);
        Assert.Contains("MlflowMsBuild 1.2.3 on 2026-03-04 05:06 UTC", card);
        Assert.DoesNotContain("dirty", card);
    }

    [TestMethod]
    public void ForVersion_WithoutRemote_ShowsTheCommitWithoutLink()
    {
        var card = Card(Record(git: new GitProvenance(Sha, null, false, null, null, "/r")));

        Assert.Contains($"| Commit | `{Sha}` |", card);
    }

    [TestMethod]
    public void ForVersion_DirtyTree_SaysSo()
    {
        var git = new GitProvenance(Sha, "main", true, null, null, "/r") { ChangedFiles = ["a.cs", "b.cs"] };

        Assert.Contains("**dirty**: 2 changed file(s)", Card(Record(git: git)));
    }

    [TestMethod]
    public void ForVersion_ThousandsOfMetrics_StaysWithinGitLabsLimitAndSaysItWasShortened()
    {
        var metrics = Enumerable.Range(0, 2000).ToDictionary(i => $"class_{i:D4}/precision", i => i / 2000.0);

        var card = Card(Record(), metrics);

        Assert.IsLessThanOrEqualTo(ModelCard.MaxLength, card.Length);
        Assert.Contains("| class_0000/precision | 0 |", card);
        Assert.Contains("shortened to fit", card);
    }

    [TestMethod]
    public void ForRegisteredModel_LinksTheProject()
    {
        var text = ModelCard.ForRegisteredModel("test-m", Record());

        Assert.Contains("[https://gitlab.example.org/g/p](https://gitlab.example.org/g/p)", text);
        Assert.IsLessThan(ModelCard.MaxLength, text.Length);
    }
}
