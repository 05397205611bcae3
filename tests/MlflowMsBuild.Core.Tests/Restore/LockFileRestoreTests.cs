using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MlflowMsBuild.Core.Cache;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Restore;
using MlflowMsBuild.Core.Tests.TestUtilities;
using MlflowMsBuild.TestServer;
using static MlflowMsBuild.Core.Tests.Restore.RemoteRestoreTests;

namespace MlflowMsBuild.Core.Tests.Restore;

/// <summary>Floating references (@alias, latest), models.lock.json and locked mode.</summary>
[TestClass]
public sealed class LockFileRestoreTests
{
    [TestMethod]
    public async Task Alias_IsResolvedOnce_RecordedWithHashes_AndKeptUntilTheLockIsUpdated()
    {
        await using var fixture = await RemoteFixture.StartAsync(RegistryFlavor.Mlflow);
        await fixture.PublishAsync(seed: 1);
        await fixture.PublishAsync(seed: 2);
        await SetAliasAsync(fixture, "champion", "1");
        var lockFile = fixture.Home.Combine("project", "models.lock.json");
        Directory.CreateDirectory(Path.GetDirectoryName(lockFile)!);

        var first = await RestoreAsync(fixture, "@champion", Options(), "p", lockFile);
        var locked = ModelsLockFile.Read(lockFile)!.Find("test-model", "@champion")!;
        await SetAliasAsync(fixture, "champion", "2");
        fixture.Server.RequestLog.Clear();
        var again = await RestoreAsync(fixture, "@champion", Options(), "p", lockFile);
        var requestsWhileLocked = fixture.Server.RequestLog.Entries.Count;
        var updated = await RestoreAsync(fixture, "@champion", Options() with { UpdateLockFile = true }, "p", lockFile);

        Assert.AreEqual("1", first.Models[0].Version);
        Assert.AreEqual("1", locked.Resolved);
        CollectionAssert.AreEquivalent(first.Models[0].Files.Select(f => f.Sha256).ToArray(), locked.Files.Select(f => f.Sha256).ToArray());
        Assert.AreEqual("1", again.Models[0].Version, "the lock file keeps the version the alias had");
        Assert.AreEqual(0, requestsWhileLocked, "a locked and cached alias needs no request");
        Assert.AreEqual("2", updated.Models[0].Version);
        Assert.AreEqual("2", ModelsLockFile.Read(lockFile)!.Find("test-model", "@champion")!.Resolved);
    }

    [TestMethod]
    public async Task Latest_ResolvesToTheHighestVersion()
    {
        await using var fixture = await RemoteFixture.StartAsync(RegistryFlavor.GitLab);
        await fixture.PublishAsync(seed: 1, requestedVersion: "1.9.0");
        await fixture.PublishAsync(seed: 2, requestedVersion: "1.10.0");
        await fixture.PublishAsync(seed: 3, requestedVersion: "1.10.1-rc1");

        var restored = await RestoreAsync(fixture, "latest", Options(), "p", fixture.Home.Combine("models.lock.json"));

        Assert.AreEqual("1.10.0", restored.Models[0].Version);
        CollectionAssert.AreEqual(PublishFixture.RandomBytes(300_000, 2), File.ReadAllBytes(Path.Combine(restored.Models[0].Directory, "model.zip")));
        Assert.AreEqual("1.10.0", ModelsLockFile.Read(fixture.Home.Combine("models.lock.json"))!.Find("test-model", "latest")!.Resolved);
    }

    [TestMethod]
    public async Task LockedMode_FailsWhenAReferenceIsNotInTheLock_AndLeavesTheLockAlone()
    {
        await using var fixture = await RemoteFixture.StartAsync(RegistryFlavor.Mlflow);
        await fixture.PublishAsync(seed: 1);
        await fixture.PublishAsync(seed: 2);
        var lockFile = fixture.Home.Combine("models.lock.json");
        await RestoreAsync(fixture, "1", Options(), "p", lockFile);
        var before = File.ReadAllText(lockFile);

        var error = await MlfAssert.ThrowsAsync(MlfError.LockFileOutOfDate,
            () => RestoreAsync(fixture, "2", Options() with { LockedMode = true }, "p", lockFile));

        Assert.Contains("no entry for model 'test-model' Version=\"2\"", error.Message);
        Assert.AreEqual(before, File.ReadAllText(lockFile));
        await MlfAssert.ThrowsAsync(MlfError.LockFileOutOfDate,
            () => RestoreAsync(fixture, "1", Options() with { LockedMode = true }, "p", fixture.Home.Combine("missing.lock.json")));
    }

    [TestMethod]
    public async Task LockRecordingOtherHashes_FailsFromTheCacheAndFromTheDownload_AndNothingIsReplaced()
    {
        await using var fixture = await RemoteFixture.StartAsync(RegistryFlavor.Mlflow);
        await fixture.PublishAsync();
        var lockFile = fixture.Home.Combine("models.lock.json");
        await RestoreAsync(fixture, "1", Options(), "p", lockFile);
        var text = File.ReadAllText(lockFile);
        var real = ModelsLockFile.Read(lockFile)!.Models[0].Files.Single(f => f.Path == "model.zip").Sha256;
        File.WriteAllText(lockFile, text.Replace(real, new string('0', 64), StringComparison.Ordinal));
        var drifted = File.ReadAllText(lockFile);

        var cached = await MlfAssert.ThrowsAsync(MlfError.LockFileMismatch, () => RestoreAsync(fixture, "1", Options() with { LockedMode = true }, "p", lockFile));
        Directory.Delete(fixture.Home.Combine("cache"), recursive: true);
        var downloaded = await MlfAssert.ThrowsAsync(MlfError.LockFileMismatch, () => RestoreAsync(fixture, "1", Options(), "p", lockFile));

        Assert.Contains($"the cache holds 'model.zip' with sha256 {real}", cached.Message);
        Assert.Contains($"has sha256 {real}, the lock file records {new string('0', 64)}", downloaded.Message);
        Assert.AreEqual(drifted, File.ReadAllText(lockFile), "a mismatch never rewrites the lock file");
        Assert.IsFalse(Directory.Exists(fixture.Home.Combine("cache", "manifests")), "a mismatching download was installed");
    }

    private static async Task SetAliasAsync(RemoteFixture fixture, string alias, string version)
    {
        using var response = await fixture.Http.PostAsJsonAsync(fixture.ApiPath + "registered-models/alias",
            new JsonObject { ["name"] = "test-model", ["alias"] = alias, ["version"] = version });
        Assert.IsTrue(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }
}
