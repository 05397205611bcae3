using MlflowMsBuild.Core.Cache;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Registry;
using MlflowMsBuild.Core.Restore;
using MlflowMsBuild.Core.Tests.TestUtilities;

namespace MlflowMsBuild.Core.Tests.Cache;

[TestClass]
public sealed class ModelCacheTests
{
    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Token => TestContext.CancellationToken;

    [TestMethod]
    public void TryGet_EmptyCache_ReturnsNull()
    {
        using var home = new TempDirectory();
        var cache = new ModelCache(home.Combine("cache"));

        Assert.IsNull(cache.TryGet(new RegistryDescriptor("local", "local-abc", "x"), "test-model", "1"));
    }

    [TestMethod]
    public void Paths_AreContentAddressedBlobsAndManifestsKeyedByRegistryNameAndVersion()
    {
        using var home = new TempDirectory();
        var cache = new ModelCache(home.Path);
        var sha = new string('a', 62) + "bc";

        Assert.AreEqual(Path.Combine(home.Path, "manifests", "local-abc", "test-model", "3.json"),
            cache.ManifestPath(new RegistryDescriptor("local", "local-abc", "x"), "test-model", "3"));
        Assert.AreEqual(Path.Combine(home.Path, "blobs", "sha256", "aa", sha), cache.BlobPath(sha));
    }

    [TestMethod]
    public async Task Install_WritesFilesAndAManifestDescribingThem()
    {
        using var fixture = new PublishFixture();
        var published = await fixture.PublishAsync();
        var cache = new ModelCache(fixture.CacheRoot);
        var version = await fixture.Registry.GetModelVersionAsync("test-model", "1", Token);

        var manifest = await cache.InstallAsync(fixture.Registry, version, Token);

        Assert.AreEqual(fixture.Registry.Descriptor.Key, manifest.Registry);
        Assert.AreEqual("test-model", manifest.Name);
        Assert.AreEqual("1", manifest.Version);
        Assert.AreEqual(published.RunId, manifest.RunId);
        foreach (var file in manifest.Files)
        {
            var bytes = File.ReadAllBytes(cache.BlobPath(file.Sha256));
            Assert.AreEqual(file.Size, bytes.LongLength);
            Assert.AreEqual(PublishFixture.Sha256Hex(bytes), file.Sha256);
        }

        Assert.HasCount(2, manifest.Files);
        Assert.AreEqual(manifest.RunId, cache.TryGet(fixture.Registry.Descriptor, "test-model", "1")?.RunId);
    }

    [TestMethod]
    public async Task Install_CreatesNoFolderPerModelForItsLocksAndDownloads()
    {
        using var fixture = new PublishFixture();
        await fixture.PublishAsync();
        var cache = new ModelCache(fixture.CacheRoot);
        var version = await fixture.Registry.GetModelVersionAsync("test-model", "1", Token);

        await cache.InstallAsync(fixture.Registry, version, Token);

        // A cold restore of many small models paid a directory creation per model and folder (issue 10).
        var folders = Directory.EnumerateDirectories(fixture.CacheRoot, "*", SearchOption.AllDirectories)
            .Select(d => Path.GetRelativePath(fixture.CacheRoot, d).Replace('\\', '/'))
            .Where(d => d.StartsWith("mutexes", StringComparison.Ordinal) || d.StartsWith("tmp", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
        CollectionAssert.AreEqual(new[] { "mutexes", "mutexes/entries", "tmp" }, folders.ToArray());
        Assert.IsEmpty(Directory.EnumerateFileSystemEntries(Path.Combine(fixture.CacheRoot, "tmp")));
        Assert.AreEqual(cache.EntryMutexPath(fixture.Registry.Descriptor.Key, "test-model", "1"),
            Directory.EnumerateFiles(Path.Combine(fixture.CacheRoot, "mutexes", "entries")).Single());
    }

    [TestMethod]
    public async Task Install_WhenTheEntryAlreadyExists_KeepsItAndLeavesNoStaging()
    {
        using var fixture = new PublishFixture();
        await fixture.PublishAsync();
        var cache = new ModelCache(fixture.CacheRoot);
        var version = await fixture.Registry.GetModelVersionAsync("test-model", "1", Token);
        var first = await cache.InstallAsync(fixture.Registry, version, Token);

        var second = await cache.InstallAsync(fixture.Registry, version, Token);

        Assert.AreEqual(first.CreatedTimestamp, second.CreatedTimestamp);
        Assert.IsEmpty(Restore.ModelRestorerTests.TemporaryFiles(fixture.CacheRoot));
    }

    [TestMethod]
    public async Task ParallelRestores_OfTheSameVersion_AllSucceedWithOneEntry()
    {
        using var fixture = new PublishFixture();
        var files = fixture.WriteDefaultModel();
        await fixture.PublishAsync(fixture.Input(files: files));
        using var projects = new TempDirectory();

        var restored = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() =>
            new ModelRestorer(fixture.Registry, new ModelCache(fixture.CacheRoot))
                .RestoreAsync("test-model", "1", projects.Combine($"p{i}"), Token))));

        foreach (var model in restored)
        {
            CollectionAssert.AreEqual(File.ReadAllBytes(files[0]), File.ReadAllBytes(Path.Combine(model.Directory, "model.zip")));
        }

        Assert.IsEmpty(Restore.ModelRestorerTests.TemporaryFiles(fixture.CacheRoot));
        Assert.ContainsSingle(Directory.GetFiles(Path.Combine(fixture.CacheRoot, "manifests", fixture.Registry.Descriptor.Key, "test-model")));
    }

    [TestMethod]
    [DataRow("../escape.bin")]
    [DataRow("../../../escape.bin")]
    public async Task Install_FilePathLeavingTheEntry_IsARegistryErrorNamingTheRegistry(string path)
    {
        using var fixture = new PublishFixture();
        await fixture.PublishAsync();
        var hostile = new RegistryDecorator(fixture.Registry)
        {
            TamperList = files => [.. files, new ModelFileInfo(path, 1, null)],
        };
        var cache = new ModelCache(fixture.CacheRoot);
        var version = await fixture.Registry.GetModelVersionAsync("test-model", "1", Token);

        var error = await MlfAssert.ThrowsAsync(MlfError.ArtifactPathNotCanonical, () => cache.InstallAsync(hostile, version, Token));

        Assert.Contains(path, error.Message);
        Assert.Contains(fixture.Registry.Descriptor.DisplayName, error.Message);
        Assert.AreEqual(0, hostile.OpenFileCalls, "refused before anything is downloaded");
        Assert.IsNull(cache.TryGet(fixture.Registry.Descriptor, "test-model", "1"));
        Assert.IsEmpty(Restore.ModelRestorerTests.TemporaryFiles(fixture.CacheRoot));
        Assert.IsEmpty(Directory.GetFiles(fixture.Home.Path, "escape.bin", SearchOption.AllDirectories));
    }

    [TestMethod]
    public async Task Install_RegistryWithoutHashes_StillRecordsTheSha256()
    {
        using var fixture = new PublishFixture();
        await fixture.PublishAsync();
        var hashless = new RegistryDecorator(fixture.Registry)
        {
            TamperList = files => files.Select(f => f with { Sha256 = null }).ToList(),
        };
        var cache = new ModelCache(fixture.CacheRoot);
        var version = await fixture.Registry.GetModelVersionAsync("test-model", "1", Token);
        var expected = await fixture.Registry.ListFilesAsync(version, Token);

        var manifest = await cache.InstallAsync(hashless, version, Token);

        CollectionAssert.AreEqual(expected.Select(f => f.Sha256).ToArray(), manifest.Files.Select(f => f.Sha256).ToArray());
    }
}
