using MlflowMsBuild.EndToEnd.Tests.TestUtilities;
using MlflowMsBuild.TestServer;

namespace MlflowMsBuild.EndToEnd.Tests;

/// <summary>
/// A GitLab CI test job whose only credential is <c>CI_JOB_TOKEN</c>: a pinned version restores from the committed
/// <c>models.lock.json</c> through GitLab's package file route (the one place GitLab takes a job token); without the
/// lock file the build fails with MLF5030, saying how to write it.
/// </summary>
[TestClass]
public sealed class GitLabCiJobTokenFlowTests
{
    private const string Token = "glpat-e2e-ci-7f3a9c0d";
    private const string JobToken = "glcbt-64_e2e-job-token-51c2";
    private const string ProjectPath = "group/sub/project";

    [TestMethod]
    public async Task PinnedVersion_RestoresWithOnlyTheJobToken_FromTheLockFile_AndWithoutItSaysWhatToDo()
    {
        await using var server = await TestRegistryServer.StartAsync(new TestServerOptions { Flavor = RegistryFlavor.GitLab });
        server.AddProject(ProjectPath);
        server.AddToken(Token, "api");
        server.AddJobToken(JobToken);
        using var workspace = new Workspace(AssemblySetup.Package);
        workspace.WriteFile("Trainer/Trainer.csproj", GeneratedProjects.Trainer);
        workspace.WriteFile("Consumer/Consumer.csproj", GeneratedProjects.Consumer("test-generated", "1.0.0"));
        workspace.WriteFile("python-gitlab.cfg", "");
        workspace.CommitAll("projects");
        var serverUrl = server.BaseAddress.AbsoluteUri.TrimEnd('/');
        workspace.Environment["PYTHON_GITLAB_CFG"] = workspace.PathOf("python-gitlab.cfg");
        workspace.Environment["GITLAB_TOKEN"] = Token;

        // A developer, with a project access token: publish, then write the lock file to commit.
        var registry = $"-p:MlflowRegistry=gitlab:{serverUrl}/{ProjectPath}";
        var publish = workspace.DotNet("build", "Trainer", "-t:PublishModel", "-p:MlflowModelName=test-generated", registry);
        Assert.AreEqual(0, publish.ExitCode, publish.ToString());
        var locking = workspace.DotNet("build", "Consumer", registry, "-p:MlflowUseLockFile=true");
        Assert.AreEqual(0, locking.ExitCode, locking.ToString());
        var lockFile = workspace.PathOf("Consumer", "models.lock.json");
        var locked = File.ReadAllText(lockFile);
        StringAssert.Contains(locked, "\"artifact_path\": \"model\"");

        // The CI job: a fresh runner (empty cache, no obj/), only GitLab CI's own variables.
        InCiJob(workspace, serverUrl, "ci-home-1");
        server.RequestLog.Clear();
        var restore = workspace.DotNet("build", "Consumer", $"-p:MlflowRegistry=gitlab:{ProjectPath}");

        Assert.AreEqual(0, restore.ExitCode, restore.ToString());
        StringAssert.Contains(File.ReadAllText(workspace.PathOf("Consumer", "obj", "models", "test-generated", "1.0.0", "weights.txt")), "0.25");
        Assert.IsNotEmpty(server.RequestLog.Entries);
        foreach (var entry in server.RequestLog.Entries)
        {
            StringAssert.Contains(entry.PathAndQuery, "/packages/ml_models/", entry.ToString());
            Assert.AreEqual(200, entry.StatusCode, entry.ToString());
            Assert.AreEqual("Bearer " + JobToken, entry.Headers["Authorization"], "GitLab reads the job token there as Bearer only");
        }

        Assert.AreEqual(locked, File.ReadAllText(lockFile), "the restore keeps the committed lock file as it is");
        Assert.DoesNotContain(JobToken, restore.Output);

        // The same job without the lock file.
        File.Delete(lockFile);
        InCiJob(workspace, serverUrl, "ci-home-2");
        server.RequestLog.Clear();
        var unlocked = workspace.DotNet("build", "Consumer", $"-p:MlflowRegistry=gitlab:{ProjectPath}");

        Assert.AreNotEqual(0, unlocked.ExitCode, unlocked.ToString());
        StringAssert.Contains(unlocked.Output, "MLF5030");
        StringAssert.Contains(unlocked.Output, "-p:MlflowUseLockFile=true");
        StringAssert.Contains(unlocked.Output, "commit the models.lock.json");
        Assert.IsEmpty(server.RequestLog.Entries, "nothing was asked that GitLab would refuse");
        Assert.DoesNotContain(JobToken, unlocked.Output);
    }

    private static void InCiJob(Workspace workspace, string serverUrl, string home)
    {
        Directory.Delete(workspace.PathOf("Consumer", "obj"), recursive: true);
        workspace.Environment["MLFLOW_MSBUILD_HOME"] = workspace.PathOf(home);
        workspace.Environment["GITLAB_TOKEN"] = null;
        workspace.Environment["GITLAB_CI"] = "true";
        workspace.Environment["CI_SERVER_URL"] = serverUrl;
        workspace.Environment["CI_JOB_TOKEN"] = JobToken;
    }
}
