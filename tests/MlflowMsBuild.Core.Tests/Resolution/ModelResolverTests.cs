using MlflowMsBuild.Core.Cache;
using MlflowMsBuild.Core.Credentials;
using MlflowMsBuild.Core.Credentials.Python;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Resolution;
using MlflowMsBuild.Core.Restore;
using MlflowMsBuild.Core.Tests.TestUtilities;

namespace MlflowMsBuild.Core.Tests.Resolution;

/// <summary>The runtime API against the embedded registry: shared folders, caller folders, local paths, errors.</summary>
[TestClass]
public sealed class ModelResolverTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Uri_ResolvesToTheCachesSharedFolder_AndASecondCallReusesItWithoutDownloading()
    {
        using var fixture = new PublishFixture();
        await fixture.PublishAsync();
        var resolver = Resolver(fixture);

        var first = await resolver.ResolveAsync("models:/test-model/1", cancellationToken: TestContext.CancellationToken);
        var modelFile = Path.Combine(first.Directory, "model.zip");
        var placedAt = File.GetLastWriteTimeUtc(first.Directory);
        var second = await resolver.ResolveAsync("models:/test-model/1", cancellationToken: TestContext.CancellationToken);

        Assert.AreEqual(Path.Combine(fixture.CacheRoot, "models", fixture.Registry.Descriptor.Key, "test-model", "1"), first.Directory);
        Assert.IsFalse(first.FromCache);
        Assert.IsTrue(second.FromCache);
        Assert.AreEqual(first.Directory, second.Directory);
        Assert.AreEqual(placedAt, File.GetLastWriteTimeUtc(second.Directory), "an intact folder is left as it is");
        CollectionAssert.AreEqual(PublishFixture.RandomBytes(150_000, 1), File.ReadAllBytes(modelFile));
        Assert.AreEqual("1", second.Version);
        Assert.AreEqual(2, second.Files.Count);
        Assert.IsTrue(CacheFiles.IsReadOnly(modelFile), "files in the shared folder cannot change the cache");
        Assert.IsFalse(Directory.Exists(Path.Combine(fixture.CacheRoot, "models", ".staging")) && Directory.EnumerateFileSystemEntries(Path.Combine(fixture.CacheRoot, "models", ".staging")).Any());
    }

    [TestMethod]
    public async Task DamagedSharedFolder_IsReplaced()
    {
        using var fixture = new PublishFixture();
        await fixture.PublishAsync();
        var resolver = Resolver(fixture);
        var first = await resolver.ResolveAsync("models:/test-model/1", cancellationToken: TestContext.CancellationToken);
        CacheFiles.DeleteFile(Path.Combine(first.Directory, "model.zip"));
        File.WriteAllText(Path.Combine(first.Directory, "stray.txt"), "x");

        var again = await resolver.ResolveAsync("models:/test-model/1", cancellationToken: TestContext.CancellationToken);

        Assert.IsTrue(SharedModelFolders.Holds(new ModelCache(fixture.CacheRoot), again.Directory, again.Files));
        Assert.IsFalse(File.Exists(Path.Combine(again.Directory, "stray.txt")));
    }

    [TestMethod]
    public async Task DamagedCachedCopy_IsDownloadedAgain_AndTheResultCarriesTheWarning()
    {
        using var fixture = new PublishFixture();
        await fixture.PublishAsync();
        var reported = new List<string>();
        var resolver = Resolver(fixture);
        var first = await resolver.ResolveAsync("models:/test-model/1", cancellationToken: TestContext.CancellationToken);
        var blob = new ModelCache(fixture.CacheRoot).BlobPath(first.Files.Single(f => f.Path == "model.zip").Sha256);
        File.SetAttributes(blob, FileAttributes.Normal);
        using (var stream = new FileStream(blob, FileMode.Open, FileAccess.ReadWrite))
        {
            stream.SetLength(stream.Length - 10);
        }

        var again = await resolver.ResolveAsync("models:/test-model/1", new SynchronousProgress(reported.Add), TestContext.CancellationToken);

        Assert.IsEmpty(first.Warnings);
        Assert.AreEqual(MlfError.CachedCopyChanged, Assert.ContainsSingle(again.Warnings).Error);
        Assert.IsFalse(again.FromCache);
        Assert.Contains(r => r.StartsWith("warning MLF3009:", StringComparison.Ordinal), reported, "a progress callback still hears it");
        Assert.AreEqual(first.Files.Single(f => f.Path == "model.zip").Sha256, PublishFixture.Sha256Hex(File.ReadAllBytes(Path.Combine(again.Directory, "model.zip"))));
    }

    [TestMethod]
    public async Task SharedFolderFileOverwrittenInPlace_SameSize_IsReplacedWithTheRegisteredBytes_AndStaysReplaced()
    {
        using var fixture = new PublishFixture();
        var (resolver, modelFile, registered) = await ResolvedWritableAsync(fixture);
        using (var stream = new FileStream(modelFile, FileMode.Open, FileAccess.Write))
        {
            stream.Write(registered.Select(b => (byte)(b ^ 0xFF)).ToArray());
        }

        var repaired = await resolver.ResolveAsync("models:/test-model/1", cancellationToken: TestContext.CancellationToken);
        var later = await resolver.ResolveAsync("models:/test-model/1", cancellationToken: TestContext.CancellationToken);

        Assert.AreEqual(MlfError.CachedCopyChanged, Assert.ContainsSingle(repaired.Warnings).Error);
        CollectionAssert.AreEqual(registered, File.ReadAllBytes(Path.Combine(repaired.Directory, "model.zip")));
        Assert.IsTrue(later.FromCache);
        Assert.IsEmpty(later.Warnings);
        CollectionAssert.AreEqual(registered, File.ReadAllBytes(Path.Combine(later.Directory, "model.zip")));
    }

    [TestMethod]
    [OSCondition(OperatingSystems.Linux)]
    public async Task SharedFolderFileReplacedByANewFileWithTheBlobsSizeAndTime_IsReplaced()
    {
        using var fixture = new PublishFixture();
        var (resolver, modelFile, registered) = await ResolvedWritableAsync(fixture);
        var time = File.GetLastWriteTimeUtc(modelFile);
        File.Delete(modelFile);
        File.WriteAllBytes(modelFile, new byte[registered.Length]);
        File.SetLastWriteTimeUtc(modelFile, time);

        var again = await resolver.ResolveAsync("models:/test-model/1", cancellationToken: TestContext.CancellationToken);

        Assert.IsTrue(again.FromCache, "the cache itself is intact");
        CollectionAssert.AreEqual(registered, File.ReadAllBytes(Path.Combine(again.Directory, "model.zip")));
    }

    [TestMethod]
    public async Task Destination_ReceivesExactlyTheFiles_AsAnMSBuildRestoreWould()
    {
        using var fixture = new PublishFixture();
        await fixture.PublishAsync();
        var destination = fixture.Home.Combine("app", "model");
        Directory.CreateDirectory(destination);
        File.WriteAllText(Path.Combine(destination, "old.txt"), "replaced");

        var resolved = await Resolver(fixture, o => o with { Destination = destination }).ResolveAsync("models:/test-model/1", cancellationToken: TestContext.CancellationToken);

        Assert.AreEqual(destination, resolved.Directory);
        CollectionAssert.AreEquivalent(new[] { "model.zip", Path.Combine("config", "settings.json") },
            Directory.GetFiles(destination, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(destination, f)).ToArray());
    }

    [TestMethod]
    public async Task ApiAndMsBuildRestore_ShareOneCacheEntry()
    {
        using var fixture = new PublishFixture();
        await fixture.PublishAsync();
        var counting = new RegistryDecorator(fixture.Registry);
        await new ModelRestorer(counting, new ModelCache(fixture.CacheRoot)).RestoreAsync("test-model", "1", fixture.Home.Combine("obj", "models", "test-model", "1"), TestContext.CancellationToken);

        var resolved = await Resolver(fixture).ResolveAsync("models:/test-model/1", cancellationToken: TestContext.CancellationToken);

        Assert.IsTrue(resolved.FromCache, "the model the restore cached was not downloaded again");
        Assert.ContainsSingle(Directory.GetFiles(Path.Combine(fixture.CacheRoot, "manifests"), "*.json", SearchOption.AllDirectories));
    }

    [TestMethod]
    public async Task LocalFolder_IsReturnedAsItIs_RelativeToTheWorkingFolder()
    {
        using var fixture = new PublishFixture();
        fixture.WriteDefaultModel();

        var resolved = await Resolver(fixture).ResolveAsync("out/model/", cancellationToken: TestContext.CancellationToken);

        Assert.AreEqual(fixture.ModelDirectory, resolved.Directory);
        Assert.IsNull(resolved.Uri);
        Assert.IsFalse(Directory.Exists(Path.Combine(fixture.CacheRoot, "manifests")), "a local path never touches the cache");
    }

    [TestMethod]
    public async Task Errors_AreCoded()
    {
        using var fixture = new PublishFixture();
        await fixture.PublishAsync();
        var resolver = Resolver(fixture);
        var token = TestContext.CancellationToken;

        await MlfAssert.ThrowsAsync(MlfError.ModelPathNotFound, () => resolver.ResolveAsync("no/such/folder", cancellationToken: token));
        await MlfAssert.ThrowsAsync(MlfError.ModelPathNotADirectory, () => resolver.ResolveAsync("out/model/model.zip", cancellationToken: token));
        await MlfAssert.ThrowsAsync(MlfError.ModelUriVersionMissing, () => resolver.ResolveAsync("models:/test-model", cancellationToken: token));
        await MlfAssert.ThrowsAsync(MlfError.UnknownVersion, () => resolver.ResolveAsync("models:/test-model/7", cancellationToken: token));
        await MlfAssert.ThrowsAsync(MlfError.VersionSpecInvalid, () => resolver.ResolveAsync("models:/test-model@champion", cancellationToken: token));
        await MlfAssert.ThrowsAsync(MlfError.OfflineNotCached, () => Resolver(fixture, o => o with { Offline = true }).ResolveAsync("models:/test-model/1", cancellationToken: token));
    }

    [TestMethod]
    public async Task UriRegistry_WinsOverTheConfiguredOne()
    {
        using var fixture = new PublishFixture();
        await fixture.PublishAsync();
        var resolver = Resolver(fixture, o => o with { Registry = fixture.Home.Combine("empty-registry") });

        var resolved = await resolver.ResolveAsync($"models:/test-model/1?registry={Uri.EscapeDataString(fixture.Registry.Root)}", cancellationToken: TestContext.CancellationToken);

        Assert.AreEqual(fixture.Registry.Descriptor, resolved.Registry);
        await MlfAssert.ThrowsAsync(MlfError.UnknownModelNoneExist, () => resolver.ResolveAsync("models:/test-model/1", cancellationToken: TestContext.CancellationToken));
    }

    [TestMethod]
    public async Task Cancellation_StopsTheResolution()
    {
        using var fixture = new PublishFixture();
        await fixture.PublishAsync();
        using var canceled = new CancellationTokenSource();
        await canceled.CancelAsync();

        await Assert.ThrowsAsync<OperationCanceledException>(() => Resolver(fixture).ResolveAsync("models:/test-model/1", cancellationToken: canceled.Token));
    }

    [TestMethod]
    public async Task RemoveOrphans_DeletesTheFoldersOfPrunedVersionsOnly()
    {
        using var fixture = new PublishFixture();
        await fixture.PublishAsync();
        await fixture.PublishAsync(fixture.Input(files: fixture.WriteDefaultModel(seed: 2)) with { ForcePublish = true });
        var resolver = Resolver(fixture);
        var one = await resolver.ResolveAsync("models:/test-model/1", cancellationToken: TestContext.CancellationToken);
        var two = await resolver.ResolveAsync("models:/test-model/2", cancellationToken: TestContext.CancellationToken);
        File.Delete(new ModelCache(fixture.CacheRoot).ManifestPath(fixture.Registry.Descriptor, "test-model", "1"));

        var removed = await SharedModelFolders.RemoveOrphansAsync(new ModelCache(fixture.CacheRoot), cancellationToken: TestContext.CancellationToken);

        Assert.AreEqual(1, removed);
        Assert.IsFalse(Directory.Exists(one.Directory));
        Assert.IsTrue(SharedModelFolders.Holds(new ModelCache(fixture.CacheRoot), two.Directory, two.Files));
    }

    /// <summary>Publishes and resolves the model; returns its model.zip in the shared folder, made writable, and its registered bytes.</summary>
    private async Task<(ModelResolver Resolver, string ModelFile, byte[] Registered)> ResolvedWritableAsync(PublishFixture fixture)
    {
        await fixture.PublishAsync();
        var resolver = Resolver(fixture);
        var first = await resolver.ResolveAsync("models:/test-model/1", cancellationToken: TestContext.CancellationToken);
        var modelFile = Path.Combine(first.Directory, "model.zip");
        File.SetAttributes(modelFile, FileAttributes.Normal);
        return (resolver, modelFile, File.ReadAllBytes(modelFile));
    }

    private static ModelResolver Resolver(PublishFixture fixture, Func<ModelResolverOptions, ModelResolverOptions>? configure = null)
    {
        var options = new ModelResolverOptions
        {
            Home = fixture.Home.Path,
            Environment = CredentialEnvironment.FromVariables(new Dictionary<string, string>(), fixture.Home.Path, fixture.Repo.Root),
        };
        return new ModelResolver(configure is null ? options : configure(options));
    }

    /// <summary>Reports on the calling thread (<see cref="Progress{T}"/> posts to the pool, after the call has returned).</summary>
    private sealed class SynchronousProgress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}
