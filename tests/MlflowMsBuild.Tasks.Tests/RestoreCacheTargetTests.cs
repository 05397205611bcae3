using MlflowMsBuild.Tasks.Tests.TestUtilities;

namespace MlflowMsBuild.Tasks.Tests;

/// <summary>The cache, offline mode and lock file settings of the restore, through MSBuild.</summary>
[TestClass]
public sealed class RestoreCacheTargetTests
{
    [TestMethod]
    public async Task Restore_LogsOneSummaryLine_AndFillsTheCacheDirectoryItIsGiven()
    {
        using var project = new TestProject();
        await RegistrySeeder.PublishAsync(project.Home, "test-x", RegistrySeeder.SampleFiles());
        project.References.Add(("test-x", "1"));
        project.Properties["MlflowCacheDirectory"] = "shared-cache";

        var run = project.Build("Build");

        run.AssertSucceeded();
        Assert.ContainsSingle(run.Log.Messages.Where(m => m.StartsWith("Restored 1 model, ", StringComparison.Ordinal)), run.Log.Summary());
        Assert.Contains(m => m.StartsWith("Restored 1 model, 312 B: 0 from cache, 1 downloaded in ", StringComparison.Ordinal), run.Log.Messages);
        Assert.IsTrue(Directory.Exists(project.PathOf("shared-cache/manifests")), "MlflowCacheDirectory was not used");
        Assert.IsFalse(Directory.Exists(Path.Combine(project.Home, "cache", "manifests")));
    }

    [TestMethod]
    public async Task Offline_WithoutTheModelCached_FailsWithMLF3004()
    {
        using var project = new TestProject();
        await RegistrySeeder.PublishAsync(project.Home, "test-x", RegistrySeeder.SampleFiles());
        project.References.Add(("test-x", "1"));
        project.Properties["MlflowOffline"] = "true";

        var run = project.Build("Build");

        var error = run.AssertFailedWith("MLF3004");
        Assert.Contains("model 'test-x' version 1 is not in the cache", error.Message);
        Assert.IsFalse(File.Exists(project.PathOf("obj/models/.restored")));
    }

    [TestMethod]
    public async Task LatestReference_WritesTheLockFile_AndLockedModeRefusesAReferenceItDoesNotList()
    {
        using var project = new TestProject();
        await RegistrySeeder.PublishAsync(project.Home, "test-x", RegistrySeeder.SampleFiles(1));
        await RegistrySeeder.PublishAsync(project.Home, "test-x", RegistrySeeder.SampleFiles(2));
        project.References.Add(("test-x", "latest"));
        project.Build("Build").AssertSucceeded();
        var lockText = File.ReadAllText(project.PathOf("models.lock.json"));

        project.References.Add(("test-y", "1"));
        project.Properties["MlflowLockedMode"] = "true";
        var locked = project.Build("Build");

        Assert.Contains("\"requested\": \"latest\"", lockText);
        Assert.Contains("\"resolved\": \"2\"", lockText);
        CollectionAssert.AreEqual(RegistrySeeder.SampleFiles(2)["model.bin"], File.ReadAllBytes(project.PathOf("obj/models/test-x/latest/model.bin")));
        var error = locked.AssertFailedWith("MLF3005");
        Assert.Contains("no entry for model 'test-y'", error.Message);
        Assert.AreEqual(lockText, File.ReadAllText(project.PathOf("models.lock.json")));
    }
}
