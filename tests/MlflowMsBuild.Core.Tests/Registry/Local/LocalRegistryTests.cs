using System.Globalization;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Registry.Local;
using MlflowMsBuild.Core.Tests.TestUtilities;

namespace MlflowMsBuild.Core.Tests.Registry.Local;

[TestClass]
public sealed class LocalRegistryTests
{
    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Token => TestContext.CancellationToken;

    [TestMethod]
    public async Task Publish_Twice_GivesSequentialVersions()
    {
        using var fixture = new PublishFixture();

        var first = await fixture.PublishAsync();
        var second = await fixture.PublishAsync(fixture.Input(files: fixture.WriteDefaultModel(seed: 2)));

        Assert.AreEqual("1", first.Version);
        Assert.AreEqual("2", second.Version);
        Assert.AreNotEqual(first.RunId, second.RunId);
        var versions = await fixture.Registry.ListModelVersionsAsync("test-model", Token);
        CollectionAssert.AreEqual(new[] { "1", "2" }, versions.Select(v => v.Version).ToArray());
        Assert.AreEqual(second.RunId, versions[1].RunId);
    }

    [TestMethod]
    public async Task GetModelVersion_DescribesThePublishedVersion()
    {
        using var fixture = new PublishFixture();
        var published = await fixture.PublishAsync();

        var version = await fixture.Registry.GetModelVersionAsync("test-model", "1", Token);

        Assert.AreEqual("test-model", version.Name);
        Assert.AreEqual("READY", version.Status);
        Assert.AreEqual(published.RunId, version.RunId);
        Assert.AreEqual($"runs/{published.RunId}/artifacts/model", version.Source);
        Assert.AreEqual(fixture.Repo.HeadSha(), version.Tags["mlflow.source.git.commit"]);
        Assert.Contains(fixture.Repo.HeadSha(), version.Description);
        Assert.IsLessThan(TimeSpan.FromMinutes(5), (DateTimeOffset.UtcNow - version.CreationTime).Duration());
    }

    [TestMethod]
    public async Task GetModelVersion_UnknownModelInEmptyRegistry_SaysNoneExist()
    {
        using var home = new TempDirectory();
        var registry = new LocalRegistry(home.Combine("registry"));

        var error = await MlfAssert.ThrowsAsync(MlfError.UnknownModelNoneExist,
            () => registry.GetModelVersionAsync("test-model", "1", Token));

        Assert.Contains("'test-model'", error.Message);
        Assert.Contains(registry.Root, error.Message);
    }

    [TestMethod]
    public async Task GetModelVersion_UnknownModel_ListsTheExistingModels()
    {
        using var fixture = new PublishFixture();
        await fixture.PublishAsync(fixture.Input("test-b"));
        await fixture.PublishAsync(fixture.Input("doc-a"));

        var error = await MlfAssert.ThrowsAsync(MlfError.UnknownModel,
            () => fixture.Registry.GetModelVersionAsync("test-c", "1", Token));

        Assert.Contains("'test-c'", error.Message);
        Assert.Contains("Registered models: doc-a, test-b.", error.Message);
    }

    [TestMethod]
    public async Task GetModelVersion_UnknownVersion_NamesTheExistingVersions()
    {
        using var fixture = new PublishFixture();
        await fixture.PublishAsync();
        await fixture.PublishAsync(fixture.Input(files: fixture.WriteDefaultModel(seed: 2)));

        var error = await MlfAssert.ThrowsAsync(MlfError.UnknownVersion,
            () => fixture.Registry.GetModelVersionAsync("test-model", "7", Token));

        Assert.Contains("no version '7'", error.Message);
        Assert.Contains("Existing versions: 1, 2.", error.Message);
    }

    [TestMethod]
    [DataRow("abc")]
    [DataRow("0")]
    [DataRow("-1")]
    [DataRow("1.0")]
    [DataRow(" 1")]
    [DataRow("")]
    [DataRow("latest")]
    public async Task GetModelVersion_NotAWholeNumber_ThrowsVersionSpecInvalid(string version)
    {
        using var fixture = new PublishFixture();
        await fixture.PublishAsync();

        var error = await MlfAssert.ThrowsAsync(MlfError.VersionSpecInvalid,
            () => fixture.Registry.GetModelVersionAsync("test-model", version, Token));

        Assert.Contains($"Version '{version}' of model 'test-model'", error.Message);
    }

    [TestMethod]
    [DataRow("1", "1")]
    [DataRow("007", "7")]
    [DataRow("12", "12")]
    public void NormalizeExactVersion_GivesTheCanonicalNumber(string pin, string expected)
    {
        using var home = new TempDirectory();

        Assert.AreEqual(expected, new LocalRegistry(home.Path).NormalizeExactVersion("test-model", pin));
    }

    [TestMethod]
    public async Task GetModelVersion_PinWithLeadingZeros_FindsTheVersion()
    {
        using var fixture = new PublishFixture();
        await fixture.PublishAsync();

        Assert.AreEqual("1", (await fixture.Registry.GetModelVersionAsync("test-model", "01", Token)).Version);
    }

    [TestMethod]
    public async Task GetModelVersion_InvalidName_ThrowsModelNameInvalid()
    {
        using var home = new TempDirectory();
        var registry = new LocalRegistry(home.Path);

        await MlfAssert.ThrowsAsync(MlfError.ModelNameInvalid, () => registry.GetModelVersionAsync("bad\nname", "1", Token));
    }

    [TestMethod]
    public async Task GetModelVersion_NameWithSeparators_StaysInItsOwnFolder()
    {
        using var home = new TempDirectory();
        var registry = new LocalRegistry(home.Path);

        await MlfAssert.ThrowsAsync(MlfError.UnknownModelNoneExist, () => registry.GetModelVersionAsync("../escape", "1", Token));
        Assert.AreEqual(Path.Combine(registry.Root, "models", "..%2Fescape"), registry.ModelDirectory("../escape"));
    }

    [TestMethod]
    public async Task ListFiles_GivesPathsSizesAndSha256OfThePublishedFiles()
    {
        using var fixture = new PublishFixture();
        var blob = PublishFixture.RandomBytes(70_001, seed: 9);
        var json = "{\"labels\": [\"cat\", \"dog\"]}"u8.ToArray();
        var files = fixture.WriteModel(("weights/model.bin", blob), ("labels.json", json));
        await fixture.PublishAsync(fixture.Input(files: files));
        var version = await fixture.Registry.GetModelVersionAsync("test-model", "1", Token);

        var listed = await fixture.Registry.ListFilesAsync(version, Token);

        CollectionAssert.AreEqual(new[] { "labels.json", "weights/model.bin" }, listed.Select(f => f.Path).ToArray());
        Assert.AreEqual(json.Length, listed[0].Size);
        Assert.AreEqual(PublishFixture.Sha256Hex(json), listed[0].Sha256);
        Assert.AreEqual(blob.Length, listed[1].Size);
        Assert.AreEqual(PublishFixture.Sha256Hex(blob), listed[1].Sha256);

        await using var stream = await fixture.Registry.OpenFileAsync(version, listed[1], Token);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, Token);
        CollectionAssert.AreEqual(blob, copy.ToArray());
    }

    [TestMethod]
    public async Task Publish_RecordsParamsMetricsAndTagsOnTheRun()
    {
        using var fixture = new PublishFixture("git@gitlab.example.org:group/sub/project.git");
        var metrics = fixture.Repo.WriteFile("out/metrics.json", """{"test": {"auc": 0.875}, "loss": 0.5}""");
        var now = new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero);
        var input = fixture.Input(metricsFile: metrics) with { Params = new Dictionary<string, string> { ["epochs"] = "12" } };

        var result = await fixture.PublishAsync(input, clock: new FixedTimeProvider(now));

        var sha = fixture.Repo.HeadSha();
        var run = fixture.ReadRun(result.RunId);
        Assert.AreEqual("FINISHED", run.GetProperty("status").GetString());
        var runParams = run.GetProperty("params");
        Assert.AreEqual(sha, runParams.GetProperty("commit").GetString());
        Assert.AreEqual($"https://gitlab.example.org/group/sub/project/-/commit/{sha}", runParams.GetProperty("commit_url").GetString());
        Assert.AreEqual("dotnet build -t:PublishModel", runParams.GetProperty("command_line").GetString());
        Assert.AreEqual(now.ToString("O", CultureInfo.InvariantCulture), runParams.GetProperty("date").GetString());
        Assert.AreEqual("12", runParams.GetProperty("epochs").GetString());

        var loggedMetrics = run.GetProperty("metrics").EnumerateArray()
            .ToDictionary(m => m.GetProperty("key").GetString()!, m => m.GetProperty("value").GetDouble());
        Assert.HasCount(2, loggedMetrics);
        Assert.AreEqual(0.875, loggedMetrics["test/auc"]);
        Assert.AreEqual(0.5, loggedMetrics["loss"]);
        Assert.IsTrue(run.GetProperty("metrics").EnumerateArray().All(m => m.GetProperty("timestamp").GetInt64() == now.ToUnixTimeMilliseconds()));

        var tags = run.GetProperty("tags");
        Assert.AreEqual(sha, tags.GetProperty("mlflow.source.git.commit").GetString());
        Assert.AreEqual("main", tags.GetProperty("mlflow.source.git.branch").GetString());
        Assert.AreEqual("false", tags.GetProperty("mlflow_msbuild.git.dirty").GetString());
        Assert.AreEqual("git@gitlab.example.org:group/sub/project.git", tags.GetProperty("mlflow.source.git.repoURL").GetString());
        Assert.AreEqual(sha, result.CommitSha);
        Assert.AreEqual(2, result.FileCount);
    }

    [TestMethod]
    public async Task GetModelVersion_CorruptVersionDocument_ThrowsRegistryEntryCorrupt()
    {
        using var fixture = new PublishFixture();
        await fixture.PublishAsync();
        var document = Path.Combine(fixture.Registry.Root, "models", "test-model", "versions", "1.json");
        File.WriteAllText(document, "{ \"name\": \"test-mo");

        var error = await MlfAssert.ThrowsAsync(MlfError.RegistryEntryCorrupt,
            () => fixture.Registry.GetModelVersionAsync("test-model", "1", Token));

        Assert.Contains(document, error.Message);
    }

    [TestMethod]
    public void Descriptor_IsStablePerRootAndDistinctAcrossRoots()
    {
        using var home = new TempDirectory();

        var a = new LocalRegistry(home.Combine("a"));
        var again = new LocalRegistry(home.Combine("x", "..", "a"));
        var b = new LocalRegistry(home.Combine("b"));

        Assert.AreEqual("local", a.Descriptor.Kind);
        Assert.AreEqual(a.Descriptor, again.Descriptor);
        Assert.AreNotEqual(a.Descriptor.Key, b.Descriptor.Key);
        Assert.MatchesRegex(new System.Text.RegularExpressions.Regex("^local-[0-9a-f]{12}$"), a.Descriptor.Key);
        Assert.Contains(a.Root, a.Descriptor.DisplayName);
    }
}
