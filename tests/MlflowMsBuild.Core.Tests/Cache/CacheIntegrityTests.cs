using MlflowMsBuild.Core.Cache;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Restore;
using MlflowMsBuild.Core.Tests.TestUtilities;

namespace MlflowMsBuild.Core.Tests.Cache;

/// <summary>
/// What a build, a test or a user does to placed files never changes what later restores serve: restored files are
/// hard links to cache blobs, so a write through one (as root, or through a bin/ copy MSBuild made writable) reaches
/// the blob; the next restore finds it before placing the blob again.
/// </summary>
[TestClass]
public sealed class CacheIntegrityTests
{
    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Token => TestContext.CancellationToken;

    [TestMethod]
    public async Task SameSizeOverwriteThroughAPlacedFile_IsFoundAndTheRightBytesAreServedAgain()
    {
        using var fixture = new PublishFixture();
        var original = PublishFixture.RandomBytes(200_000, seed: 3);
        await fixture.PublishAsync(fixture.Input(files: fixture.WriteModel(("model.bin", original))));
        using var project = new TempDirectory();
        await Restore(fixture, project.Combine("first"));

        OverwriteInPlace(project.Combine("first", "model.bin"), offset: 1000, value: 0x5A);
        var warnings = new List<MlfWarning>();
        var second = await Restore(fixture, project.Combine("second"), warnings: warnings);

        CollectionAssert.AreEqual(original, File.ReadAllBytes(Path.Combine(second.Directory, "model.bin")));
        Assert.IsFalse(second.FromCache, "the changed blob is downloaded again");
        var warning = Assert.ContainsSingle(warnings);
        Assert.AreEqual("MLF3009", warning.Code);
        Assert.Contains("model.bin", warning.Message);
        // The folder placed before the change is put back too: its file no longer has its blob's identity.
        var again = await Restore(fixture, project.Combine("first"));
        CollectionAssert.AreEqual(original, File.ReadAllBytes(Path.Combine(again.Directory, "model.bin")));
    }

    [TestMethod]
    public async Task ChangedBlob_Offline_IsACodedErrorAndNothingIsPlaced()
    {
        using var fixture = new PublishFixture();
        await fixture.PublishAsync(fixture.Input(files: fixture.WriteModel(("model.bin", PublishFixture.RandomBytes(5000, seed: 4)))));
        using var project = new TempDirectory();
        await Restore(fixture, project.Combine("first"));
        OverwriteInPlace(project.Combine("first", "model.bin"), offset: 0, value: 0x01);

        var error = await MlfAssert.ThrowsAsync(MlfError.CachedCopyChangedOffline,
            () => Restore(fixture, project.Combine("second"), offline: true));

        Assert.Contains("'model.bin'", error.Message);
        Assert.IsFalse(Directory.Exists(project.Combine("second")));
    }

    [TestMethod]
    public async Task BlobTouchedWithoutChange_IsHashedOnceAndTrustedAgain()
    {
        using var fixture = new PublishFixture();
        var bytes = PublishFixture.RandomBytes(5000, seed: 6);
        await fixture.PublishAsync(fixture.Input(files: fixture.WriteModel(("model.bin", bytes))));
        using var project = new TempDirectory();
        var first = await Restore(fixture, project.Combine("first"));
        var cache = new ModelCache(fixture.CacheRoot);
        var blob = cache.BlobPath(first.Files[0].Sha256);
        File.SetLastWriteTimeUtc(blob, DateTime.UtcNow.AddMinutes(-5));

        var warnings = new List<MlfWarning>();
        var second = await Restore(fixture, project.Combine("second"), warnings: warnings);

        Assert.IsTrue(second.FromCache);
        Assert.IsEmpty(warnings);
        var manifest = cache.TryGet(fixture.Registry.Descriptor, "test-model", "1")!;
        Assert.AreEqual(File.GetLastWriteTimeUtc(blob).Ticks, manifest.Files[0].BlobModified, "the new time is recorded, so the blob is not hashed again");
    }

    [TestMethod]
    public async Task SharedBlobChangedThroughAnotherVersion_IsNotReusedByAColdInstall()
    {
        using var fixture = new PublishFixture();
        var shared = PublishFixture.RandomBytes(5000, seed: 7);
        await fixture.PublishAsync(fixture.Input(files: fixture.WriteModel(("model.bin", shared))));
        await fixture.PublishAsync(fixture.Input(files: fixture.WriteModel(("model.bin", shared), ("extra.txt", "x"u8.ToArray()))));
        using var project = new TempDirectory();
        await Restore(fixture, project.Combine("v1"));
        OverwriteInPlace(project.Combine("v1", "model.bin"), offset: 10, value: 0x22);

        var v2 = await Restore(fixture, project.Combine("v2"), version: "2");

        CollectionAssert.AreEqual(shared, File.ReadAllBytes(Path.Combine(v2.Directory, "model.bin")));
    }

    [TestMethod]
    public async Task Placement_KeepsAnIntactFolderAndRebuildsOneThatLostOrGainedAFile()
    {
        using var fixture = new PublishFixture();
        await fixture.PublishAsync();
        using var project = new TempDirectory();
        var destination = project.Combine("obj", "models", "test-model", "1");
        var restored = await Restore(fixture, destination);
        var cache = new ModelCache(fixture.CacheRoot);
        var manifest = cache.TryGet(fixture.Registry.Descriptor, "test-model", "1")!;

        Assert.IsFalse(await ModelPlacement.PlaceAsync(manifest, cache, destination, new MutexSettings(), Token), "an intact folder is kept");

        File.Delete(Path.Combine(destination, "model.zip"));
        Assert.IsTrue(await ModelPlacement.PlaceAsync(manifest, cache, destination, new MutexSettings(), Token));
        Assert.IsTrue(ModelPlacement.IsIntact(manifest, cache, destination));

        File.WriteAllText(Path.Combine(destination, "stray.txt"), "not part of the version");
        Assert.IsTrue(await ModelPlacement.PlaceAsync(manifest, cache, destination, new MutexSettings(), Token));
        Assert.IsFalse(File.Exists(Path.Combine(destination, "stray.txt")));
        Assert.HasCount(restored.Files.Count, Directory.GetFiles(destination, "*", SearchOption.AllDirectories));
        var hidden = Directory.GetDirectories(Path.GetDirectoryName(destination)!).Select(Path.GetFileName).Where(d => d!.StartsWith('.')).ToList();
        Assert.IsTrue(hidden.All(d => d!.StartsWith(".1.replaced-", StringComparison.Ordinal)),
            "no staging folder is left; only the replaced folders wait for readers that opened them: " + string.Join(", ", hidden));
        Assert.HasCount(2, hidden, "one replaced folder per rebuild");
    }

    [TestMethod]
    [OSCondition(OperatingSystems.Linux)]
    public async Task Placement_RebuildsAFolderWhoseSameSizeFilesWereSwapped_EvenWhenTheirBlobsShareATime()
    {
        using var fixture = new PublishFixture();
        await fixture.PublishAsync(fixture.Input(files: fixture.WriteModel(("a.bin", PublishFixture.RandomBytes(4096, seed: 1)), ("b.bin", PublishFixture.RandomBytes(4096, seed: 2)))));
        using var project = new TempDirectory();
        var destination = project.Combine("obj", "models", "test-model", "1");
        await Restore(fixture, destination);
        var cache = new ModelCache(fixture.CacheRoot);
        var manifest = cache.TryGet(fixture.Registry.Descriptor, "test-model", "1")!;
        // Two files downloaded in one tick of the file system's clock (a new user saw it on this machine, issue 10).
        var tick = DateTime.UtcNow.AddMinutes(-1);
        foreach (var file in manifest.Files)
        {
            File.SetLastWriteTimeUtc(cache.BlobPath(file.Sha256), tick);
        }

        manifest = cache.TryGet(fixture.Registry.Descriptor, "test-model", "1")!;
        Assert.IsTrue(ModelPlacement.IsIntact(manifest, cache, destination));
        File.Move(Path.Combine(destination, "a.bin"), Path.Combine(destination, "x"));
        File.Move(Path.Combine(destination, "b.bin"), Path.Combine(destination, "a.bin"));
        File.Move(Path.Combine(destination, "x"), Path.Combine(destination, "b.bin"));

        Assert.IsFalse(ModelPlacement.IsIntact(manifest, cache, destination));
        Assert.IsTrue(await ModelPlacement.PlaceAsync(manifest, cache, destination, new MutexSettings(), Token));
        CollectionAssert.AreEqual(PublishFixture.RandomBytes(4096, seed: 1), File.ReadAllBytes(Path.Combine(destination, "a.bin")));
    }

    [TestMethod]
    public async Task Placement_InParallelIntoOneFolder_NeverShowsHalfAFolder()
    {
        using var fixture = new PublishFixture();
        var files = Enumerable.Range(0, 200).Select(i => ($"f{i:D3}.bin", PublishFixture.RandomBytes(100, seed: i))).ToArray();
        await fixture.PublishAsync(fixture.Input(files: fixture.WriteModel(files)));
        using var project = new TempDirectory();
        var destination = project.Combine("models", "test-model", "1");
        await Restore(fixture, destination);
        var cache = new ModelCache(fixture.CacheRoot);
        var manifest = cache.TryGet(fixture.Registry.Descriptor, "test-model", "1")!;
        File.Delete(Path.Combine(destination, "f000.bin"));

        using var stop = new CancellationTokenSource();
        var seen = new List<int>();
        var reader = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                if (Directory.Exists(destination))
                {
                    seen.Add(Directory.GetFiles(destination).Length);
                }
            }
        });
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => ModelPlacement.PlaceAsync(manifest, cache, destination, new MutexSettings(), Token))));
        await stop.CancelAsync();
        await reader;

        Assert.IsTrue(ModelPlacement.IsIntact(manifest, cache, destination));
        CollectionAssert.IsSubsetOf(seen.Distinct().ToList(), new[] { 199, 200 }, "a reader saw a folder being filled");
    }

    [TestMethod]
    [DataRow("")]
    [DataRow("{\"files\": [")]
    [DataRow("{\"name\": \"test-model\", \"version\": \"1\", \"files\": []}")]
    [DataRow("{\"files\": [{\"path\": \"../../escape.bin\", \"size\": 1, \"sha256\": \"0000000000000000000000000000000000000000000000000000000000000000\"}]}")]
    [DataRow("{\"files\": [{\"path\": \"a.bin\", \"size\": 1, \"sha256\": \"0000000000000000000000000000000000000000000000000000000000000000\"}, {\"path\": \"A.bin\", \"size\": 1, \"sha256\": \"0000000000000000000000000000000000000000000000000000000000000000\"}]}")]
    public async Task UnreadableManifest_AsAPowerLossCanLeaveIt_IsReportedAndTheVersionDownloadedAgain(string content)
    {
        using var fixture = new PublishFixture();
        var original = PublishFixture.RandomBytes(50_000, seed: 6);
        await fixture.PublishAsync(fixture.Input(files: fixture.WriteModel(("model.bin", original))));
        using var project = new TempDirectory();
        await Restore(fixture, project.Combine("first"));
        var manifest = new ModelCache(fixture.CacheRoot).ManifestPath(fixture.Registry.Descriptor, "test-model", "1");
        File.WriteAllText(manifest, content);

        var warnings = new List<MlfWarning>();
        var second = await Restore(fixture, project.Combine("second"), warnings: warnings);

        CollectionAssert.AreEqual(original, File.ReadAllBytes(Path.Combine(second.Directory, "model.bin")));
        Assert.IsFalse(second.FromCache);
        var warning = Assert.ContainsSingle(warnings);
        Assert.AreEqual("MLF3009", warning.Code);
        Assert.Contains("manifest", warning.Message);
        Assert.IsNotNull(new ModelCache(fixture.CacheRoot).TryGet(fixture.Registry.Descriptor, "test-model", "1"), "the entry is whole again");
    }

    [TestMethod]
    public Task ManifestThatIsAFolder_IsReportedAndTheVersionDownloadedAgain_AndListedAndPrunedAsDamaged() =>
        ManifestThatCannotBeReadAsync(manifest => Directory.CreateDirectory(Path.Combine(manifest, "sub")));

    [TestMethod]
    [OSCondition(OperatingSystems.Linux | OperatingSystems.OSX)]
    public Task ManifestThatLinksToNothing_IsReportedAndTheVersionDownloadedAgain_AndListedAndPrunedAsDamaged() =>
        ManifestThatCannotBeReadAsync(manifest => File.CreateSymbolicLink(manifest, manifest + ".nothing"));

    /// <summary>
    /// Found by a new-user trial (issue 10): both failed every build and cache command with MLF9001, and a folder left a
    /// temporary file beside it on each attempt. No read permission is the same case, but root reads anyway.
    /// </summary>
    private async Task ManifestThatCannotBeReadAsync(Action<string> damage)
    {
        using var fixture = new PublishFixture();
        var original = PublishFixture.RandomBytes(5000, seed: 8);
        await fixture.PublishAsync(fixture.Input(files: fixture.WriteModel(("model.bin", original))));
        using var project = new TempDirectory();
        await Restore(fixture, project.Combine("first"));
        var cache = new ModelCache(fixture.CacheRoot);
        var manifest = cache.ManifestPath(fixture.Registry.Descriptor, "test-model", "1");
        File.Delete(manifest);
        damage(manifest);

        var listed = new CacheMaintenance(cache).List();
        var warnings = new List<MlfWarning>();
        var second = await Restore(fixture, project.Combine("second"), warnings: warnings);

        Assert.IsNotNull(Assert.ContainsSingle(listed).Damage);
        CollectionAssert.AreEqual(original, File.ReadAllBytes(Path.Combine(second.Directory, "model.bin")));
        Assert.AreEqual("MLF3009", Assert.ContainsSingle(warnings).Code);
        Assert.IsNotNull(cache.TryGet(fixture.Registry.Descriptor, "test-model", "1"), "the entry is whole again");
        Assert.ContainsSingle(Directory.GetFileSystemEntries(Path.GetDirectoryName(manifest)!), "no temporary file is left beside the manifest");

        File.Delete(manifest);
        Directory.CreateDirectory(manifest);
        var pruned = await new CacheMaintenance(cache).PruneAsync(null, null, DateTimeOffset.UtcNow, Token);
        Assert.AreEqual(1, pruned.EntriesRemoved);
        Assert.IsFalse(Directory.Exists(manifest));
    }

    [TestMethod]
    public async Task UnreadableManifest_Offline_IsACodedError()
    {
        using var fixture = new PublishFixture();
        await fixture.PublishAsync(fixture.Input(files: fixture.WriteModel(("model.bin", PublishFixture.RandomBytes(5000, seed: 7)))));
        using var project = new TempDirectory();
        await Restore(fixture, project.Combine("first"));
        File.WriteAllText(new ModelCache(fixture.CacheRoot).ManifestPath(fixture.Registry.Descriptor, "test-model", "1"), "");

        var error = await MlfAssert.ThrowsAsync(MlfError.CachedCopyChangedOffline, () => Restore(fixture, project.Combine("second"), offline: true));

        Assert.Contains("manifest", error.Message);
        Assert.IsFalse(Directory.Exists(project.Combine("second")));
    }

    private async Task<RestoredModel> Restore(PublishFixture fixture, string destination, string version = "1", bool offline = false, List<MlfWarning>? warnings = null) =>
        await new ModelRestorer(fixture.Registry, new ModelCache(fixture.CacheRoot), new RestoreOptions { Offline = offline, Warn = w => warnings?.Add(w) })
            .RestoreAsync("test-model", version, destination, Token);

    /// <summary>Writes one byte in place, as a program with write access does (as root, mode 0444 stops nothing).</summary>
    private static void OverwriteInPlace(string path, long offset, byte value)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        else
        {
            File.SetAttributes(path, FileAttributes.Normal);
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        stream.Position = offset;
        var current = stream.ReadByte();
        stream.Position = offset;
        stream.WriteByte(current == value ? (byte)(value ^ 0xFF) : value);
    }
}
