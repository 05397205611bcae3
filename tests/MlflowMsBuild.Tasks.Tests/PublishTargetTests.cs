using System.Text.RegularExpressions;
using MlflowMsBuild.Tasks.Tests.TestUtilities;

namespace MlflowMsBuild.Tasks.Tests;

/// <summary>The PublishModel target of build/MlflowMsBuild.Publish.targets, with a stub evaluation target.</summary>
[TestClass]
public sealed class PublishTargetTests
{
    // Writes what a real evaluation writes: the model and its metrics, under evaluation/.
    private const string EvaluateTarget = """
          <Target Name="Evaluate">
            <WriteLinesToFile File="evaluation/model/model.bin" Lines="weights of run $(EvaluationRun)" Overwrite="true" />
            <WriteLinesToFile File="evaluation/metrics.json" Lines="{&quot;test&quot;: {&quot;auc&quot;: 0.91}}" Overwrite="true" />
          </Target>
        """;

    private static TestProject CreateProject(string? directory = null) => new(directory)
    {
        Properties = { ["MlflowEvaluationTarget"] = "Evaluate" },
        ExtraXml = EvaluateTarget,
    };

    private static Dictionary<string, string> Name(string modelName, string run = "1") => new()
    {
        ["MlflowModelName"] = modelName,
        ["EvaluationRun"] = run,
    };

    [TestMethod]
    public void NameWithoutConventionalPrefix_FailsWithMLF1001_NamingThePrefixes()
    {
        using var project = CreateProject();

        var run = project.Build(["PublishModel"], Name("classifier"));

        var error = run.AssertFailedWith("MLF1001");
        Assert.Contains("'classifier'", error.Message);
        Assert.Contains("'doc-'", error.Message);
        Assert.Contains("'test-'", error.Message);
    }

    [TestMethod]
    public void NoName_FailsWithMLF1011_BeforeTheEvaluationRuns()
    {
        using var project = CreateProject();

        var run = project.Build("PublishModel");

        var error = run.AssertFailedWith("MLF1011");
        Assert.Contains("doc-;test-", error.Message);
        Assert.IsFalse(run.TargetStarted("Evaluate"), run.Log.Summary());
        Assert.IsFalse(run.TaskStarted("PublishModel"), run.Log.Summary());
        Assert.IsFalse(Directory.Exists(project.PathOf("evaluation")));
    }

    [TestMethod]
    public void FolderOutsideAGitRepository_FailsWithMLF1007_BeforeTheEvaluationRuns()
    {
        using var project = CreateProject();

        var run = project.Build(["PublishModel"], Name("test-x"));

        var error = run.AssertFailedWith("MLF1007");
        Assert.IsFalse(run.TargetStarted("Evaluate"), "The git state needs no evaluation output: " + run.Log.Summary());
        Assert.Contains("is not inside a git repository", error.Message);
        Assert.IsFalse(Directory.Exists(Path.Combine(project.Home, "registry", "models", "test-x", "versions")),
            "A failed publish registered the model.");
    }

    [TestMethod]
    public void PublishInAGitRepository_SetsMlflowPublishedVersion_OneThenTwo_AndTheVersionRestores()
    {
        using var repo = GitRepo.Create();
        using var project = CreateProject(repo.Root);

        var first = project.Build(["PublishModel"], Name("test-x", run: "1"));
        var second = project.Build(["PublishModel"], Name("test-x", run: "2"));

        first.AssertSucceeded();
        second.AssertSucceeded();
        Assert.IsTrue(first.TargetStarted("Evaluate"), first.Log.Summary());
        Assert.AreEqual("1", first.State.GetPropertyValue("MlflowPublishedVersion"));
        Assert.AreEqual("2", second.State.GetPropertyValue("MlflowPublishedVersion"));
        var returned = second.Result.ResultsByTarget["PublishModel"].Items.Select(i => i.ItemSpec).ToList();
        CollectionAssert.AreEqual(new[] { "2" }, returned, "PublishModel returns the version.");
        Assert.ContainsSingle(first.Log.Messages.Where(m => Regex.IsMatch(m, @"^Published model 'test-x' version 1 \((1 file|(0|[2-9]|[1-9]\d+) files), [0-9.]+ (B|KiB|MiB), commit [0-9a-f]{12}\)")), first.Log.Summary());

        // What was published restores byte for byte into a project that references it.
        var published = File.ReadAllBytes(project.PathOf("evaluation/model/model.bin"));
        project.References.Add(("test-x", "2"));
        var restore = project.Build("Build");
        restore.AssertSucceeded();
        CollectionAssert.AreEqual(published, File.ReadAllBytes(project.PathOf("obj/models/test-x/2/model.bin")));
        Assert.ContainsSingle(restore.Log.Messages.Where(m => Regex.IsMatch(m, @"^Restored model 'test-x' version 2 \((1 file|(0|[2-9]|[1-9]\d+) files)\)")), restore.Log.Summary());
    }

    [TestMethod]
    public void PublishFromARepositoryWithoutRemote_WarnsWithMLF4010()
    {
        using var repo = GitRepo.Create();
        using var project = CreateProject(repo.Root);

        var run = project.Build(["PublishModel"], Name("test-x"));

        run.AssertSucceeded();
        var warning = run.Log.Warnings.Single(w => w.StartsWith("MLF4010", StringComparison.Ordinal));
        Assert.Contains(repo.Root, warning);
    }

    [TestMethod]
    public void TwoParamsWithTheSameKeyAndDifferentValues_FailWithACodedError()
    {
        using var repo = GitRepo.Create();
        using var project = new TestProject(repo.Root)
        {
            Properties = { ["MlflowEvaluationTarget"] = "Evaluate" },
            ExtraXml = EvaluateTarget + """
                <ItemGroup>
                  <MlflowParam Include="lr" Value="0.1" />
                  <MlflowParam Include="lr" Value="0.2" />
                </ItemGroup>
                """,
        };

        var run = project.Build(["PublishModel"], Name("test-x"));

        var error = run.AssertFailedWith("MLF1010");
        Assert.Contains("'lr'", error.Message);
        Assert.IsFalse(Directory.Exists(Path.Combine(project.Home, "registry", "models", "test-x", "versions")));
    }
}
