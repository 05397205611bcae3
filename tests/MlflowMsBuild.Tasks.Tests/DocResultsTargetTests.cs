using MlflowMsBuild.Tasks.Tests.TestUtilities;

namespace MlflowMsBuild.Tasks.Tests;

/// <summary>
/// <c>dotnet build -t:MlflowDocResults</c>: two doc- models published with the PublishModel target, their results page
/// written from the project's doc- references (incrementally), and checked with <c>-p:MlflowDocResultsCheck=true</c>.
/// </summary>
[TestClass]
public sealed class DocResultsTargetTests
{
    private static (GitRepo Repo, TestProject Project) PublishTwo()
    {
        var repo = GitRepo.Create();
        var project = new TestProject(repo.Root)
        {
            Properties = { ["MlflowEvaluationTarget"] = "Evaluate" },
            ExtraXml = """<Target Name="Evaluate" />""",
        };
        foreach (var (name, auc) in new[] { ("doc-a", "0.91"), ("doc-b", "0.93") })
        {
            repo.WriteFile($"eval-{name}/model/weights.bin", "weights of " + name);
            repo.WriteFile($"eval-{name}/metrics.json", $$"""{"auc": {{auc}}, "loss": 0.{{auc[^1]}}}""");
            repo.WriteFile($"eval-{name}/command-line.txt", "train " + name);
            repo.WriteFile($"eval-{name}/figures/roc.svg", $"<svg xmlns=\"http://www.w3.org/2000/svg\"><text>{name}</text></svg>\n");
        }

        repo.CommitAll("evaluations");
        foreach (var name in new[] { "doc-a", "doc-b" })
        {
            project.Build(["PublishModel"], new Dictionary<string, string> { ["MlflowModelName"] = name, ["MlflowEvaluationDirectory"] = $"eval-{name}/" }).AssertSucceeded();
        }

        project.References.Add(("doc-a", "1"));
        project.References.Add(("doc-b", "1"));
        project.References.Add(("test-unrelated", "1"));
        return (repo, project);
    }

    [TestMethod]
    public void MlflowDocResults_WritesThePageOfTheDocReferences_ThenIsUpToDate_AndTheCheckFindsAnEdit()
    {
        var (repo, project) = PublishTwo();
        using var _ = repo;
        using var __ = project;
        project.Properties["MlflowDocResultsMetrics"] = "auc";

        var first = project.Build("MlflowDocResults");
        var second = project.Build("MlflowDocResults");

        first.AssertSucceeded();
        var page = project.PathOf("docs/results/results.md");
        var text = File.ReadAllText(page);
        StringAssert.Contains(text, "| model | version | auc |\n");
        StringAssert.Contains(text, "| [doc-a](#doc-a-1) | 1 | 0.91 |\n| [doc-b](#doc-b-1) | 1 | 0.93 |\n");
        Assert.IsFalse(text.Contains("test-unrelated", StringComparison.Ordinal), "only doc- references");
        Assert.IsTrue(File.Exists(project.PathOf("docs/results/figures/doc-b/1/roc.svg")));
        CollectionAssert.AreEquivalent(new[] { "results.md", "roc.svg", "roc.svg" }, first.Items("MlflowDocResultsFile").Select(i => Path.GetFileName(i.EvaluatedInclude)).ToArray());
        second.AssertSucceeded();
        Assert.IsFalse(second.TaskStarted("WriteDocResults"), "up to date: the task does not run\n" + second.Log.Summary());

        var check = project.Build(["MlflowDocResults"], new Dictionary<string, string> { ["MlflowDocResultsCheck"] = "true" });
        check.AssertSucceeded();
        File.WriteAllText(page, text.Replace("| 0.93 |", "| 0.99 |", StringComparison.Ordinal));
        var failed = project.Build(["MlflowDocResults"], new Dictionary<string, string> { ["MlflowDocResultsCheck"] = "true" });
        var error = failed.AssertFailedWith("MLF2070");
        StringAssert.Contains(error.Message, "| 0.99 |");

        // The edited page is newer than the last write: the next write puts the registry's numbers back.
        project.Build("MlflowDocResults").AssertSucceeded();
        Assert.AreEqual(text, File.ReadAllText(page));
    }

    [TestMethod]
    public void MlflowDocResults_PutsBackADeletedFigure_TheFiguresFolder_AndAnEditedFigure_ThenIsUpToDate()
    {
        var (repo, project) = PublishTwo();
        using var _ = repo;
        using var __ = project;
        project.Build("MlflowDocResults").AssertSucceeded();
        var figureA = project.PathOf("docs/results/figures/doc-a/1/roc.svg");
        var figureB = project.PathOf("docs/results/figures/doc-b/1/roc.svg");

        File.Delete(figureB);
        var afterFigure = project.Build("MlflowDocResults");
        Directory.Delete(project.PathOf("docs/results/figures"), recursive: true);
        var afterFolder = project.Build("MlflowDocResults");
        File.WriteAllText(figureA, "<svg xmlns=\"http://www.w3.org/2000/svg\"><text>edited</text></svg>\n");
        var afterEdit = project.Build("MlflowDocResults");
        var then = project.Build("MlflowDocResults");

        afterFigure.AssertSucceeded();
        Assert.IsTrue(afterFigure.TaskStarted("WriteDocResults"), "a deleted figure is out of date\n" + afterFigure.Log.Summary());
        CollectionAssert.AreEqual(new[] { figureB }, afterFigure.Items("MlflowDocResultsFile").Select(i => i.EvaluatedInclude).ToArray(), "only the deleted figure is written");
        afterFolder.AssertSucceeded();
        CollectionAssert.AreEquivalent(new[] { figureA, figureB }, afterFolder.Items("MlflowDocResultsFile").Select(i => i.EvaluatedInclude).ToArray(), "the whole figures folder is put back");
        afterEdit.AssertSucceeded();
        CollectionAssert.AreEqual(new[] { figureA }, afterEdit.Items("MlflowDocResultsFile").Select(i => i.EvaluatedInclude).ToArray(), "a figure saved after the write is put back");
        CollectionAssert.AreEqual(File.ReadAllBytes(Path.Combine(repo.Root, "eval-doc-a", "figures", "roc.svg")), File.ReadAllBytes(figureA), "the registry's bytes");
        CollectionAssert.AreEqual(File.ReadAllBytes(Path.Combine(repo.Root, "eval-doc-b", "figures", "roc.svg")), File.ReadAllBytes(figureB), "the registry's bytes");
        then.AssertSucceeded();
        Assert.IsFalse(then.TaskStarted("WriteDocResults"), "up to date again\n" + then.Log.Summary());
        project.Build(["MlflowDocResults"], new Dictionary<string, string> { ["MlflowDocResultsCheck"] = "true" }).AssertSucceeded();
    }

    [TestMethod]
    public void MlflowDocResults_PutsBackADeletedPage_AndAfterARewriteThatKeepsTheFigures_IsUpToDate()
    {
        var (repo, project) = PublishTwo();
        using var _ = repo;
        using var __ = project;
        project.Build("MlflowDocResults").AssertSucceeded();
        var page = project.PathOf("docs/results/results.md");
        var text = File.ReadAllText(page);

        File.Delete(page);
        var afterPage = project.Build("MlflowDocResults");
        var restored = File.ReadAllText(page);
        // A new title rewrites the page only: the figures keep their (older) times, and must not keep the write out of date.
        project.Properties["MlflowDocResultsTitle"] = "Classifier results";
        var retitled = project.Build("MlflowDocResults");
        var then = project.Build("MlflowDocResults");

        afterPage.AssertSucceeded();
        Assert.AreEqual(text, restored);
        retitled.AssertSucceeded();
        CollectionAssert.AreEqual(new[] { page }, retitled.Items("MlflowDocResultsFile").Select(i => i.EvaluatedInclude).ToArray());
        then.AssertSucceeded();
        Assert.IsFalse(then.TaskStarted("WriteDocResults"), "up to date\n" + then.Log.Summary());
    }

    [TestMethod]
    public void MlflowDocResults_WithoutDocReferences_FailsWithMLF1073()
    {
        using var project = new TestProject();
        project.References.Add(("test-x", "1"));

        project.Build("MlflowDocResults").AssertFailedWith("MLF1073");
    }
}
