using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Tasks.Tests.TestUtilities;

namespace MlflowMsBuild.Tasks.Tests;

/// <summary>
/// build/MlflowMsBuild.targets as each MSBuild host sees it. The reserved MSBuildRuntimeType and MSBuildVersion cannot
/// be set, so the builds set their private copies (_MlflowHostRuntimeType, _MlflowHostVersion) as global properties.
/// </summary>
[TestClass]
public sealed class MSBuildHostTargetTests
{
    private static Dictionary<string, string> Host(string runtimeType, string version) => new()
    {
        ["_MlflowHostRuntimeType"] = runtimeType,
        ["_MlflowHostVersion"] = version,
    };

    private static bool LaunchedInTaskHost(string message, string task) =>
        message.Contains($"\"{task}\"", StringComparison.Ordinal) && message.Contains("external task host", StringComparison.Ordinal)
        && message.Contains("\"NET\"", StringComparison.Ordinal);

    [TestMethod]
    [DataRow("Full", "17.14.8")]
    [DataRow("Full", "17.8.3")]
    [DataRow("Full", "16.11.2")]
    [DataRow("Mono", "16.10.1")]
    public async Task OlderFullFrameworkMSBuild_FailsWithMLF1050_BeforeAnyTask(string runtimeType, string version)
    {
        using var project = new TestProject();
        await RegistrySeeder.PublishAsync(project.Home, "test-x", RegistrySeeder.SampleFiles());
        project.References.Add(("test-x", "1"));
        project.Properties["MlflowModelName"] = "test-x";

        var restore = project.Build(["Build"], Host(runtimeType, version));
        var publish = project.Build(["PublishModel"], Host(runtimeType, version));

        foreach (var build in new[] { restore, publish })
        {
            var error = build.AssertFailedWith("MLF1050");
            Assert.AreEqual(MlflowException.Format(MlfError.MSBuildHostUnsupported, runtimeType, version), error.Message,
                "The targets' text is MLF1050's message in Messages.resx.");
            Assert.IsEmpty(build.Log.TasksStarted.Where(t => t is "RestoreModels" or "WriteModelAccessor" or "CheckPublishSettings" or "PublishModel"),
                build.Log.Summary());
        }

        Assert.IsFalse(Directory.Exists(project.PathOf("obj/models")));
    }

    [TestMethod]
    [DataRow("Full", "18.0.2")]
    [DataRow("Full", "18.3.0")]
    public async Task FullFrameworkMSBuild18_RunsTheTasksInTheDotNetTaskHost(string runtimeType, string version)
    {
        using var project = new TestProject();
        await RegistrySeeder.PublishAsync(project.Home, "test-x", RegistrySeeder.SampleFiles());
        project.References.Add(("test-x", "1"));

        var build = project.Build(["Build"], Host(runtimeType, version));

        build.AssertSucceeded();
        Assert.AreEqual("NetTaskHost", build.State.GetPropertyValue("_MlflowTaskHost"));
        Assert.IsTrue(File.Exists(project.PathOf("obj/models/test-x/1/model.bin")));
        // MSBuild's own line: Launching task "RestoreModels" from assembly "..." in an external task host with a runtime of "NET" ...
        Assert.IsTrue(build.Log.Messages.Any(m => LaunchedInTaskHost(m, "RestoreModels")), build.Log.Summary());
        Assert.IsTrue(build.Log.Messages.Any(m => LaunchedInTaskHost(m, "WriteModelAccessor")), build.Log.Summary());
    }

    [TestMethod]
    public async Task DotnetCli_RunsTheTasksInProcess()
    {
        using var project = new TestProject();
        await RegistrySeeder.PublishAsync(project.Home, "test-x", RegistrySeeder.SampleFiles());
        project.References.Add(("test-x", "1"));

        var build = project.Build("Build");

        build.AssertSucceeded();
        Assert.AreEqual("Core", build.State.GetPropertyValue("_MlflowHostRuntimeType"));
        Assert.AreEqual("InProcess", build.State.GetPropertyValue("_MlflowTaskHost"));
        Assert.IsFalse(build.Log.Messages.Any(m => LaunchedInTaskHost(m, "RestoreModels")), build.Log.Summary());
    }
}
