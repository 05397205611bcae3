using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Registry;
using MlflowMsBuild.Core.Tests.TestUtilities;

namespace MlflowMsBuild.Core.Tests.Registry.Local;

[TestClass]
public sealed class LocalPublicationTests
{
    private static readonly Dictionary<string, string> NoValues = [];

    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Token => TestContext.CancellationToken;

    private static PublicationRequest Request(string name = "test-model") => new(
        ModelName: name,
        RunName: "run",
        ModelDescription: "model description",
        ArtifactPaths: ["model/a.bin", "model/sub/b.bin", "reports/summary.txt", "model-other/c.bin"]);

    private static readonly VersionCompletion Version = new(new Dictionary<string, string> { ["k"] = "v" }, "version description");

    [TestMethod]
    public async Task LogRunData_SameParamTwiceWithAnotherValue_ThrowsParamInvalid()
    {
        using var fixture = new PublishFixture();
        await using var publication = await fixture.Registry.BeginPublicationAsync(Request(), Token);
        await publication.LogRunDataAsync(new RunData(new Dictionary<string, string> { ["lr"] = "0.1" }, [], NoValues), Token);
        await publication.LogRunDataAsync(new RunData(new Dictionary<string, string> { ["lr"] = "0.1" }, [], NoValues), Token);

        var error = await MlfAssert.ThrowsAsync(MlfError.ParamInvalid,
            () => publication.LogRunDataAsync(new RunData(new Dictionary<string, string> { ["lr"] = "0.2" }, [], NoValues), Token));

        Assert.Contains("'lr'", error.Message);
        Assert.Contains("'0.1'", error.Message);
        Assert.AreEqual("0.1", fixture.ReadRun(publication.RunId).GetProperty("params").GetProperty("lr").GetString());
    }

    [TestMethod]
    [DataRow("../escape.bin")]
    [DataRow("model/../../escape.bin")]
    [DataRow(".")]
    public async Task UploadArtifact_PathLeavingTheArtifactFolder_IsRefused(string artifactPath)
    {
        using var fixture = new PublishFixture();
        await using var publication = await fixture.Registry.BeginPublicationAsync(Request(), Token);
        using var content = new MemoryStream([1, 2, 3]);

        await Assert.ThrowsExactlyAsync<ArgumentException>(() => publication.UploadArtifactAsync(artifactPath, content, Token));

        Assert.IsFalse(File.Exists(Path.Combine(fixture.Registry.Root, "runs", publication.RunId, "escape.bin")));
    }

    [TestMethod]
    public async Task Complete_ListsOnlyTheFilesUnderTheModelArtifactPath()
    {
        using var fixture = new PublishFixture();
        await using var publication = await fixture.Registry.BeginPublicationAsync(Request(), Token);
        await publication.UploadArtifactAsync("model/a.bin", new MemoryStream([1, 2, 3]), Token);
        await publication.UploadArtifactAsync("model/sub/b.bin", new MemoryStream([4]), Token);
        await publication.UploadArtifactAsync("reports/summary.txt", new MemoryStream([5, 6]), Token);
        await publication.UploadArtifactAsync("model-other/c.bin", new MemoryStream([7]), Token);

        var version = await publication.CompleteAsync(Version, Token);

        var files = await fixture.Registry.ListFilesAsync(version, Token);
        CollectionAssert.AreEqual(new[] { "a.bin", "sub/b.bin" }, files.Select(f => f.Path).ToArray());
        Assert.AreEqual("1", version.Version);
        Assert.AreEqual("version description", version.Description);
        Assert.AreEqual("v", version.Tags["k"]);
        Assert.IsTrue(File.Exists(Path.Combine(fixture.Registry.Root, "runs", publication.RunId, "artifacts", "reports", "summary.txt")));
    }

    [TestMethod]
    public async Task Upload_SamePathTwice_KeepsTheLastContent()
    {
        using var fixture = new PublishFixture();
        await using var publication = await fixture.Registry.BeginPublicationAsync(Request(), Token);
        await publication.UploadArtifactAsync("model/a.bin", new MemoryStream([1, 2, 3]), Token);
        await publication.UploadArtifactAsync("model/a.bin", new MemoryStream([9]), Token);

        var files = await fixture.Registry.ListFilesAsync(await publication.CompleteAsync(Version, Token), Token);

        Assert.HasCount(1, files);
        Assert.AreEqual(1, files[0].Size);
        Assert.AreEqual(PublishFixture.Sha256Hex([9]), files[0].Sha256);
    }

    [TestMethod]
    public async Task Dispose_WithoutComplete_MarksTheRunFailedAndLeavesNoVersion()
    {
        using var fixture = new PublishFixture();
        string runId;
        await using (var publication = await fixture.Registry.BeginPublicationAsync(Request(), Token))
        {
            runId = publication.RunId;
            await publication.UploadArtifactAsync("model/a.bin", new MemoryStream([1]), Token);
            Assert.AreEqual("RUNNING", fixture.ReadRun(runId).GetProperty("status").GetString());
        }

        var run = fixture.ReadRun(runId);
        Assert.AreEqual("FAILED", run.GetProperty("status").GetString());
        Assert.AreEqual("the publication was not completed", run.GetProperty("status_message").GetString());
        Assert.IsGreaterThan(0L, run.GetProperty("end_time").GetInt64());
        await MlfAssert.ThrowsAsync(MlfError.UnknownModelNoneExist, () => fixture.Registry.GetModelVersionAsync("test-model", "1", Token));
    }

    [TestMethod]
    public async Task Abort_RecordsTheReason()
    {
        using var fixture = new PublishFixture();
        await using var publication = await fixture.Registry.BeginPublicationAsync(Request(), Token);

        await publication.AbortAsync("evaluation crashed", Token);

        Assert.AreEqual("evaluation crashed", fixture.ReadRun(publication.RunId).GetProperty("status_message").GetString());
        Assert.AreEqual("FAILED", fixture.ReadRun(publication.RunId).GetProperty("status").GetString());
    }

    [TestMethod]
    public async Task BeginPublication_InvalidName_WritesNothing()
    {
        using var fixture = new PublishFixture();

        await MlfAssert.ThrowsAsync(MlfError.ModelNameInvalid, () => fixture.Registry.BeginPublicationAsync(Request("bad\nname"), Token));

        Assert.IsFalse(Directory.Exists(fixture.Registry.Root));
    }
}
