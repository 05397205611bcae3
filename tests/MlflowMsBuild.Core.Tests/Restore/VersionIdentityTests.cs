using System.Net.Http.Json;
using MlflowMsBuild.Core.Cache;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Restore;
using MlflowMsBuild.Core.Tests.TestUtilities;
using MlflowMsBuild.TestServer;

namespace MlflowMsBuild.Core.Tests.Restore;

/// <summary>
/// On an MLflow server a model deleted and re-created numbers its versions from 1 again: "version 1" then names
/// other files. The cache and the lock file record which registered version they hold, and a restore that talks
/// to the registry finds the difference.
/// </summary>
[TestClass]
public sealed class VersionIdentityTests
{
    [TestMethod]
    public async Task ReplacedVersion_WarmDefaultRestore_AsksNothing_RefreshFindsIt_AndRefreshWithUpdateAcceptsIt()
    {
        await using var fixture = await RemoteFixture.StartAsync(RegistryFlavor.Mlflow);
        await fixture.PublishAsync("test-x", seed: 1);
        var first = await RemoteRestoreTests.RestoreAsync(fixture, "1", RemoteRestoreTests.Options(), "a", name: "test-x");
        Assert.IsNotNull(first.Models[0].Identity);
        await ReplaceAsync(fixture, "test-x", seed: 2);

        fixture.Server.RequestLog.Clear();
        var warm = await RemoteRestoreTests.RestoreAsync(fixture, "1", RemoteRestoreTests.Options(), "b", name: "test-x");
        Assert.IsEmpty(fixture.Server.RequestLog.Entries, "the default warm pinned restore makes no request");
        Assert.AreEqual(1, warm.Summary.FromCache);

        var error = await MlfAssert.ThrowsAsync(MlfError.VersionReplaced,
            () => RemoteRestoreTests.RestoreAsync(fixture, "1", RemoteRestoreTests.Options() with { Refresh = true }, "c", name: "test-x"));
        Assert.Contains("'test-x' version 1", error.Message);
        Assert.Contains(first.Models[0].Identity!.RunId, error.Message);
        Assert.Contains("MlflowRefresh=true", error.Message);

        var warnings = new List<MlfWarning>();
        var accepted = await RemoteRestoreTests.RestoreAsync(fixture, "1",
            RemoteRestoreTests.Options() with { Refresh = true, UpdateLockFile = true, Warn = warnings.Add }, "d", name: "test-x");
        Assert.AreEqual(MlfError.VersionReplacedAccepted, Assert.ContainsSingle(warnings).Error);
        CollectionAssert.AreEqual(PublishFixture.RandomBytes(300_000, 2), File.ReadAllBytes(Path.Combine(accepted.Models[0].Directory, "model.zip")));
        Assert.AreNotEqual(first.Models[0].Identity, accepted.Models[0].Identity);
    }

    [TestMethod]
    public async Task ReplacedVersion_ColdCacheWithALockFile_IsACodedErrorBeforeAnyFileIsDownloaded()
    {
        await using var fixture = await RemoteFixture.StartAsync(RegistryFlavor.Mlflow);
        await fixture.PublishAsync("test-x", seed: 1);
        var lockFile = fixture.Home.Combine("models.lock.json");
        await RemoteRestoreTests.RestoreAsync(fixture, "1", RemoteRestoreTests.Options(), "a", lockFile, name: "test-x");
        Assert.IsNotNull(ModelsLockFile.Read(lockFile)!.Find("test-x", "1")!.Identity, "the lock file records the registered version");
        await ReplaceAsync(fixture, "test-x", seed: 2);
        CacheFiles.DeleteDirectory(fixture.Home.Combine("cache"));
        fixture.Server.RequestLog.Clear();

        var error = await MlfAssert.ThrowsAsync(MlfError.VersionReplaced,
            () => RemoteRestoreTests.RestoreAsync(fixture, "1", RemoteRestoreTests.Options(), "b", lockFile, name: "test-x"));

        Assert.Contains("models.lock.json", error.Message);
        Assert.AreEqual(0, fixture.Server.RequestLog.Count("GET artifacts"), "no file of the other version was downloaded");
    }

    /// <summary>Deletes the registered model and publishes other files under the same name: its new version is 1 again.</summary>
    private static async Task ReplaceAsync(RemoteFixture fixture, string name, int seed)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, fixture.ApiPath + "registered-models/delete") { Content = JsonContent.Create(new { name }) };
        using var response = await fixture.Http.SendAsync(request);
        Assert.IsTrue(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var published = await fixture.PublishAsync(name, seed: seed);
        Assert.AreEqual("1", published.Version);
    }
}
