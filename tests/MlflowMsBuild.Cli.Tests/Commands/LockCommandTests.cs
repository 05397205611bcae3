using System.Net.Http.Json;
using System.Text.Json;
using MlflowMsBuild.Cli.Tests.TestUtilities;
using MlflowMsBuild.Core.Cache;
using MlflowMsBuild.Core.Restore;
using MlflowMsBuild.Core.Tests.TestUtilities;
using MlflowMsBuild.TestServer;

namespace MlflowMsBuild.Cli.Tests.Commands;

[TestClass]
public sealed class LockCommandTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Update_ResolvesFloatingEntriesAgain_AndKeepsPinnedOnes()
    {
        await using var fixture = await RemoteFixture.StartAsync(RegistryFlavor.Mlflow);
        await fixture.PublishAsync();
        await SetAliasAsync(fixture, "champion", "1");
        var lockFile = fixture.Repo.Path("models.lock.json");
        using (var registry = fixture.OpenRegistry())
        {
            // What a build of a project with these two references writes.
            await new ModelRestorer(registry, new ModelCache(fixture.Home.Combine("cache"))).RestoreAllAsync(
                [new ModelRequest(ModelReference.Create("test-model", "@champion"), fixture.Home.Combine("obj", "a")), new ModelRequest(ModelReference.Create("test-model", "1"), fixture.Home.Combine("obj", "b"))],
                lockFile, TestContext.CancellationToken);
        }

        await fixture.PublishAsync(seed: 2);
        await SetAliasAsync(fixture, "champion", "2");
        var result = await CliRunner.For(fixture).RunAsync("lock", "update", "--registry", fixture.Setting, "--json");

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        using var document = JsonDocument.Parse(result.Out);
        var entries = document.RootElement.GetProperty("models").EnumerateArray().ToDictionary(e => e.GetProperty("requested").GetString()!);
        Assert.AreEqual("1", entries["@champion"].GetProperty("previous").GetString());
        Assert.AreEqual("2", entries["@champion"].GetProperty("resolved").GetString());
        Assert.AreEqual("1", entries["1"].GetProperty("resolved").GetString());
        Assert.AreEqual("2", ModelsLockFile.Read(lockFile)!.Find("test-model", "@champion")!.Resolved);
        Assert.AreEqual(lockFile, document.RootElement.GetProperty("lock_file").GetString());
    }

    [TestMethod]
    public async Task Update_WithoutALockFile_ExitsWith2()
    {
        using var home = new TempDirectory();

        var result = await new CliRunner(home.Path, workingDirectory: home.Path).RunAsync("lock", "update");

        Assert.AreEqual(2, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Error, "error MLF7010");
    }

    [TestMethod]
    public async Task Update_WithSeveralFailures_NamesEachInTheJsonErrorDocument()
    {
        using var home = new TempDirectory();
        var lockFile = new ModelsLockFile
        {
            Models = [new LockedModel { Name = "test-gone-a", Requested = "latest", Resolved = "1" }, new LockedModel { Name = "test-gone-b", Requested = "latest", Resolved = "1" }],
        };
        lockFile.WriteIfChanged(home.Combine("models.lock.json"));

        var result = await new CliRunner(home.Path, workingDirectory: home.Path).RunAsync("lock", "update", "--json");

        Assert.AreEqual(2, result.ExitCode, result.ToString());
        using var document = JsonDocument.Parse(result.Out);
        var error = document.RootElement.GetProperty("error");
        var other = error.GetProperty("also_failed").EnumerateArray().Single();
        var messages = new[] { error.GetProperty("message").GetString()!, other.GetProperty("message").GetString()! };
        Assert.AreEqual(error.GetProperty("code").GetString(), other.GetProperty("code").GetString());
        Assert.ContainsSingle(m => m.Contains("test-gone-a", StringComparison.Ordinal), messages);
        Assert.ContainsSingle(m => m.Contains("test-gone-b", StringComparison.Ordinal), messages);
    }

    [TestMethod]
    public async Task Update_OverADamagedCachedCopy_DownloadsItAgain_WithTheCodedWarning()
    {
        await using var fixture = await RemoteFixture.StartAsync(RegistryFlavor.Mlflow);
        await fixture.PublishAsync();
        var lockFile = fixture.Repo.Path("models.lock.json");
        var cache = new ModelCache(fixture.Home.Combine("cache"));
        using (var registry = fixture.OpenRegistry())
        {
            var restored = await new ModelRestorer(registry, cache).RestoreAllAsync(
                [new ModelRequest(ModelReference.Create("test-model", "latest"), fixture.Home.Combine("obj", "a"))], lockFile, TestContext.CancellationToken);
            var blob = cache.BlobPath(restored.Models.Single().Files[0].Sha256);
            File.SetAttributes(blob, FileAttributes.Normal);
            File.AppendAllText(blob, "changed");
        }

        var result = await CliRunner.For(fixture).RunAsync("lock", "update", "--registry", fixture.Setting);

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Error, "warning MLF3009");
    }

    private static async Task SetAliasAsync(RemoteFixture fixture, string alias, string version)
    {
        using var response = await fixture.Http.PostAsJsonAsync(fixture.ApiPath + "registered-models/alias", new { name = "test-model", alias, version });
        Assert.IsTrue(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }
}
