using System.Text.Json;
using MlflowMsBuild.Tasks.Tests.TestUtilities;

namespace MlflowMsBuild.Tasks.Tests;

/// <summary>
/// The PublishModel target reads what the project does not set from $(MlflowEvaluationDirectory), as Core's
/// EvaluationFolder lays it out; the MSBuild properties and items still win.
/// </summary>
[TestClass]
public sealed class PublishEvaluationFolderTargetTests
{
    // Every default output, in a folder other than evaluation/, plus files the defaults must not take.
    private const string EvaluateTarget = """
          <Target Name="Evaluate">
            <WriteLinesToFile File="out/eval/model/weights.bin" Lines="weights" Overwrite="true" />
            <WriteLinesToFile File="out/eval/model/sub/vocabulary.txt" Lines="a;b" Overwrite="true" />
            <WriteLinesToFile File="out/eval/command-line.txt" Lines="  train --epochs 3  " Overwrite="true" />
            <WriteLinesToFile File="out/eval/database.txt" Lines="synthetic-8f" Overwrite="true" />
            <WriteLinesToFile File="out/eval/tables/summary.csv" Lines="split,auc;test,0.9" Overwrite="true" />
            <WriteLinesToFile File="out/eval/tables/nested/deep.md" Lines="| not | read |" Overwrite="true" />
            <WriteLinesToFile File="out/eval/figures/roc.PNG" Lines="png bytes" Overwrite="true" />
            <WriteLinesToFile File="out/eval/figures/notes.docx" Lines="not a figure" Overwrite="true" />
            <WriteLinesToFile File="extra/other.md" Lines="| explicit |" Overwrite="true" />
            <WriteLinesToFile File="extra/command.txt" Lines="from a file of the project" Overwrite="true" />
          </Target>
        """;

    private static (GitRepo Repo, TestProject Project) Create(string extraXml = "")
    {
        var repo = GitRepo.Create();
        var project = new TestProject(repo.Root)
        {
            Properties =
            {
                ["MlflowEvaluationTarget"] = "Evaluate",
                ["MlflowEvaluationDirectory"] = "out/eval/",
                ["MlflowModelName"] = "test-x",
            },
            ExtraXml = EvaluateTarget + extraXml,
        };
        return (repo, project);
    }

    private static (JsonElement Run, string Artifacts) ReadRun(TestProject project)
    {
        var registry = Path.Combine(project.Home, "registry");
        using var version = JsonDocument.Parse(File.ReadAllText(Path.Combine(registry, "models", "test-x", "versions", "1.json")));
        var runId = version.RootElement.GetProperty("run_id").GetString()!;
        using var run = JsonDocument.Parse(File.ReadAllText(Path.Combine(registry, "runs", runId, "run.json")));
        return (run.RootElement.Clone(), Path.Combine(registry, "runs", runId, "artifacts"));
    }

    private static string[] Files(string directory) =>
        Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(directory, f).Replace('\\', '/')).Order(StringComparer.Ordinal).ToArray()
            : [];

    [TestMethod]
    public void NothingSet_ReadsTheModelCommandLineDataSetTablesAndFigures_FromTheEvaluationDirectory()
    {
        var (repo, project) = Create();
        using var _ = repo;
        using var __ = project;

        var build = project.Build("PublishModel");

        build.AssertSucceeded();
        var (run, artifacts) = ReadRun(project);
        var parameters = run.GetProperty("params");
        Assert.AreEqual("train --epochs 3", parameters.GetProperty("command_line").GetString());
        Assert.AreEqual("synthetic-8f", parameters.GetProperty("database").GetString());
        CollectionAssert.AreEqual(new[] { "figures/roc.PNG", "tables/summary.csv" },
            Files(artifacts).Where(f => f.StartsWith("tables/", StringComparison.Ordinal) || f.StartsWith("figures/", StringComparison.Ordinal)).ToArray(),
            "top-level tables and figures of the listed extensions, in any case");
        project.References.Add(("test-x", "1"));
        project.Build("Build").AssertSucceeded();
        CollectionAssert.AreEqual(new[] { "sub/vocabulary.txt", "weights.bin" }, Files(project.PathOf("obj/models/test-x/1")));
    }

    [TestMethod]
    public void PropertiesAndItems_ReplaceTheEvaluationDirectorysFiles()
    {
        var (repo, project) = Create("""
              <ItemGroup>
                <MlflowTable Include="extra/other.md" />
                <MlflowModelFile Include="out/eval/model/weights.bin" />
              </ItemGroup>
            """);
        using var _ = repo;
        using var __ = project;
        project.Properties["MlflowCommandLineFile"] = "extra/command.txt";
        project.Properties["MlflowDatabase"] = "given-in-the-project";

        var build = project.Build("PublishModel");

        build.AssertSucceeded();
        var (run, artifacts) = ReadRun(project);
        var parameters = run.GetProperty("params");
        Assert.AreEqual("from a file of the project", parameters.GetProperty("command_line").GetString());
        Assert.AreEqual("given-in-the-project", parameters.GetProperty("database").GetString());
        CollectionAssert.AreEqual(new[] { "tables/other.md" }, Files(Path.Combine(artifacts, "tables")).Select(f => "tables/" + f).ToArray());
        CollectionAssert.AreEqual(new[] { "figures/roc.PNG" }, Files(Path.Combine(artifacts, "figures")).Select(f => "figures/" + f).ToArray(),
            "an MlflowTable item leaves the default figures");
        project.References.Add(("test-x", "1"));
        project.Build("Build").AssertSucceeded();
        CollectionAssert.AreEqual(new[] { "weights.bin" }, Files(project.PathOf("obj/models/test-x/1")));
    }

    [TestMethod]
    public void MlflowModelNamePrefixes_ReplaceTheDefaultPrefixes()
    {
        var (repo, project) = Create();
        using var _ = repo;
        using var __ = project;
        project.Properties["MlflowModelNamePrefixes"] = "prod-;exp-";

        var build = project.Build("PublishModel");

        var error = build.AssertFailedWith("MLF1001");
        Assert.Contains("'prod-' or 'exp-'", error.Message);
        Assert.DoesNotContain("'doc-'", error.Message);
    }

    [TestMethod]
    public void MlflowModelNamePrefixesWithoutAPrefix_AllowsAnyName()
    {
        var (repo, project) = Create();
        using var _ = repo;
        using var __ = project;
        project.Properties["MlflowModelNamePrefixes"] = ";";
        project.Properties["MlflowModelName"] = "classifier";

        var build = project.Build("PublishModel");

        build.AssertSucceeded();
        Assert.AreEqual("1", build.State.GetPropertyValue("MlflowPublishedVersion"));
    }
}
