using System.Diagnostics;
using MlflowMsBuild.Core.Cache;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Restore;
using MlflowMsBuild.Core.Tests.TestUtilities;

namespace MlflowMsBuild.Core.Tests.Cache;

/// <summary>Restored files, damaged cache entries, and the cache commands (list, verify and repair, prune).</summary>
[TestClass]
public sealed class CacheMaintenanceTests
{
    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Token => TestContext.CancellationToken;

    [TestMethod]
    public async Task RestoredFiles_AreReadOnlyHardLinksToTheCache()
    {
        using var fixture = new PublishFixture();
        await fixture.PublishAsync();
        using var project = new TempDirectory();
        var cache = new ModelCache(fixture.CacheRoot);

        var restored = await new ModelRestorer(fixture.Registry, cache).RestoreAsync("test-model", "1", project.Combine("m"), Token);

        var placed = Path.Combine(restored.Directory, "model.zip");
        var blob = cache.BlobPath(restored.Files.Single(f => f.Path == "model.zip").Sha256);
        // The mode, not a write attempt: tests may run as root, whom file modes do not stop.
        Assert.IsTrue(CacheFiles.IsReadOnly(placed), "the restored file is writable");
        Assert.IsTrue(CacheFiles.IsReadOnly(blob), "the cached blob is writable");
        if (!OperatingSystem.IsWindows())
        {
            Assert.AreEqual(UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(placed));
            Assert.AreEqual(Stat("%i", blob), Stat("%i", placed), "the restored file is the cached blob itself (one inode)");
            Assert.AreEqual("2", Stat("%h", blob));
        }
    }

    [TestMethod]
    public async Task CachedFileOfTheWrongSize_FailsAnOfflineRestoreWithACode_UntilRepairDeletesIt()
    {
        using var fixture = new PublishFixture();
        using var project = new TempDirectory();
        var (cache, _) = await RestoreThenTruncateModelZipAsync(fixture, project);

        var error = await MlfAssert.ThrowsAsync(MlfError.CachedCopyChangedOffline,
            () => new ModelRestorer(fixture.Registry, cache, new RestoreOptions { Offline = true }).RestoreAsync("test-model", "1", project.Combine("b"), Token));
        var report = await new CacheMaintenance(cache).VerifyAsync(repair: true, Token);
        var repaired = await new ModelRestorer(fixture.Registry, cache).RestoreAsync("test-model", "1", project.Combine("c"), Token);

        Assert.Contains("'model.zip'", error.Message);
        Assert.IsNotEmpty(report.Problems);
        Assert.AreEqual(2, report.Repaired, "the damaged blob and the manifest that needs it");
        Assert.IsFalse(repaired.FromCache);
        CollectionAssert.AreEqual(fixture.Registry.ListFilesAsync(await fixture.Registry.GetModelVersionAsync("test-model", "1", Token), Token).Result.Select(f => f.Sha256).ToArray(),
            repaired.Files.Select(f => f.Sha256).ToArray());
        Assert.AreEqual(repaired.Files.Single(f => f.Path == "model.zip").Sha256, PublishFixture.Sha256Hex(File.ReadAllBytes(Path.Combine(repaired.Directory, "model.zip"))));
    }

    [TestMethod]
    public async Task CachedFileOfTheWrongSize_IsDownloadedAgainOnline_WithACodedWarning()
    {
        using var fixture = new PublishFixture();
        using var project = new TempDirectory();
        var (cache, first) = await RestoreThenTruncateModelZipAsync(fixture, project);
        var warnings = new List<MlfWarning>();

        var again = await new ModelRestorer(fixture.Registry, cache, new RestoreOptions { Warn = warnings.Add }).RestoreAsync("test-model", "1", project.Combine("b"), Token);

        Assert.AreEqual(MlfError.CachedCopyChanged, Assert.ContainsSingle(warnings).Error);
        Assert.IsFalse(again.FromCache);
        Assert.AreEqual(first.Files.Single(f => f.Path == "model.zip").Sha256, PublishFixture.Sha256Hex(File.ReadAllBytes(Path.Combine(again.Directory, "model.zip"))));
    }

    [TestMethod]
    public async Task Verify_FindsABlobChangedInPlace_AndOnlyRepairDeletesIt()
    {
        using var fixture = new PublishFixture();
        await fixture.PublishAsync();
        using var project = new TempDirectory();
        var cache = new ModelCache(fixture.CacheRoot);
        var restored = await new ModelRestorer(fixture.Registry, cache).RestoreAsync("test-model", "1", project.Combine("a"), Token);
        var blob = cache.BlobPath(restored.Files.Single(f => f.Path == "model.zip").Sha256);
        Damage(blob, truncate: false);
        var maintenance = new CacheMaintenance(cache);

        var found = await maintenance.VerifyAsync(repair: false, Token);
        Assert.IsTrue(File.Exists(blob), "verify without repair deletes nothing");
        var repaired = await maintenance.VerifyAsync(repair: true, Token);
        var clean = await maintenance.VerifyAsync(repair: false, Token);

        Assert.Contains(p => p.Path == blob && p.Description.Contains("not the one it is named after", StringComparison.Ordinal), found.Problems);
        Assert.Contains(p => p.Description.Contains("model 'test-model' version 1: 'model.zip' is damaged", StringComparison.Ordinal), found.Problems);
        Assert.AreEqual(2, repaired.Repaired);
        Assert.IsFalse(File.Exists(blob));
        Assert.IsEmpty(clean.Problems);
        Assert.IsEmpty(maintenance.List());
    }

    [TestMethod]
    public async Task Prune_RemovesVersionsUnusedForLong_ThenTheLeastRecentlyUsedAboveTheSize_AndTheirBlobs()
    {
        using var fixture = new PublishFixture();
        await fixture.PublishAsync(fixture.Input(files: fixture.WriteModel(("m.bin", PublishFixture.RandomBytes(1000, 1)))));
        await fixture.PublishAsync(fixture.Input(files: fixture.WriteModel(("m.bin", PublishFixture.RandomBytes(2000, 2)))));
        await fixture.PublishAsync(fixture.Input(files: fixture.WriteModel(("m.bin", PublishFixture.RandomBytes(4000, 3)))));
        using var project = new TempDirectory();
        var cache = new ModelCache(fixture.CacheRoot);
        foreach (var version in new[] { "1", "2", "3" })
        {
            await new ModelRestorer(fixture.Registry, cache).RestoreAsync("test-model", version, project.Combine(version), Token);
        }

        var now = DateTimeOffset.UtcNow;
        File.SetLastWriteTimeUtc(cache.ManifestPath(fixture.Registry.Descriptor, "test-model", "1"), now.AddDays(-40).UtcDateTime);
        File.SetLastWriteTimeUtc(cache.ManifestPath(fixture.Registry.Descriptor, "test-model", "2"), now.AddDays(-2).UtcDateTime);
        var maintenance = new CacheMaintenance(cache);
        var listed = maintenance.List();

        var byAge = await maintenance.PruneAsync(TimeSpan.FromDays(30), null, now, Token);
        var bySize = await maintenance.PruneAsync(null, 5000, now, Token);

        CollectionAssert.AreEqual(new[] { "1", "2", "3" }, listed.Select(e => e.Version).ToArray());
        Assert.AreEqual(2000, listed[1].Bytes);
        Assert.AreEqual(new CachePruneReport(1, 1, 1000), byAge);
        Assert.AreEqual(new CachePruneReport(1, 1, 2000), bySize);
        Assert.AreEqual("3", Assert.ContainsSingle(maintenance.List()).Version);
        Assert.HasCount(1, Directory.GetFiles(cache.BlobsDirectory, "*", SearchOption.AllDirectories));
        Assert.IsTrue(File.Exists(Path.Combine(project.Combine("1"), "m.bin")), "a pruned blob stays readable through the projects' hard links");
    }

    [TestMethod]
    public async Task Repair_DeletesOldPartialDownloads_CountsThem_AndRemovesTheFoldersOfTheOldLayout()
    {
        using var home = new TempDirectory();
        var cache = new ModelCache(home.Combine("cache"));
        var old = Path.Combine(cache.TempDirectory, "mlflow-abc", "test-x", "3", "0123.partial");
        var flat = Path.Combine(cache.TempDirectory, "4567.partial");
        var recent = Path.Combine(cache.TempDirectory, "89ab.partial");
        foreach (var file in new[] { old, flat, recent })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllBytes(file, [1, 2, 3]);
        }

        File.SetLastWriteTimeUtc(old, DateTime.UtcNow.AddDays(-3));
        File.SetLastWriteTimeUtc(flat, DateTime.UtcNow.AddDays(-2));

        var report = await new CacheMaintenance(cache).VerifyAsync(repair: true, Token);

        // A new-user trial saw them deleted but "0 files and folders removed", and the old folders left (issue 10).
        Assert.AreEqual(2, report.Repaired);
        CollectionAssert.AreEqual(new[] { recent }, Directory.GetFileSystemEntries(cache.TempDirectory), "a download of today may still be resumed");
    }

    [TestMethod]
    public async Task UnreadableManifest_IsListedAsDamaged_AndPruneRemovesIt()
    {
        using var fixture = new PublishFixture();
        await fixture.PublishAsync();
        await fixture.PublishAsync(fixture.Input(files: fixture.WriteModel(("m.bin", PublishFixture.RandomBytes(1000, 1)))));
        using var project = new TempDirectory();
        var cache = new ModelCache(fixture.CacheRoot);
        foreach (var version in new[] { "1", "2" })
        {
            await new ModelRestorer(fixture.Registry, cache).RestoreAsync("test-model", version, project.Combine(version), Token);
        }

        // As a power loss can leave it: manifests are written without an fsync.
        var manifest = cache.ManifestPath(fixture.Registry.Descriptor, "test-model", "1");
        File.WriteAllBytes(manifest, []);
        var maintenance = new CacheMaintenance(cache);

        var listed = maintenance.List();
        var pruned = await maintenance.PruneAsync(null, null, DateTimeOffset.UtcNow, Token);

        Assert.AreEqual("its manifest is not readable (cut short by a power loss, or edited)", listed.Single(e => e.Version == "1").Damage);
        Assert.IsNull(listed.Single(e => e.Version == "2").Damage);
        Assert.AreEqual(1, pruned.EntriesRemoved);
        Assert.IsFalse(File.Exists(manifest), "a version no restore can use is removed, not kept without its blobs");
        Assert.AreEqual("2", Assert.ContainsSingle(maintenance.List()).Version);
        Assert.AreEqual(PublishFixture.Sha256Hex(PublishFixture.RandomBytes(1000, 1)),
            PublishFixture.Sha256Hex(File.ReadAllBytes(cache.BlobPath(cache.TryGet(fixture.Registry.Descriptor, "test-model", "2")!.Files.Single().Sha256))));
    }

    /// <summary>Changes a cached blob the way a stray write through a hard link would (after making it writable).</summary>
    /// <summary>Publishes and restores the default model into <c>a/</c>, then cuts its model.zip blob short in the cache.</summary>
    private async Task<(ModelCache Cache, RestoredModel First)> RestoreThenTruncateModelZipAsync(PublishFixture fixture, TempDirectory project)
    {
        await fixture.PublishAsync();
        var cache = new ModelCache(fixture.CacheRoot);
        var first = await new ModelRestorer(fixture.Registry, cache).RestoreAsync("test-model", "1", project.Combine("a"), Token);
        Damage(cache.BlobPath(first.Files.Single(f => f.Path == "model.zip").Sha256), truncate: true);
        return (cache, first);
    }

    private static void Damage(string blob, bool truncate)
    {
        File.SetAttributes(blob, FileAttributes.Normal);
        using var stream = new FileStream(blob, FileMode.Open, FileAccess.ReadWrite);
        if (truncate)
        {
            stream.SetLength(stream.Length - 10);
        }
        else
        {
            var first = stream.ReadByte();
            stream.Position = 0;
            stream.WriteByte((byte)(first ^ 0xFF));
        }
    }

    private static string Stat(string format, string path)
    {
        using var process = Process.Start(new ProcessStartInfo("stat", ["-c", format, path]) { RedirectStandardOutput = true })!;
        var output = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return output;
    }
}
