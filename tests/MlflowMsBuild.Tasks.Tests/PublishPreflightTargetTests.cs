using MlflowMsBuild.Tasks.Tests.TestUtilities;

namespace MlflowMsBuild.Tasks.Tests;

/// <summary>
/// The PublishModel target refuses, before $(MlflowEvaluationTarget) runs, every setting that does not need the
/// evaluation's outputs: the evaluation here leaves a marker file outside the repository, which must not appear.
/// </summary>
[TestClass]
public sealed class PublishPreflightTargetTests
{
    private const string EvaluateTarget = """
          <Target Name="Evaluate">
            <WriteLinesToFile File="$(EvaluationMarker)" Lines="the evaluation ran" Overwrite="true" />
            <WriteLinesToFile File="evaluation/model/model.bin" Lines="weights" Overwrite="true" />
          </Target>
        """;

    private static readonly string[] GitLabTokenVariables = ["GITLAB_TOKEN", "GITLAB_PRIVATE_TOKEN", "GITLAB_OAUTH_TOKEN", "CI_JOB_TOKEN", "CI_SERVER_URL", "PYTHON_GITLAB_CFG"];

    private static (GitRepo Repo, TestProject Project, TempDirectory Outside) Create(string extraXml = "")
    {
        var repo = GitRepo.Create();
        repo.WriteFile(".gitignore", "evaluation/\nobj/\n"u8.ToArray());
        repo.WriteFile("train.json", """{"rows": 100}"""u8.ToArray());
        repo.CommitAll("configuration");
        var outside = new TempDirectory();
        var project = new TestProject(repo.Root)
        {
            Properties =
            {
                ["MlflowEvaluationTarget"] = "Evaluate",
                ["MlflowModelName"] = "test-x",
                ["EvaluationMarker"] = Path.Combine(outside.Path, "evaluated.txt"),
            },
            ExtraXml = EvaluateTarget + extraXml,
        };
        return (repo, project, outside);
    }

    private static void AssertRefusedBeforeTheEvaluation(BuildRun build, TestProject project, string code)
    {
        build.AssertFailedWith(code);
        Assert.IsFalse(build.TargetStarted("Evaluate"), build.Log.Summary());
        Assert.IsFalse(File.Exists(project.Properties["EvaluationMarker"]), "The evaluation ran before the refusal.");
        Assert.IsFalse(Directory.Exists(Path.Combine(project.Home, "registry")), "Something was published.");
    }

    [TestMethod]
    public void CleanTreeAndValidSettings_RunTheEvaluationAndPublish()
    {
        var (repo, project, outside) = Create();
        using var _ = repo;
        using var __ = project;
        using var ___ = outside;

        var build = project.Build("PublishModel");

        build.AssertSucceeded();
        Assert.IsTrue(File.Exists(project.Properties["EvaluationMarker"]));
        Assert.AreEqual("1", build.State.GetPropertyValue("MlflowPublishedVersion"));
    }

    [TestMethod]
    public void DirtyTree_FailsWithMLF4003_BeforeTheEvaluation()
    {
        var (repo, project, outside) = Create();
        using var _ = repo;
        using var __ = project;
        using var ___ = outside;
        repo.WriteFile("train.json", """{"rows": 999}"""u8.ToArray());

        AssertRefusedBeforeTheEvaluation(project.Build("PublishModel"), project, "MLF4003");
    }

    [TestMethod]
    public void GitLabRegistryWithoutToken_FailsWithMLF5008_BeforeTheEvaluation()
    {
        var (repo, project, outside) = Create();
        using var _ = repo;
        using var __ = project;
        using var ___ = outside;
        project.Properties["MlflowRegistry"] = "gitlab:https://gitlab.example.org/group/project";
        var saved = GitLabTokenVariables.ToDictionary(v => v, Environment.GetEnvironmentVariable);
        try
        {
            foreach (var variable in GitLabTokenVariables)
            {
                Environment.SetEnvironmentVariable(variable, null);
            }

            // Unset, PYTHON_GITLAB_CFG would let the user's ~/.python-gitlab.cfg be read: point it at one without tokens.
            var config = Path.Combine(outside.Path, "python-gitlab.cfg");
            File.WriteAllText(config, "[global]\n");
            Environment.SetEnvironmentVariable("PYTHON_GITLAB_CFG", config);

            AssertRefusedBeforeTheEvaluation(project.Build("PublishModel"), project, "MLF5008");
        }
        finally
        {
            foreach (var (variable, value) in saved)
            {
                Environment.SetEnvironmentVariable(variable, value);
            }
        }
    }

    [TestMethod]
    public void RegistryThatIsNoRegistry_FailsWithMLF1004_BeforeTheEvaluation()
    {
        var (repo, project, outside) = Create();
        using var _ = repo;
        using var __ = project;
        using var ___ = outside;
        project.Properties["MlflowRegistry"] = "s3://bucket/models";

        AssertRefusedBeforeTheEvaluation(project.Build("PublishModel"), project, "MLF1004");
    }

    [TestMethod]
    public void NameBreakingTheConvention_FailsWithMLF1001_BeforeTheEvaluation()
    {
        var (repo, project, outside) = Create();
        using var _ = repo;
        using var __ = project;
        using var ___ = outside;
        project.Properties["MlflowModelName"] = "classifier";

        AssertRefusedBeforeTheEvaluation(project.Build("PublishModel"), project, "MLF1001");
    }

    [TestMethod]
    public void MlflowModelVersionOnTheEmbeddedRegistry_FailsWithMLF1051_BeforeTheEvaluation()
    {
        var (repo, project, outside) = Create();
        using var _ = repo;
        using var __ = project;
        using var ___ = outside;
        project.Properties["MlflowModelVersion"] = "7";

        var build = project.Build("PublishModel");

        AssertRefusedBeforeTheEvaluation(build, project, "MLF1051");
        Assert.Contains("'7'", build.Log.Errors[0].Message);
        Assert.Contains("Remove MlflowModelVersion", build.Log.Errors[0].Message);
    }

    [TestMethod]
    [DataRow("commit")]
    [DataRow("date")]
    [DataRow("command_line")]
    public void MlflowParamNamedLikeAParamTheProductSets_FailsWithMLF1052_BeforeTheEvaluation(string key)
    {
        var (repo, project, outside) = Create($"""
              <ItemGroup><MlflowParam Include="{key}" Value="mine" /></ItemGroup>
            """);
        using var _ = repo;
        using var __ = project;
        using var ___ = outside;

        var build = project.Build("PublishModel");

        AssertRefusedBeforeTheEvaluation(build, project, "MLF1052");
        Assert.Contains($"'{key}'", build.Log.Errors[0].Message);
    }
}
