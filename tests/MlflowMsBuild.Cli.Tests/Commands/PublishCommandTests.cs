using System.Text.Json;
using MlflowMsBuild.Cli.Tests.TestUtilities;
using MlflowMsBuild.Core.Tests.TestUtilities;

namespace MlflowMsBuild.Cli.Tests.Commands;

/// <summary>publish reads the evaluation folder exactly as the PublishModel target's defaults do.</summary>
[TestClass]
public sealed class PublishCommandTests
{
    [TestMethod]
    public async Task Publish_ReadsTheEvaluationFolder_AndPrintsTheVersion()
    {
        using var repo = GitRepo.Create("git@gitlab.example.org:group/sub/project.git");
        using var home = new TempDirectory();
        WriteEvaluation(repo);
        var cli = new CliRunner(home.Path, workingDirectory: repo.Root);

        var first = await cli.RunAsync("publish", "--name", "test-cli", "--param", "learning_rate=0.1");
        var again = await cli.RunAsync("publish", "--name", "test-cli", "--param", "learning_rate=0.1", "--json");
        var shown = await cli.RunAsync("show", "models:/test-cli/1", "--json");

        Assert.AreEqual(0, first.ExitCode, first.ToString());
        Assert.AreEqual("1", first.Out.Trim());
        StringAssert.Contains(first.Error, "Published model 'test-cli' version 1");
        Assert.AreEqual(0, again.ExitCode, again.ToString());
        using var published = JsonDocument.Parse(again.Out);
        Assert.IsTrue(published.RootElement.GetProperty("already_published").GetBoolean());
        Assert.AreEqual(repo.HeadSha(), published.RootElement.GetProperty("commit").GetString());
        using var document = JsonDocument.Parse(shown.Out);
        var parameters = document.RootElement.GetProperty("params");
        Assert.AreEqual("train --epochs 3", parameters.GetProperty("command_line").GetString());
        Assert.AreEqual("synthetic-8f", parameters.GetProperty("database").GetString());
        Assert.AreEqual("0.1", parameters.GetProperty("learning_rate").GetString());
        Assert.AreEqual(0.9, document.RootElement.GetProperty("metrics").EnumerateArray().Single(m => m.GetProperty("key").GetString() == "test/auc").GetProperty("value").GetDouble());
        CollectionAssert.AreEqual(new[] { "weights.bin" }, document.RootElement.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("path").GetString()).ToArray());
    }

    [TestMethod]
    public async Task Publish_TakesTheEvaluationFoldersTablesAndFigures_UnlessGiven()
    {
        using var repo = GitRepo.Create();
        using var home = new TempDirectory();
        WriteEvaluation(repo);
        repo.WriteFile("evaluation/tables/summary.tsv", "split\tauc\n");
        repo.WriteFile("evaluation/tables/raw.json", "{}");
        repo.WriteFile("evaluation/figures/roc.svg", "<svg/>");
        repo.WriteFile("extra/other.md", "| explicit |\n");
        var cli = new CliRunner(home.Path, workingDirectory: repo.Root);

        var defaults = await cli.RunAsync("publish", "--name", "test-cli");
        var given = await cli.RunAsync("publish", "--name", "test-cli", "--table", "extra/other.md", "--force");

        Assert.AreEqual(0, defaults.ExitCode, defaults.ToString());
        Assert.AreEqual(0, given.ExitCode, given.ToString());
        CollectionAssert.AreEqual(new[] { "figures/roc.svg", "tables/summary.tsv" }, RunArtifacts(home.Path, "1"));
        CollectionAssert.AreEqual(new[] { "figures/roc.svg", "tables/other.md" }, RunArtifacts(home.Path, "2"));
    }

    [TestMethod]
    public async Task Publish_WithoutRemote_WarnsOnStandardErrorAndSucceeds()
    {
        using var repo = GitRepo.Create();
        using var home = new TempDirectory();
        WriteEvaluation(repo);
        var cli = new CliRunner(home.Path, workingDirectory: repo.Root);

        var result = await cli.RunAsync("publish", "--name", "test-cli");

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Error, "warning MLF4010");
        Assert.AreEqual("1", result.Out.Trim());
    }

    [TestMethod]
    public async Task PublishHelp_NamesTheEvaluationFoldersDefaultsAndPrefixes()
    {
        using var home = new TempDirectory();

        var help = await new CliRunner(home.Path).RunAsync("publish", "--help");

        Assert.AreEqual(0, help.ExitCode, help.ToString());
        StringAssert.Contains(help.Out, "<evaluation>/command-line.txt");
        StringAssert.Contains(help.Out, "<evaluation>/tables/*.md|csv|tsv|txt");
        StringAssert.Contains(help.Out, "<evaluation>/figures/*.png|svg|pdf|jpg|jpeg");
        StringAssert.Contains(help.Out, "doc-;test-");
    }

    [TestMethod]
    public async Task Publish_RefusesADirtyTree_WithExitCode3()
    {
        using var repo = GitRepo.Create();
        using var home = new TempDirectory();
        WriteEvaluation(repo);
        repo.WriteFile("README.md", "an uncommitted change\n");

        var result = await new CliRunner(home.Path, workingDirectory: repo.Root).RunAsync("publish", "--name", "test-cli");

        Assert.AreEqual(3, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Error, "error MLF4003");
        StringAssert.Contains(result.Error, "or pass --allow-dirty to publish anyway");
        Assert.DoesNotContain("MlflowAllowDirty", result.Error);
        Assert.AreEqual("", result.Out);
    }

    [TestMethod]
    public async Task Publish_WithoutModelFilesOrWithAMissingTable_NamesTheOptions_NotMSBuildItems()
    {
        using var repo = GitRepo.Create();
        using var home = new TempDirectory();
        WriteEvaluation(repo);
        var cli = new CliRunner(home.Path, workingDirectory: repo.Root);

        var noFiles = await cli.RunAsync("publish", "--name", "test-cli", "--model-dir", "nowhere");
        var noTable = await cli.RunAsync("publish", "--name", "test-cli", "--table", "missing.md", "--json");

        Assert.AreEqual(3, noFiles.ExitCode, noFiles.ToString());
        StringAssert.Contains(noFiles.Error, "error MLF1005");
        StringAssert.Contains(noFiles.Error, "name the folder that holds it with --model-dir.");
        Assert.DoesNotContain("MlflowModelFile", noFiles.Error);
        Assert.AreEqual(3, noTable.ExitCode, noTable.ToString());
        using var json = JsonDocument.Parse(noTable.Out);
        var message = json.RootElement.GetProperty("error").GetProperty("message").GetString();
        StringAssert.EndsWith(message, "or remove it from the --table options.");
        Assert.DoesNotContain("MlflowTable", noTable.Error);
    }

    [TestMethod]
    public async Task Publish_WithAParamWithoutEquals_IsAUsageError()
    {
        using var repo = GitRepo.Create();
        using var home = new TempDirectory();
        WriteEvaluation(repo);

        var result = await new CliRunner(home.Path, workingDirectory: repo.Root).RunAsync("publish", "--name", "test-cli", "--param", "learning_rate");

        Assert.AreEqual(1, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Error, "error MLF7008");
    }

    /// <summary>The run's stored tables and figures of the embedded registry's test-cli version.</summary>
    private static string[] RunArtifacts(string home, string version)
    {
        var registry = Path.Combine(home, "registry");
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(registry, "models", "test-cli", "versions", version + ".json")));
        var artifacts = Path.Combine(registry, "runs", document.RootElement.GetProperty("run_id").GetString()!, "artifacts");
        return Directory.EnumerateFiles(artifacts, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(artifacts, f).Replace('\\', '/'))
            .Where(f => f.StartsWith("tables/", StringComparison.Ordinal) || f.StartsWith("figures/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToArray();
    }

    private static void WriteEvaluation(GitRepo repo)
    {
        repo.WriteFile("evaluation/model/weights.bin", PublishFixture.RandomBytes(1000, 3));
        repo.WriteFile("evaluation/metrics.json", "{\"test\": {\"auc\": 0.9}}");
        repo.WriteFile("evaluation/command-line.txt", "train --epochs 3\n");
        repo.WriteFile("evaluation/database.txt", "synthetic-8f\n");
    }
}
