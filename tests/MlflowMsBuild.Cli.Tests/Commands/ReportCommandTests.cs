using System.Text.Json;
using MlflowMsBuild.Cli.Tests.TestUtilities;
using MlflowMsBuild.Core.Tests.TestUtilities;

namespace MlflowMsBuild.Cli.Tests.Commands;

/// <summary><c>report</c>: two doc- models published with <c>publish</c> to the embedded registry, their page written, rewritten and checked.</summary>
[TestClass]
public sealed class ReportCommandTests
{
    private static async Task<(PublishFixture Fixture, CliRunner Cli)> PublishTwoAsync()
    {
        var fixture = new PublishFixture("https://gitlab.example.org/group/project.git");
        var cli = new CliRunner(fixture.Home.Path, workingDirectory: fixture.Repo.Root);
        foreach (var (name, metrics, seed) in new[] { ("doc-classifier", """{"test": {"auc": 0.91, "accuracy": 0.84}}""", 1), ("doc-classifier-wide", """{"test": {"auc": 0.93, "accuracy": 0.86}}""", 2) })
        {
            WriteEvaluation(fixture, name, metrics, seed);
        }

        fixture.Repo.CommitAll("evaluations");
        foreach (var name in new[] { "doc-classifier", "doc-classifier-wide" })
        {
            var published = await cli.RunAsync("publish", "--name", name, "--evaluation-dir", "eval-" + name);
            Assert.AreEqual(0, published.ExitCode, published.ToString());
        }

        return (fixture, cli);
    }

    private static void WriteEvaluation(PublishFixture fixture, string name, string metrics, int seed)
    {
        var folder = "eval-" + name;
        fixture.Repo.WriteFile($"{folder}/model/model.zip", PublishFixture.RandomBytes(1000, seed));
        fixture.Repo.WriteFile($"{folder}/metrics.json", metrics);
        fixture.Repo.WriteFile($"{folder}/command-line.txt", $"Classifier --seed {seed}");
        fixture.Repo.WriteFile($"{folder}/database.txt", "synthetic-2000");
        fixture.Repo.WriteFile($"{folder}/tables/metrics.md", $"| split | auc |\n|---|---:|\n| test | 0.9{seed} |\n");
        fixture.Repo.WriteFile($"{folder}/figures/roc.svg", $"<svg xmlns=\"http://www.w3.org/2000/svg\"><text>{seed}</text></svg>\n");
    }

    [TestMethod]
    public async Task Report_WritesThePage_RewritesNothing_AndChecks()
    {
        var (fixture, cli) = await PublishTwoAsync();
        using var _ = fixture;
        string[] models = ["models:/doc-classifier/1", "models:/doc-classifier-wide/1"];

        var first = await cli.RunAsync(["report", .. models, "-o", "docs/results", "--metrics", "test/auc,test/accuracy", "--format", "F2"]);
        var page = fixture.Repo.Path("docs", "results", "results.md");
        var bytes = File.ReadAllBytes(page);
        var second = await cli.RunAsync(["report", .. models, "-o", "docs/results", "--metrics", "test/auc", "--metrics", "test/accuracy", "--format", "F2", "--json"]);
        var check = await cli.RunAsync(["report", .. models, "-o", "docs/results", "--metrics", "test/auc,test/accuracy", "--format", "F2", "--check"]);

        Assert.AreEqual(0, first.ExitCode, first.ToString());
        Assert.AreEqual(page + Environment.NewLine, first.Out);
        StringAssert.Contains(first.Error, "3 file(s) written, 0 unchanged");
        var text = File.ReadAllText(page);
        StringAssert.Contains(text, "| model | version | test/auc | test/accuracy |\n");
        StringAssert.Contains(text, "| [doc-classifier](#doc-classifier-1) | 1 | 0.91 | 0.84 |\n| [doc-classifier-wide](#doc-classifier-wide-1) | 1 | 0.93 | 0.86 |\n");
        StringAssert.Contains(text, "| Command line | `Classifier --seed 2` |");
        StringAssert.Contains(text, "![doc-classifier-wide 1: figures/roc.svg](<figures/doc-classifier-wide/1/roc.svg>)");
        Assert.IsTrue(File.Exists(fixture.Repo.Path("docs", "results", "figures", "doc-classifier", "1", "roc.svg")));

        Assert.AreEqual(0, second.ExitCode, second.ToString());
        CollectionAssert.AreEqual(bytes, File.ReadAllBytes(page));
        using (var document = JsonDocument.Parse(second.Out))
        {
            var root = document.RootElement;
            Assert.AreEqual(page, root.GetProperty("page").GetString());
            Assert.IsFalse(root.GetProperty("check").GetBoolean());
            Assert.AreEqual(0, root.GetProperty("written").GetArrayLength());
            Assert.AreEqual(3, root.GetProperty("unchanged").GetArrayLength());
            CollectionAssert.AreEqual(models, root.GetProperty("versions").EnumerateArray().Select(v => v.GetString()).ToArray());
        }

        Assert.AreEqual(0, check.ExitCode, check.ToString());
        StringAssert.Contains(check.Error, "matches the registry for 2 version(s)");
    }

    [TestMethod]
    public async Task ReportCheck_FailsWithExitCode8AfterAnEdit_AndWarnsOfANewerVersion()
    {
        var (fixture, cli) = await PublishTwoAsync();
        using var _ = fixture;
        string[] models = ["models:/doc-classifier/1", "models:/doc-classifier-wide/1"];
        Assert.AreEqual(0, (await cli.RunAsync(["report", .. models, "-o", "docs/results"])).ExitCode);
        var page = fixture.Repo.Path("docs", "results", "results.md");
        var original = File.ReadAllText(page);
        File.WriteAllText(page, original.Replace("| 0.93 |", "| 0.95 |", StringComparison.Ordinal));

        var edited = await cli.RunAsync(["report", .. models, "-o", "docs/results", "--check"]);
        var editedJson = await cli.RunAsync(["report", .. models, "-o", "docs/results", "--check", "--json"]);

        Assert.AreEqual(ExitCodes.OutOfDate, edited.ExitCode, edited.ToString());
        StringAssert.Contains(edited.Error, "MLF2070");
        StringAssert.Contains(edited.Error, "results.md: line ");
        Assert.AreEqual(ExitCodes.OutOfDate, editedJson.ExitCode, editedJson.ToString());
        StringAssert.Contains(editedJson.Out + editedJson.Error, "MLF2070");

        File.WriteAllText(page, original);
        WriteEvaluation(fixture, "doc-classifier", """{"test": {"auc": 0.92}}""", 3);
        fixture.Repo.CommitAll("a newer evaluation");
        Assert.AreEqual(0, (await cli.RunAsync("publish", "--name", "doc-classifier", "--evaluation-dir", "eval-doc-classifier")).ExitCode);

        var newer = await cli.RunAsync(["report", .. models, "-o", "docs/results", "--check"]);

        Assert.AreEqual(0, newer.ExitCode, newer.ToString());
        StringAssert.Contains(newer.Error, "warning MLF2071: The results page pins model 'doc-classifier' version 1");
    }

    [TestMethod]
    public async Task Report_RefusesAliasesAndBadPageNames()
    {
        using var fixture = new PublishFixture();
        var cli = new CliRunner(fixture.Home.Path, workingDirectory: fixture.Repo.Root);

        var alias = await cli.RunAsync("report", "models:/doc-x@champion", "-o", "docs");
        var page = await cli.RunAsync("report", "models:/doc-x/1", "-o", "docs", "--page", "../x.md");
        var missing = await cli.RunAsync("report", "models:/doc-x/1");

        Assert.AreEqual(ExitCodes.InvalidInput, alias.ExitCode, alias.ToString());
        StringAssert.Contains(alias.Error, "MLF1071");
        Assert.AreEqual(ExitCodes.Usage, page.ExitCode, page.ToString());
        StringAssert.Contains(page.Error, "MLF7008");
        Assert.AreEqual(ExitCodes.Usage, missing.ExitCode, missing.ToString());
    }
}
