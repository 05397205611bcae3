using MlflowMsBuild.Cli.Tests.TestUtilities;
using MlflowMsBuild.Core.Cache;
using MlflowMsBuild.Core.Resolution;
using MlflowMsBuild.Core.Restore;
using MlflowMsBuild.Core.Tests.TestUtilities;
using MlflowMsBuild.TestServer;

namespace MlflowMsBuild.Cli.Tests;

/// <summary>The MSBuild restore, the runtime API and the tool keep one cache entry per version: whichever comes first downloads.</summary>
[TestClass]
public sealed class SharedCacheTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [DataRow(RegistryFlavor.Mlflow)]
    [DataRow(RegistryFlavor.GitLab)]
    public async Task MsBuildRestoreFirst_ThenApiAndCliSendNoRequest(RegistryFlavor flavor)
    {
        await using var fixture = await RemoteFixture.StartAsync(flavor);
        await fixture.PublishAsync();
        // What the RestoreModels task does: the registry from MlflowRegistry, the cache in <home>/cache, obj/models/<name>/<version>.
        var restored = await fixture.RestoreAsync("test-model", "1");
        fixture.Server.RequestLog.Clear();

        var api = await new ModelResolver(new ModelResolverOptions { Registry = fixture.Setting, Home = fixture.Home.Path, Environment = fixture.Environment() })
            .ResolveAsync("models:/test-model/1", cancellationToken: TestContext.CancellationToken);
        var cli = await CliRunner.For(fixture).RunAsync("pull", $"models:/test-model/1?registry={fixture.Setting}");

        Assert.IsEmpty(fixture.Server.RequestLog.Entries, string.Join("\n", fixture.Server.RequestLog.Entries));
        Assert.IsTrue(api.FromCache);
        Assert.AreEqual(0, cli.ExitCode, cli.ToString());
        Assert.AreEqual(api.Directory, cli.Out.Trim());
        AssertOneCacheEntry(fixture);
        CollectionAssert.AreEqual(File.ReadAllBytes(Path.Combine(restored.Directory, "model.zip")), File.ReadAllBytes(Path.Combine(api.Directory, "model.zip")));
    }

    [TestMethod]
    public async Task CliFirst_ThenMsBuildRestoreSendsNoRequest()
    {
        await using var fixture = await RemoteFixture.StartAsync(RegistryFlavor.Mlflow);
        await fixture.PublishAsync();
        var cli = await CliRunner.For(fixture).RunAsync("pull", "models:/test-model/1", "--registry", fixture.Setting);
        fixture.Server.RequestLog.Clear();

        var restored = await fixture.RestoreAsync("test-model", "1");

        Assert.AreEqual(0, cli.ExitCode, cli.ToString());
        Assert.IsTrue(restored.FromCache);
        Assert.IsEmpty(fixture.Server.RequestLog.Entries, string.Join("\n", fixture.Server.RequestLog.Entries));
        AssertOneCacheEntry(fixture);
    }

    private static void AssertOneCacheEntry(RemoteFixture fixture)
    {
        var cache = new ModelCache(fixture.Home.Combine("cache"));
        var entry = Assert.ContainsSingle(new CacheMaintenance(cache).List());
        Assert.AreEqual("test-model", entry.Name);
    }
}
