using MlflowMsBuild.Core.Cache;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Registry;
using MlflowMsBuild.Core.Restore;
using MlflowMsBuild.Core.Tests.TestUtilities;

namespace MlflowMsBuild.Core.Tests.Restore;

[TestClass]
public sealed class ModelRestorerTests
{
    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Token => TestContext.CancellationToken;

    [TestMethod]
    public async Task Restore_PlacesFilesIdenticalToThePublishedOnes()
    {
        using var fixture = new PublishFixture();
        var blob = PublishFixture.RandomBytes(300_000, seed: 5);
        var settings = "{\"threshold\": 0.5}"u8.ToArray();
        await fixture.PublishAsync(fixture.Input(files: fixture.WriteModel(("model.onnx", blob), ("cfg/settings.json", settings))));
        using var project = new TempDirectory();
        var destination = project.Combine("obj", "models", "test-model");

        var restored = await Restorer(fixture.Registry, fixture.CacheRoot).RestoreAsync("test-model", "1", destination, Token);

        Assert.IsFalse(restored.FromCache);
        Assert.AreEqual("test-model", restored.Name);
        Assert.AreEqual("1", restored.Version);
        Assert.AreEqual(destination, restored.Directory);
        CollectionAssert.AreEqual(blob, File.ReadAllBytes(Path.Combine(restored.Directory, "model.onnx")));
        CollectionAssert.AreEqual(settings, File.ReadAllBytes(Path.Combine(restored.Directory, "cfg", "settings.json")));
        Assert.HasCount(2, Directory.GetFiles(restored.Directory, "*", SearchOption.AllDirectories));

        var manifestFiles = restored.Files.ToDictionary(f => f.Path);
        Assert.AreEqual(PublishFixture.Sha256Hex(blob), manifestFiles["model.onnx"].Sha256);
        Assert.AreEqual(blob.Length, manifestFiles["model.onnx"].Size);
        Assert.AreEqual(PublishFixture.Sha256Hex(settings), manifestFiles["cfg/settings.json"].Sha256);
    }

    [TestMethod]
    public async Task Restore_Again_ComesFromTheCacheWithoutAskingTheRegistry()
    {
        using var fixture = new PublishFixture();
        var files = fixture.WriteDefaultModel();
        await fixture.PublishAsync(fixture.Input(files: files));
        using var project = new TempDirectory();
        var firstCounting = new RegistryDecorator(fixture.Registry);
        var first = await Restorer(firstCounting, fixture.CacheRoot).RestoreAsync("test-model", "1", project.Combine("first"), Token);
        Assert.IsFalse(first.FromCache);
        Assert.AreEqual(1, firstCounting.GetModelVersionCalls);
        Assert.AreEqual(1, firstCounting.ListFilesCalls);
        Assert.AreEqual(2, firstCounting.OpenFileCalls);

        var secondCounting = new RegistryDecorator(fixture.Registry);
        var second = await Restorer(secondCounting, fixture.CacheRoot).RestoreAsync("test-model", "1", project.Combine("second"), Token);

        Assert.IsTrue(second.FromCache);
        Assert.AreEqual(0, secondCounting.GetModelVersionCalls);
        Assert.AreEqual(0, secondCounting.ListFilesCalls);
        Assert.AreEqual(0, secondCounting.OpenFileCalls);
        CollectionAssert.AreEqual(File.ReadAllBytes(files[0]), File.ReadAllBytes(Path.Combine(second.Directory, "model.zip")));
        CollectionAssert.AreEqual(
            first.Files.Select(f => f.Sha256).ToArray(),
            second.Files.Select(f => f.Sha256).ToArray());
    }

    [TestMethod]
    public async Task Restore_PinWithLeadingZeros_UsesTheCachedExactVersion()
    {
        using var fixture = new PublishFixture();
        await fixture.PublishAsync();
        using var project = new TempDirectory();
        await Restorer(fixture.Registry, fixture.CacheRoot).RestoreAsync("test-model", "1", project.Combine("first"), Token);
        var counting = new RegistryDecorator(fixture.Registry);

        var again = await Restorer(counting, fixture.CacheRoot).RestoreAsync("test-model", "001", project.Combine("second"), Token);

        Assert.IsTrue(again.FromCache);
        Assert.AreEqual("1", again.Version);
        Assert.AreEqual(0, counting.ReadCalls);
    }

    [TestMethod]
    public async Task Restore_VersionThatIsNotANumber_ThrowsBeforeAskingTheRegistry()
    {
        using var fixture = new PublishFixture();
        await fixture.PublishAsync();
        using var project = new TempDirectory();
        var counting = new RegistryDecorator(fixture.Registry);

        await MlfAssert.ThrowsAsync(MlfError.VersionSpecInvalid,
            () => Restorer(counting, fixture.CacheRoot).RestoreAsync("test-model", "abc", project.Combine("model"), Token));

        Assert.AreEqual(0, counting.ReadCalls);
        Assert.IsFalse(Directory.Exists(fixture.CacheRoot));
    }

    [TestMethod]
    public async Task Restore_ReplacesWhateverTheDestinationHeld()
    {
        using var fixture = new PublishFixture();
        await fixture.PublishAsync();
        using var project = new TempDirectory();
        var stale = project.WriteFile("models/test-model/stale.bin", "old");
        project.WriteFile("models/test-model/model.zip", "tampered");

        var restored = await Restorer(fixture.Registry, fixture.CacheRoot).RestoreAsync("test-model", "1", project.Combine("models", "test-model"), Token);

        Assert.IsFalse(File.Exists(stale));
        Assert.AreEqual(PublishFixture.Sha256Hex(File.ReadAllBytes(Path.Combine(restored.Directory, "model.zip"))),
            restored.Files.Single(f => f.Path == "model.zip").Sha256);
    }

    [TestMethod]
    public async Task Restore_TwoVersions_LandSideBySide()
    {
        using var fixture = new PublishFixture();
        await fixture.PublishAsync(fixture.Input(files: fixture.WriteModel(("m.bin", [1]))));
        await fixture.PublishAsync(fixture.Input(files: fixture.WriteModel(("m.bin", [2, 2]))));
        using var project = new TempDirectory();
        var restorer = Restorer(fixture.Registry, fixture.CacheRoot);

        var one = await restorer.RestoreAsync("test-model", "1", project.Combine("v1"), Token);
        var two = await restorer.RestoreAsync("test-model", "2", project.Combine("v2"), Token);

        CollectionAssert.AreEqual(new byte[] { 1 }, File.ReadAllBytes(Path.Combine(one.Directory, "m.bin")));
        CollectionAssert.AreEqual(new byte[] { 2, 2 }, File.ReadAllBytes(Path.Combine(two.Directory, "m.bin")));
    }

    [TestMethod]
    public async Task Restore_ShortDownload_ThrowsSizeMismatchAndCachesNothing()
    {
        using var fixture = new PublishFixture();
        await fixture.PublishAsync();
        using var project = new TempDirectory();
        var truncating = new RegistryDecorator(fixture.Registry) { TamperDownload = bytes => bytes[..^10] };
        var cache = new ModelCache(fixture.CacheRoot);

        var error = await MlfAssert.ThrowsAsync(MlfError.DownloadSizeMismatch,
            () => new ModelRestorer(truncating, cache).RestoreAsync("test-model", "1", project.Combine("model"), Token));

        Assert.Contains("'test-model' version 1", error.Message);
        Assert.IsNull(cache.TryGet(fixture.Registry.Descriptor, "test-model", "1"));
        Assert.IsFalse(File.Exists(cache.ManifestPath(fixture.Registry.Descriptor, "test-model", "1")));
        Assert.IsEmpty(TemporaryFiles(fixture.CacheRoot));
        Assert.IsFalse(Directory.Exists(project.Combine("model")));
    }

    [TestMethod]
    public async Task Restore_BodyGoingOnPastTheListedSize_StopsOneBytePast_AndThrowsSizeMismatch()
    {
        using var fixture = new PublishFixture();
        var blob = PublishFixture.RandomBytes(3_000_000, seed: 7);
        await fixture.PublishAsync(fixture.Input(files: fixture.WriteModel(("model.onnx", blob))));
        using var project = new TempDirectory();
        var bodies = new List<EndlessTailStream>();
        var endless = new RegistryDecorator(fixture.Registry)
        {
            WrapDownload = stream =>
            {
                var body = new EndlessTailStream(stream);
                bodies.Add(body);
                return body;
            },
        };
        var cache = new ModelCache(fixture.CacheRoot);

        var error = await MlfAssert.ThrowsAsync(MlfError.DownloadSizeMismatch,
            () => new ModelRestorer(endless, cache).RestoreAsync("test-model", "1", project.Combine("model"), Token));

        Assert.Contains($"has {blob.Length + 1} bytes, but the registry lists {blob.Length}", error.Message);
        Assert.AreEqual(1, Assert.ContainsSingle(bodies).TailRead, "read one byte past the listed size, no more");
        Assert.IsEmpty(TemporaryFiles(fixture.CacheRoot));
        Assert.IsNull(cache.TryGet(fixture.Registry.Descriptor, "test-model", "1"));
    }

    [TestMethod]
    public async Task Restore_ContentDifferingFromTheRecordedHash_ThrowsCacheEntryCorrupt()
    {
        using var fixture = new PublishFixture();
        await fixture.PublishAsync();
        using var project = new TempDirectory();
        var flipping = new RegistryDecorator(fixture.Registry)
        {
            TamperDownload = bytes => bytes.Select((b, i) => i == 0 ? (byte)(b ^ 0xFF) : b).ToArray(),
        };
        var cache = new ModelCache(fixture.CacheRoot);

        var error = await MlfAssert.ThrowsAsync(MlfError.CacheEntryCorrupt,
            () => new ModelRestorer(flipping, cache).RestoreAsync("test-model", "1", project.Combine("model"), Token));

        Assert.Contains("sha256", error.Message);
        Assert.IsNull(cache.TryGet(fixture.Registry.Descriptor, "test-model", "1"));
        // Every partial download of the version is deleted: a registry that served wrong bytes leaves nothing to resume.
        Assert.IsEmpty(TemporaryFiles(fixture.CacheRoot));
        Assert.IsFalse(Directory.Exists(cache.BlobsDirectory) && Directory.EnumerateFiles(cache.BlobsDirectory, "*", SearchOption.AllDirectories).Any(
            b => PublishFixture.Sha256Hex(File.ReadAllBytes(b)) != Path.GetFileName(b)), "a blob whose content is not its name");
    }

    [TestMethod]
    public async Task RestoreAll_SeveralFailing_ThrowsTheFirst_CarryingTheOthersInRequestOrder()
    {
        using var fixture = new PublishFixture();
        await fixture.PublishAsync();
        using var project = new TempDirectory();
        var requests = new[] { ("test-model", "5"), ("test-model-b", "1"), ("test-model", "1") }
            .Select(r => new ModelRequest(ModelReference.Create(r.Item1, r.Item2), project.Combine(r.Item1, r.Item2))).ToList();

        var error = await MlfAssert.ThrowsAsync(MlfError.UnknownVersion,
            () => Restorer(fixture.Registry, fixture.CacheRoot).RestoreAllAsync(requests, null, Token));

        var other = Assert.ContainsSingle(error.AlsoFailed);
        Assert.IsTrue(other.Error is MlfError.UnknownModel or MlfError.UnknownModelNoneExist, other.Message);
        Assert.Contains("'test-model-b'", other.Message);
        Assert.IsNotEmpty(Directory.EnumerateFiles(project.Combine("test-model", "1"), "*", SearchOption.AllDirectories), "the reference that could be restored was");
    }

    [TestMethod]
    public async Task Restore_UnknownVersion_ThrowsAndCachesNothing()
    {
        using var fixture = new PublishFixture();
        await fixture.PublishAsync();
        using var project = new TempDirectory();
        var cache = new ModelCache(fixture.CacheRoot);

        var error = await MlfAssert.ThrowsAsync(MlfError.UnknownVersion,
            () => new ModelRestorer(fixture.Registry, cache).RestoreAsync("test-model", "3", project.Combine("model"), Token));

        Assert.Contains("Existing versions: 1.", error.Message);
        Assert.IsNull(cache.TryGet(fixture.Registry.Descriptor, "test-model", "3"));
        Assert.IsFalse(Directory.Exists(cache.ManifestsDirectory) || Directory.Exists(cache.BlobsDirectory), "an unknown version left cache content");
        Assert.IsFalse(Directory.Exists(project.Combine("model")));
    }

    [TestMethod]
    public async Task Restore_UnknownModel_ThrowsUnknownModel()
    {
        using var fixture = new PublishFixture();
        await fixture.PublishAsync();
        using var project = new TempDirectory();

        var error = await MlfAssert.ThrowsAsync(MlfError.UnknownModel,
            () => Restorer(fixture.Registry, fixture.CacheRoot).RestoreAsync("test-other", "1", project.Combine("model"), Token));

        Assert.Contains("test-model", error.Message);
    }

    /// <summary>Downloads left in the cache's tmp/ folder (a failed check deletes every download of its version).</summary>
    internal static IEnumerable<string> TemporaryFiles(string cacheRoot) =>
        Directory.Exists(Path.Combine(cacheRoot, "tmp"))
            ? Directory.EnumerateFiles(Path.Combine(cacheRoot, "tmp"), "*", SearchOption.AllDirectories)
            : [];

    private static ModelRestorer Restorer(IModelRegistry registry, string cacheRoot) => new(registry, new ModelCache(cacheRoot));
}
