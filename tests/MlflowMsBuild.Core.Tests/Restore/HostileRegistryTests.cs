using System.Text.Json;
using System.Text.RegularExpressions;
using MlflowMsBuild.Core.Cache;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Http;
using MlflowMsBuild.Core.Registry;
using MlflowMsBuild.Core.Registry.GitLab;
using MlflowMsBuild.Core.Registry.MlflowServer;
using MlflowMsBuild.Core.Restore;
using MlflowMsBuild.Core.RestApi;
using MlflowMsBuild.Core.Tests.TestUtilities;
using MlflowMsBuild.TestServer;

namespace MlflowMsBuild.Core.Tests.Restore;

/// <summary>
/// A registry that lies: listings that never end, bodies longer than listed, paths that are not canonical. Each case
/// ends in a coded error within a stated bound of requests and bytes, and leaves nothing behind outside the cache
/// (whose <c>tmp/</c> holds no file afterwards) and nothing restored.
/// </summary>
[TestClass]
public sealed class HostileRegistryTests
{
    private const string Listing = "mlflow-artifacts/artifacts$";
    private const string Download = "mlflow-artifacts/artifacts/.";
    private const string ListingKey = "GET mlflow-artifacts/list";
    private const string DownloadKey = "GET artifacts";

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [DataRow(RegistryFlavor.Mlflow)]
    [DataRow(RegistryFlavor.GitLab)]
    public async Task FolderListingItself_StopsAtDepth64_After65Listings(RegistryFlavor flavor)
    {
        await using var fixture = await PublishedAsync(flavor);
        fixture.Server.Faults.RespondWith("GET", Listing, 200, times: 1000, body: ListingBody(("a", true, null)));

        var error = await MlfAssert.ThrowsAsync(MlfError.ArtifactListingUnbounded, () => fixture.RestoreAsync("test-model", Version(flavor)));

        Assert.Contains("64 folder levels", error.Message);
        Assert.Contains(fixture.Server.BaseAddress.Authority, error.Message, "names the server");
        Assert.AreEqual(65, fixture.Server.RequestLog.Count(ListingKey), "the listed folder and 64 levels below it");
        AssertNothingDownloadedNorLeftBehind(fixture);
    }

    [TestMethod]
    [DataRow(RegistryFlavor.Mlflow)]
    [DataRow(RegistryFlavor.GitLab)]
    public async Task ListingOfEverMoreFolders_StopsPast100000Entries(RegistryFlavor flavor)
    {
        await using var fixture = await PublishedAsync(flavor);
        var folders = Enumerable.Range(0, 2000).Select(i => ($"d{i}", true, (long?)null)).ToArray();
        fixture.Server.Faults.RespondWith("GET", Listing, 200, times: 1000, body: ListingBody(folders));

        var error = await MlfAssert.ThrowsAsync(MlfError.ArtifactListingUnbounded, () => fixture.RestoreAsync("test-model", Version(flavor)));

        Assert.Contains("files and folders", error.Message);
        // 2,000 entries per answer: the 100,001st is in the 51st answer.
        Assert.AreEqual(51, fixture.Server.RequestLog.Count(ListingKey));
        AssertNothingDownloadedNorLeftBehind(fixture);
    }

    [TestMethod]
    [DataRow(RegistryFlavor.Mlflow)]
    [DataRow(RegistryFlavor.GitLab)]
    public async Task ListingAnswerThatNeverEnds_StopsAfter32MiB(RegistryFlavor flavor)
    {
        await using var fixture = await PublishedAsync(flavor);
        var endless = fixture.Server.Faults.EndlessBody("GET", Listing, "{\"files\": [", "{\"path\": \"f\", \"is_dir\": false, \"file_size\": 1}, ",
            contentType: "application/json");

        var error = await MlfAssert.ThrowsAsync(MlfError.ArtifactListingUnbounded, () => fixture.RestoreAsync("test-model", Version(flavor)));

        Assert.Contains($"{ListingLimits.Default.MaxAnswerBytes:N0} bytes in the answer", error.Message);
        Assert.AreEqual(1, fixture.Server.RequestLog.Count(ListingKey));
        Assert.AreEqual(1, endless.Applied);
        AssertNothingDownloadedNorLeftBehind(fixture);
    }

    [TestMethod]
    [DataRow(RegistryFlavor.Mlflow)]
    [DataRow(RegistryFlavor.GitLab)]
    public async Task SlowListingItself_StopsAtTheTimeBound(RegistryFlavor flavor)
    {
        await using var fixture = await PublishedAsync(flavor);
        var limits = ListingLimits.Default with { MaxDuration = TimeSpan.FromSeconds(1) };
        fixture.Server.Faults.RespondWith("GET", Listing, 200, times: 1000, body: ListingBody(("a", true, null)), delay: TimeSpan.FromMilliseconds(300));
        using var registry = OpenRegistry(fixture, limits);

        var error = await MlfAssert.ThrowsAsync(MlfError.ArtifactListingUnbounded,
            () => new ModelRestorer(registry, new ModelCache(CacheRoot(fixture))).RestoreAsync("test-model", Version(flavor), Destination(fixture), Token));

        Assert.Contains("time bound of 1 s", error.Message);
        // Each answer takes at least 300 ms: within 1 s at most 4 listings start (at 0, 0.3, 0.6 and 0.9 s).
        Assert.IsInRange(1, 4, fixture.Server.RequestLog.Count(ListingKey));
        AssertNothingDownloadedNorLeftBehind(fixture);
    }

    [TestMethod]
    [DataRow(RegistryFlavor.Mlflow)]
    [DataRow(RegistryFlavor.GitLab)]
    public async Task BodyThatNeverEnds_StopsOneBytePastTheListedSize_AndLeavesNothingInTmp(RegistryFlavor flavor)
    {
        await using var fixture = await PublishedAsync(flavor);
        var endless = fixture.Server.Faults.EndlessBody("GET", Download, "", "Z", times: 100);

        var error = await MlfAssert.ThrowsAsync(MlfError.DownloadSizeMismatch, () => fixture.RestoreAsync("test-model", Version(flavor)));

        var sizes = Regex.Match(error.Message, @"has (\d+) bytes, but the registry lists (\d+)");
        Assert.IsTrue(sizes.Success, error.Message);
        Assert.AreEqual(long.Parse(sizes.Groups[2].Value) + 1, long.Parse(sizes.Groups[1].Value), "read one byte past the listed size, no more");
        // Two files, each opened once: a body longer than listed is wrong data, never retried.
        Assert.IsInRange(1, 2, fixture.Server.RequestLog.Count(DownloadKey));
        Assert.IsInRange(1, 2, endless.Applied);
        AssertNothingLeftBehind(fixture);
    }

    [TestMethod]
    [DataRow(RegistryFlavor.Mlflow, "model//tmp/x", "empty segment")]
    [DataRow(RegistryFlavor.GitLab, "model%2F%2Ftmp%2Fx", "empty segment")]
    [DataRow(RegistryFlavor.Mlflow, "/tmp/x", "absolute")]
    [DataRow(RegistryFlavor.GitLab, "%2Ftmp%2Fx", "absolute")]
    [DataRow(RegistryFlavor.Mlflow, "C:/x", "absolute")]
    [DataRow(RegistryFlavor.Mlflow, "..", "'..' segment")]
    [DataRow(RegistryFlavor.GitLab, "model%2F..%2F..%2Fx", "'..' segment")]
    [DataRow(RegistryFlavor.Mlflow, ".", "'.' segment")]
    [DataRow(RegistryFlavor.Mlflow, "%2e%2e", "'..' segment")]
    [DataRow(RegistryFlavor.GitLab, "%252e%252e%2Fx", "'%2e%2e' segment")]
    [DataRow(RegistryFlavor.Mlflow, "a\\..\\x", "backslash")]
    [DataRow(RegistryFlavor.GitLab, "a\0b", "control character")]
    [DataRow(RegistryFlavor.Mlflow, "x/", "ends with '/'")]
    [DataRow(RegistryFlavor.GitLab, "", "empty")]
    public async Task NonCanonicalListedPath_IsARegistryError_RaisedBeforeAnyDownload(RegistryFlavor flavor, string listed, string reason)
    {
        await using var fixture = await PublishedAsync(flavor);
        fixture.Server.Faults.RespondWith("GET", Listing, 200, times: 10, body: ListingBody(("ok.bin", false, 5L), (listed, false, 5L)));

        var error = await MlfAssert.ThrowsAsync(MlfError.ArtifactPathNotCanonical, () => fixture.RestoreAsync("test-model", Version(flavor)));

        Assert.Contains(reason, error.Message);
        Assert.Contains(fixture.Server.BaseAddress.Authority, error.Message, "names the server");
        Assert.DoesNotContain("\0", error.Message);
        Assert.AreEqual(1, fixture.Server.RequestLog.Count(ListingKey));
        AssertNothingDownloadedNorLeftBehind(fixture);
    }

    [TestMethod]
    [DataRow(RegistryFlavor.Mlflow)]
    [DataRow(RegistryFlavor.GitLab)]
    public async Task FileListedWithoutItsSize_IsRefusedBeforeAnyDownload(RegistryFlavor flavor)
    {
        await using var fixture = await PublishedAsync(flavor);
        fixture.Server.Faults.RespondWith("GET", Listing, 200, times: 10, body: ListingBody(("model.bin", false, null)));

        var error = await MlfAssert.ThrowsAsync(MlfError.ArtifactSizeMissing, () => fixture.RestoreAsync("test-model", Version(flavor)));

        Assert.Contains("'model.bin'", error.Message);
        Assert.Contains(fixture.Server.BaseAddress.Authority, error.Message, "names the server");
        AssertNothingDownloadedNorLeftBehind(fixture);
    }

    [TestMethod]
    [DataRow("model//tmp/x")]
    [DataRow("../x")]
    [DataRow("a\\b")]
    [DataRow("/etc/passwd")]
    public async Task EmbeddedRegistryListingANonCanonicalPath_IsARegistryError(string listed)
    {
        using var fixture = new PublishFixture();
        await fixture.PublishAsync();
        var lying = new RegistryDecorator(fixture.Registry) { TamperList = files => [.. files, new ModelFileInfo(listed, 1, null)] };

        var error = await MlfAssert.ThrowsAsync(MlfError.ArtifactPathNotCanonical,
            () => new ModelRestorer(lying, new ModelCache(fixture.CacheRoot)).RestoreAsync("test-model", "1", fixture.Home.Combine("restored"), Token));

        Assert.Contains(fixture.Registry.Descriptor.DisplayName, error.Message);
        Assert.Contains("model 'test-model' version 1", error.Message);
        Assert.AreEqual(0, lying.OpenFileCalls);
        Assert.IsFalse(Directory.Exists(fixture.Home.Combine("restored")));
    }

    [TestMethod]
    public async Task EmbeddedRegistryListingAFileWithoutSize_IsRefusedBeforeAnyDownload()
    {
        using var fixture = new PublishFixture();
        await fixture.PublishAsync();
        var lying = new RegistryDecorator(fixture.Registry) { TamperList = files => files.Select(f => f with { Size = -1 }).ToList() };

        await MlfAssert.ThrowsAsync(MlfError.ArtifactSizeMissing,
            () => new ModelRestorer(lying, new ModelCache(fixture.CacheRoot)).RestoreAsync("test-model", "1", fixture.Home.Combine("restored"), Token));

        Assert.AreEqual(0, lying.OpenFileCalls);
    }

    private CancellationToken Token => TestContext.CancellationToken;

    private static async Task<RemoteFixture> PublishedAsync(RegistryFlavor flavor)
    {
        var fixture = await RemoteFixture.StartAsync(flavor);
        await fixture.PublishAsync();
        fixture.Server.RequestLog.Clear();
        return fixture;
    }

    private static string Version(RegistryFlavor flavor) => flavor == RegistryFlavor.GitLab ? "1.0.0" : "1";

    private static string CacheRoot(RemoteFixture fixture) => fixture.Home.Combine("cache");

    private static string Destination(RemoteFixture fixture) => fixture.Home.Combine("restored", "test-model");

    /// <summary>The registry <see cref="RemoteFixture.OpenRegistry"/> gives, with other listing bounds.</summary>
    private static IModelRegistry OpenRegistry(RemoteFixture fixture, ListingLimits limits)
    {
        if (fixture.Server.Flavor == RegistryFlavor.GitLab)
        {
            return new GitLabRegistry(new MlflowRestClient(new RegistryServerOptions
            {
                TrackingUri = fixture.Server.GitLabTrackingUri(fixture.ProjectId),
                DisplayName = $"GitLab server '{fixture.Server.BaseAddress}'",
                Authenticate = request => RemoteFixture.Auth.ApplyTo(request.Headers),
                Listing = limits,
            }), RemoteFixture.ProjectPath);
        }

        return new MlflowServerRegistry(new MlflowRestClient(new RegistryServerOptions
        {
            TrackingUri = fixture.Server.BaseAddress,
            DisplayName = $"MLflow server '{fixture.Server.BaseAddress}'",
            Listing = limits,
        }));
    }

    private static string ListingBody(params (string Path, bool IsDir, long? Size)[] entries) =>
        JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["files"] = entries.Select(e => e.Size is { } size
                ? new Dictionary<string, object> { ["path"] = e.Path, ["is_dir"] = e.IsDir, ["file_size"] = size }
                : new Dictionary<string, object> { ["path"] = e.Path, ["is_dir"] = e.IsDir }).ToList(),
        });

    private static void AssertNothingDownloadedNorLeftBehind(RemoteFixture fixture)
    {
        Assert.AreEqual(0, fixture.Server.RequestLog.Count(DownloadKey), "nothing is downloaded");
        AssertNothingLeftBehind(fixture);
    }

    /// <summary>No partial download, blob or manifest in the cache, nothing restored, nothing written beside the cache.</summary>
    private static void AssertNothingLeftBehind(RemoteFixture fixture)
    {
        var cache = new ModelCache(CacheRoot(fixture));
        Assert.IsEmpty(ModelRestorerTests.TemporaryFiles(cache.Root));
        foreach (var folder in new[] { cache.BlobsDirectory, cache.ManifestsDirectory })
        {
            Assert.IsFalse(Directory.Exists(folder) && Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Any(), folder);
        }

        Assert.IsFalse(Directory.Exists(Destination(fixture)) || Directory.Exists(fixture.Home.Combine("restored")));
        var outside = Directory.EnumerateFiles(fixture.Home.Path, "*", SearchOption.AllDirectories)
            .Where(f => !f.StartsWith(cache.Root + Path.DirectorySeparatorChar, StringComparison.Ordinal)).ToList();
        Assert.IsEmpty(outside, string.Join(", ", outside));
    }
}
