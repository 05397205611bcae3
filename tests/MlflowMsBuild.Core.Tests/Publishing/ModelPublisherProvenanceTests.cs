using System.Text.Json;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Provenance;
using MlflowMsBuild.Core.Publishing;
using MlflowMsBuild.Core.Tests.TestUtilities;

namespace MlflowMsBuild.Core.Tests.Publishing;

/// <summary>Everything a version carries, read back from the embedded registry's own files.</summary>
[TestClass]
public sealed class ModelPublisherProvenanceTests
{
    private const string Origin = "git@gitlab.example.org:group/sub/project.git";
    private static readonly DateTimeOffset Now = new(2026, 5, 6, 7, 8, 9, TimeSpan.Zero);

    public TestContext TestContext { get; set; } = null!;

    /// <summary>A publish input with every kind of evaluation output, written and committed.</summary>
    private static PublishInput FullInput(PublishFixture fixture)
    {
        var metrics = fixture.Repo.WriteFile("out/metrics.json", """{"train": {"auc": 0.95}, "test": {"auc": 0.9, "f1": 0.8}}""");
        var table = fixture.Repo.WriteFile("out/tables/metrics.md", "| split | auc |\n|---|---|\n| test | 0.9 |\n");
        var figure = fixture.Repo.WriteFile("out/figures/roc.png", new byte[] { 0x89, 0x50, 0x4E, 0x47 });
        var config = fixture.Repo.WriteFile("config/train.json", """{"rows": 2000}""");
        var input = fixture.Input(metricsFile: metrics) with { CommandLine = "Classifier --rows 2000" };
        fixture.Repo.CommitAll("evaluation outputs");
        return input with { Tables = [table], Figures = [figure], ConfigFiles = [config], Database = "synthetic-2000" };
    }

    [TestMethod]
    public async Task Publish_RecordsEveryProvenanceFieldAndEvaluationOutput()
    {
        using var fixture = new PublishFixture(Origin);
        var input = FullInput(fixture);
        var tools = new ToolVersions("9.8.7", ".NET 10.0.0", "TestOS (X64)");

        var result = await new ModelPublisher(fixture.Registry, new FixedTimeProvider(Now), tools).PublishAsync(input, TestContext.CancellationToken);

        var sha = fixture.Repo.HeadSha();
        var run = fixture.ReadRun(result.RunId);
        var parameters = run.GetProperty("params");
        Assert.AreEqual(sha, parameters.GetProperty("commit").GetString());
        Assert.AreEqual($"https://gitlab.example.org/group/sub/project/-/commit/{sha}", parameters.GetProperty("commit_url").GetString());
        Assert.AreEqual("Classifier --rows 2000", parameters.GetProperty("command_line").GetString());
        Assert.AreEqual("config/train.json", parameters.GetProperty("config_file").GetString());
        Assert.AreEqual("synthetic-2000", parameters.GetProperty("database").GetString());
        Assert.AreEqual("2026-05-06T07:08:09.0000000+00:00", parameters.GetProperty("date").GetString());

        var tags = run.GetProperty("tags");
        Assert.AreEqual(sha, tags.GetProperty("mlflow.source.git.commit").GetString());
        Assert.AreEqual(Origin, tags.GetProperty("mlflow.source.git.repoURL").GetString());
        Assert.AreEqual("main", tags.GetProperty("mlflow.source.git.branch").GetString());
        Assert.AreEqual(fixture.Repo.Root, tags.GetProperty("mlflow.source.name").GetString());
        Assert.AreEqual("LOCAL", tags.GetProperty("mlflow.source.type").GetString());
        Assert.AreEqual("false", tags.GetProperty("mlflow_msbuild.git.dirty").GetString());
        Assert.AreEqual("9.8.7", tags.GetProperty("mlflow_msbuild.version").GetString());
        Assert.AreEqual(".NET 10.0.0", tags.GetProperty("mlflow_msbuild.dotnet").GetString());
        Assert.AreEqual("TestOS (X64)", tags.GetProperty("mlflow_msbuild.os").GetString());
        Assert.AreEqual(result.ContentHash, tags.GetProperty("mlflow_msbuild.content_hash").GetString());

        var metricKeys = run.GetProperty("metrics").EnumerateArray().Select(m => m.GetProperty("key").GetString()).Order().ToArray();
        CollectionAssert.AreEqual(new[] { "test/auc", "test/f1", "train/auc" }, metricKeys);

        var artifacts = Path.Combine(fixture.Registry.Root, "runs", result.RunId, "artifacts");
        Assert.AreEqual(File.ReadAllText(input.Tables[0]), File.ReadAllText(Path.Combine(artifacts, "tables", "metrics.md")));
        CollectionAssert.AreEqual(File.ReadAllBytes(input.Figures[0]), File.ReadAllBytes(Path.Combine(artifacts, "figures", "roc.png")));
        Assert.AreEqual("""{"rows": 2000}""", File.ReadAllText(Path.Combine(artifacts, "config", "train.json")));

        var version = await fixture.Registry.GetModelVersionAsync("test-model", result.Version, TestContext.CancellationToken);
        Assert.AreEqual(result.ContentHash, version.Tags["mlflow_msbuild.content_hash"]);
        Assert.Contains("| test/auc | 0.9 |", version.Description);
        Assert.Contains("`synthetic-2000`", version.Description);
        Assert.Contains("- `figures/roc.png`", version.Description);
        Assert.Contains($"/-/commit/{sha})", version.Description);
        var files = await fixture.Registry.ListFilesAsync(version, TestContext.CancellationToken);
        CollectionAssert.AreEqual(new[] { "config/settings.json", "model.zip" }, files.Select(f => f.Path).ToArray(), "only model files belong to the model");
        var model = JsonDocument.Parse(File.ReadAllText(Path.Combine(fixture.Registry.Root, "models", "test-model", "registered-model.json")));
        Assert.Contains("https://gitlab.example.org/group/sub/project", model.RootElement.GetProperty("description").GetString()!);
    }

    [TestMethod]
    public async Task Publish_ListsEveryArtifactPathBeforeCreatingAnything()
    {
        using var fixture = new PublishFixture();
        var recording = new RegistryDecorator(fixture.Registry);

        await fixture.PublishAsync(FullInput(fixture), recording);

        var request = Assert.ContainsSingle(recording.PublicationRequests);
        CollectionAssert.AreEquivalent(
            new[] { "model/model.zip", "model/config/settings.json", "tables/metrics.md", "figures/roc.png", "config/train.json" },
            request.ArtifactPaths.ToArray());
    }

    [TestMethod]
    public async Task Publish_SameContentTwice_ReportsTheFirstVersion_AndForceMakesASecond()
    {
        using var fixture = new PublishFixture();
        var input = FullInput(fixture);

        var first = await fixture.PublishAsync(input);
        var again = await fixture.PublishAsync(input, clock: new FixedTimeProvider(Now.AddDays(1)));
        var forced = await fixture.PublishAsync(input with { ForcePublish = true });

        Assert.IsFalse(first.AlreadyPublished);
        Assert.IsTrue(again.AlreadyPublished);
        Assert.AreEqual("1", again.Version);
        Assert.AreEqual(first.RunId, again.RunId);
        Assert.AreEqual(first.ContentHash, again.ContentHash);
        Assert.IsFalse(forced.AlreadyPublished);
        Assert.AreEqual("2", forced.Version);
        Assert.HasCount(2, Directory.GetDirectories(Path.Combine(fixture.Registry.Root, "runs")), "the repeated publish must not start a run");
    }

    [TestMethod]
    public async Task Publish_SameFilesFromANewCommit_IsANewVersion()
    {
        using var fixture = new PublishFixture();
        var input = FullInput(fixture);
        await fixture.PublishAsync(input);
        fixture.Repo.WriteFile("NOTES.md", "more");
        fixture.Repo.CommitAll("second");

        var second = await fixture.PublishAsync(input);

        Assert.IsFalse(second.AlreadyPublished);
        Assert.AreEqual("2", second.Version);
    }

    [TestMethod]
    public async Task Publish_MetricKeyMlflowRefuses_FailsBeforeWritingAnything()
    {
        using var fixture = new PublishFixture();
        var metrics = fixture.Repo.WriteFile("out/metrics.json", """{"test": {"auc (%)": 90}}""");

        var error = await MlfAssert.ThrowsAsync(MlfError.RunKeyInvalid, () => fixture.PublishAsync(fixture.Input(metricsFile: metrics)));

        Assert.Contains("'test/auc (%)'", error.Message);
        Assert.Contains(metrics, error.Message);
        Assert.IsFalse(Directory.Exists(fixture.Registry.Root));
    }

    [TestMethod]
    public async Task Publish_ParamKeyMlflowRefuses_FailsBeforeWritingAnything()
    {
        using var fixture = new PublishFixture();
        var input = fixture.Input() with { Params = new Dictionary<string, string> { ["learning rate?"] = "0.1" } };

        var error = await MlfAssert.ThrowsAsync(MlfError.RunKeyInvalid, () => fixture.PublishAsync(input));

        Assert.Contains("MlflowParam", error.Message);
        Assert.IsFalse(Directory.Exists(fixture.Registry.Root));
    }

    [TestMethod]
    public async Task Publish_CommandLineOver6000Characters_FailsBeforeWritingAnything()
    {
        using var fixture = new PublishFixture();

        await MlfAssert.ThrowsAsync(MlfError.ParamValueTooLong, () => fixture.PublishAsync(fixture.Input() with { CommandLine = new string('x', 6001) }));

        Assert.IsFalse(Directory.Exists(fixture.Registry.Root));
    }

    [TestMethod]
    public async Task Publish_MissingFigure_FailsBeforeWritingAnything()
    {
        using var fixture = new PublishFixture();

        await MlfAssert.ThrowsAsync(MlfError.EvaluationOutputMissing, () => fixture.PublishAsync(fixture.Input() with { Figures = [fixture.Repo.Path("roc.png")] }));

        Assert.IsFalse(Directory.Exists(fixture.Registry.Root));
    }
}
