using System.Text.Json;
using MlflowMsBuild.Tasks.Tests.TestUtilities;

namespace MlflowMsBuild.Tasks.Tests;

/// <summary>Tables, figures, configuration, data set, dirty trees and repeated publishes through the PublishModel target.</summary>
[TestClass]
public sealed class PublishProvenanceTargetTests
{
    // An evaluation that writes every output to evaluation/, as the defaults expect.
    private const string EvaluateTarget = """
          <Target Name="Evaluate">
            <WriteLinesToFile File="evaluation/model/model.bin" Lines="weights of run $(EvaluationRun)" Overwrite="true" />
            <WriteLinesToFile File="evaluation/metrics.json" Lines="{&quot;test&quot;: {&quot;auc&quot;: 0.91}}" Overwrite="true" />
            <WriteLinesToFile File="evaluation/tables/metrics.md" Lines="| split | auc |;|---|---|;| test | 0.91 |" Overwrite="true" />
            <WriteLinesToFile File="evaluation/figures/roc.svg" Lines="&lt;svg&gt;&lt;text&gt;ROC&lt;/text&gt;&lt;/svg&gt;" Overwrite="true" />
            <WriteLinesToFile File="evaluation/figures/ignored.bmp" Lines="not a published figure type" Overwrite="true" />
          </Target>
        """;

    private static (GitRepo Repo, TestProject Project) Create(string extraXml = "")
    {
        var repo = GitRepo.Create();
        repo.WriteFile("train.json", """{"rows": 100}"""u8.ToArray());
        repo.CommitAll("configuration");
        var project = new TestProject(repo.Root)
        {
            Properties = { ["MlflowEvaluationTarget"] = "Evaluate", ["MlflowModelName"] = "test-x" },
            ExtraXml = EvaluateTarget + extraXml,
        };
        return (repo, project);
    }

    private static Dictionary<string, string> Run(string run = "1") => new() { ["EvaluationRun"] = run };

    private static JsonElement ReadRun(TestProject project, string version)
    {
        var registry = Path.Combine(project.Home, "registry");
        using var versionDocument = JsonDocument.Parse(File.ReadAllText(Path.Combine(registry, "models", "test-x", "versions", version + ".json")));
        var runId = versionDocument.RootElement.GetProperty("run_id").GetString()!;
        using var run = JsonDocument.Parse(File.ReadAllText(Path.Combine(registry, "runs", runId, "run.json")));
        return run.RootElement.Clone();
    }

    [TestMethod]
    public void DefaultsPublishTablesAndFigures_ItemsAndPropertiesAddConfigurationDataSetAndCommandLine()
    {
        var (repo, project) = Create("""
              <ItemGroup><MlflowConfigFile Include="train.json" /></ItemGroup>
            """);
        using var _ = repo;
        using var __ = project;
        project.Properties["MlflowDatabase"] = "synthetic-100";
        project.Properties["MlflowCommandLine"] = "trainer --rows 100";

        var build = project.Build(["PublishModel"], Run());

        build.AssertSucceeded();
        var run = ReadRun(project, "1");
        var parameters = run.GetProperty("params");
        Assert.AreEqual("train.json", parameters.GetProperty("config_file").GetString());
        Assert.AreEqual("synthetic-100", parameters.GetProperty("database").GetString());
        Assert.AreEqual("trainer --rows 100", parameters.GetProperty("command_line").GetString());
        var artifacts = Path.Combine(project.Home, "registry", "runs", run.GetProperty("run_id").GetString()!, "artifacts");
        Assert.IsTrue(File.Exists(Path.Combine(artifacts, "tables", "metrics.md")));
        Assert.IsTrue(File.Exists(Path.Combine(artifacts, "figures", "roc.svg")));
        Assert.IsFalse(File.Exists(Path.Combine(artifacts, "figures", "ignored.bmp")), "the default glob takes only figure types");
        Assert.IsTrue(File.Exists(Path.Combine(artifacts, "config", "train.json")));
        Assert.AreEqual("false", build.State.GetPropertyValue("MlflowPublishedVersionExisted"), ignoreCase: true);
    }

    [TestMethod]
    public void ExplicitFigureOfAnUnsupportedType_FailsWithMLF4007_AndPublishesNothing()
    {
        var (repo, project) = Create("""
              <ItemGroup><MlflowFigure Include="evaluation/figures/ignored.bmp" /></ItemGroup>
            """);
        using var _ = repo;
        using var __ = project;

        var build = project.Build(["PublishModel"], Run());

        var error = build.AssertFailedWith("MLF4007");
        Assert.Contains("ignored.bmp", error.Message);
        Assert.IsFalse(Directory.Exists(Path.Combine(project.Home, "registry")));
    }

    [TestMethod]
    public void DirtyWorkingTree_FailsWithMLF4003_UnlessMlflowAllowDirty()
    {
        var (repo, project) = Create();
        using var _ = repo;
        using var __ = project;
        repo.WriteFile("train.json", """{"rows": 999}"""u8.ToArray());

        var refused = project.Build(["PublishModel"], Run());
        project.Properties["MlflowAllowDirty"] = "true";
        var allowed = project.Build(["PublishModel"], Run());

        var error = refused.AssertFailedWith("MLF4003");
        Assert.Contains("train.json", error.Message);
        allowed.AssertSucceeded();
        Assert.AreEqual("true", ReadRun(project, "1").GetProperty("tags").GetProperty("mlflow_msbuild.git.dirty").GetString());
    }

    [TestMethod]
    public void SameContentTwice_ReportsTheExistingVersion_ForcePublishMakesANewOne()
    {
        var (repo, project) = Create();
        using var _ = repo;
        using var __ = project;

        var first = project.Build(["PublishModel"], Run());
        var again = project.Build(["PublishModel"], Run());
        project.Properties["MlflowForcePublish"] = "true";
        var forced = project.Build(["PublishModel"], Run());

        first.AssertSucceeded();
        again.AssertSucceeded();
        forced.AssertSucceeded();
        Assert.AreEqual("1", again.State.GetPropertyValue("MlflowPublishedVersion"));
        Assert.AreEqual("true", again.State.GetPropertyValue("MlflowPublishedVersionExisted"), ignoreCase: true);
        Assert.IsTrue(again.Log.Messages.Any(m => m.Contains("version 1", StringComparison.Ordinal) && m.Contains("already holds this content", StringComparison.Ordinal)), again.Log.Summary());
        Assert.AreEqual("2", forced.State.GetPropertyValue("MlflowPublishedVersion"));
        Assert.HasCount(2, Directory.GetFiles(Path.Combine(project.Home, "registry", "models", "test-x", "versions"), "*.json"));
    }
}
