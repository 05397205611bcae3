using System.Text.Json.Nodes;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Publishing;
using MlflowMsBuild.Core.Registry;
using MlflowMsBuild.Core.Tests.TestUtilities;
using MlflowMsBuild.TestServer;
using static MlflowMsBuild.Core.Tests.TestUtilities.RemoteRegistry;

namespace MlflowMsBuild.Core.Tests.Publishing;

/// <summary>
/// The content hash is computed while the files go up: it is awaited before anything is created only when a version of
/// the same commit exists (the "already published?" check) or the registry creates the version first (GitLab); otherwise
/// it is logged on the run after the uploads, just before the version is registered with it.
/// </summary>
[TestClass]
public sealed class ModelPublisherContentHashTests
{
    private const string Model = "test-model";
    private const string HashTagStep = "log " + PublishTags.ContentHash;

    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Token => TestContext.CancellationToken;

    /// <summary>The content hash computed here from the files' bytes, the params the run holds and the commit.</summary>
    private static string ExpectedContentHash(PublishFixture fixture, IReadOnlyList<string> files, IEnumerable<KeyValuePair<string, string>> runParams) =>
        ContentHash.Compute(
            Model,
            files.Select(f => ("model/" + Path.GetRelativePath(fixture.ModelDirectory, f).Replace(Path.DirectorySeparatorChar, '/'), PublishFixture.Sha256Hex(File.ReadAllBytes(f)))),
            [],
            runParams,
            fixture.Repo.HeadSha(),
            changesDigest: null);

    [TestMethod]
    public async Task Publish_NewCommit_RegistersTheContentHashOfTheFiles_OnTheRunTheVersionAndItsCard()
    {
        using var fixture = new PublishFixture();
        var files = fixture.WriteDefaultModel();

        var result = await new ModelPublisher(fixture.Registry).PublishAsync(fixture.Input(Model, files), Token);

        var run = fixture.ReadRun(result.RunId);
        var expected = ExpectedContentHash(fixture, files,
            run.GetProperty("params").EnumerateObject().Select(p => KeyValuePair.Create(p.Name, p.Value.GetString()!)));
        Assert.AreEqual(expected, result.ContentHash);
        Assert.AreEqual(expected, run.GetProperty("tags").GetProperty(PublishTags.ContentHash).GetString());
        var version = await fixture.Registry.GetModelVersionAsync(Model, result.Version, Token);
        Assert.AreEqual(expected, version.Tags[PublishTags.ContentHash]);
        Assert.AreEqual(fixture.Repo.HeadSha(), version.Tags[PublishTags.GitCommit]);
        Assert.Contains($"| Content hash | `{expected[..16]}` |", version.Description);
    }

    [TestMethod]
    public async Task Publish_NewCommit_LogsTheContentHashAfterTheUploads_AndBeforeTheVersionIsRegistered()
    {
        using var fixture = new PublishFixture();
        var recording = new RegistryDecorator(fixture.Registry);

        var result = await new ModelPublisher(recording).PublishAsync(fixture.Input(Model), Token);

        Assert.IsNull(Assert.ContainsSingle(recording.PublicationRequests).Version, "nothing needed the version's tags before the files");
        Assert.AreEqual("begin", recording.Steps[0]);
        Assert.Contains(PublishTags.GitCommit, recording.Steps[1]);
        Assert.DoesNotContain(PublishTags.ContentHash, recording.Steps[1]);
        CollectionAssert.AreEqual(
            new[] { "upload model/config/settings.json", "upload model/model.zip", HashTagStep, "complete" },
            recording.Steps.Skip(2).ToArray());
        Assert.AreEqual(result.ContentHash, fixture.ReadRun(result.RunId).GetProperty("tags").GetProperty(PublishTags.ContentHash).GetString());
    }

    [TestMethod]
    [DataRow(RegistryFlavor.Mlflow)]
    [DataRow(RegistryFlavor.GitLab)]
    public async Task Publish_ToAServer_RegistersTheContentHashOfTheFiles_GitLabKnowingItBeforeCreatingTheVersion(RegistryFlavor flavor)
    {
        await using var remote = await StartAsync(flavor);
        using var fixture = new PublishFixture();
        var files = fixture.WriteDefaultModel();
        var recording = new RegistryDecorator(remote.Registry);

        var result = await new ModelPublisher(recording).PublishAsync(fixture.Input(Model, files), Token);

        var (_, body) = await remote.GetAsync("runs/get?run_id=" + result.RunId);
        var data = body!["run"]!["data"]!;
        var expected = ExpectedContentHash(fixture, files,
            data["params"]!.AsArray().Select(p => KeyValuePair.Create((string)p!["key"]!, (string)p["value"]!)));
        Assert.AreEqual(expected, result.ContentHash);
        Assert.AreEqual(expected, Value(data["tags"], PublishTags.ContentHash));
        var version = (JsonObject)Assert.ContainsSingle(await remote.VersionsAsync(Model))!;
        Assert.AreEqual(expected, Value(version["tags"], PublishTags.ContentHash));
        Assert.Contains($"| Content hash | `{expected[..16]}` |", (string)version["description"]!);
        var request = Assert.ContainsSingle(recording.PublicationRequests);
        if (flavor == RegistryFlavor.GitLab)
        {
            Assert.AreEqual(expected, request.Version?.Tags[PublishTags.ContentHash], "GitLab creates the version with its tags");
            Assert.Contains(PublishTags.ContentHash, recording.Steps[1]);
            Assert.DoesNotContain(HashTagStep, recording.Steps);
        }
        else
        {
            Assert.IsNull(request.Version);
            CollectionAssert.AreEqual(new[] { HashTagStep, "complete" }, recording.Steps.TakeLast(2).ToArray());
        }
    }

    [TestMethod]
    public async Task Publish_SameCommitAndContentAgain_IsAlreadyPublished_AndCreatesNothing()
    {
        using var fixture = new PublishFixture();
        var input = fixture.Input(Model);
        var first = await fixture.PublishAsync(input);
        var recording = new RegistryDecorator(fixture.Registry);

        var again = await new ModelPublisher(recording, new FixedTimeProvider(DateTimeOffset.UtcNow.AddDays(1))).PublishAsync(input, Token);

        Assert.IsTrue(again.AlreadyPublished);
        Assert.AreEqual(first.Version, again.Version);
        Assert.AreEqual(first.RunId, again.RunId);
        Assert.AreEqual(first.ContentHash, again.ContentHash);
        Assert.IsEmpty(recording.Steps, "nothing begun");
        Assert.HasCount(1, Directory.GetDirectories(Path.Combine(fixture.Registry.Root, "runs")));
    }

    [TestMethod]
    public async Task Publish_SameFilesAsAVersionOfAnotherCommit_IsNotPublished_AndDoesNotWaitForTheHashFirst()
    {
        using var fixture = new PublishFixture();
        var input = fixture.Input(Model);
        var first = await fixture.PublishAsync(input);
        fixture.Repo.WriteFile("NOTES.md", "more");
        fixture.Repo.CommitAll("second");
        var recording = new RegistryDecorator(fixture.Registry);

        var second = await new ModelPublisher(recording).PublishAsync(input, Token);

        Assert.IsFalse(second.AlreadyPublished);
        Assert.AreEqual("2", second.Version);
        Assert.AreNotEqual(first.ContentHash, second.ContentHash);
        Assert.IsNull(Assert.ContainsSingle(recording.PublicationRequests).Version);
        CollectionAssert.AreEqual(new[] { HashTagStep, "complete" }, recording.Steps.TakeLast(2).ToArray());
        var version = await fixture.Registry.GetModelVersionAsync(Model, "2", Token);
        Assert.AreEqual(second.ContentHash, version.Tags[PublishTags.ContentHash]);
        Assert.AreEqual(fixture.Repo.HeadSha(), version.Tags[PublishTags.GitCommit]);
    }

    [TestMethod]
    public async Task Publish_ModelFileDeletedAfterCollection_WhenTheCheckNeedsTheHash_FailsWithACode_BeforeCreatingAnything()
    {
        using var fixture = new PublishFixture();
        var files = fixture.WriteDefaultModel();
        await fixture.PublishAsync(fixture.Input(Model, files));

        // The git state is read and its warning (no remote, MLF4010) reported after the files were collected.
        var input = fixture.Input(Model, files) with { Warn = _ => File.Delete(files[0]) };
        var error = await MlfAssert.ThrowsAsync(MlfError.ModelFileChanged, () => new ModelPublisher(fixture.Registry).PublishAsync(input, Token));

        Assert.Contains(files[0], error.Message);
        Assert.HasCount(1, Directory.GetDirectories(Path.Combine(fixture.Registry.Root, "runs")), "no run started");
        Assert.HasCount(1, await fixture.Registry.ListModelVersionsAsync(Model, Token));
    }

    [TestMethod]
    public async Task Publish_ModelFileGrownAfterCollection_FailsWithACode_AndLeavesNoVersionAndAFailedRun()
    {
        using var fixture = new PublishFixture();
        var files = fixture.WriteDefaultModel();
        var recording = new RegistryDecorator(fixture.Registry);
        var input = fixture.Input(Model, files) with { Warn = _ => File.AppendAllText(files[1], "\n") };

        var error = await MlfAssert.ThrowsAsync(MlfError.ModelFileChanged, () => new ModelPublisher(recording).PublishAsync(input, Token));

        Assert.Contains(files[1], error.Message);
        Assert.Contains("when collected", error.Message);
        Assert.AreEqual(1, recording.AbortCalls);
        Assert.DoesNotContain("complete", recording.Steps);
        await MlfAssert.ThrowsAsync(MlfError.UnknownModelNoneExist, () => fixture.Registry.ListModelVersionsAsync(Model, Token));
        var run = fixture.ReadRun(Path.GetFileName(Assert.ContainsSingle(Directory.GetDirectories(Path.Combine(fixture.Registry.Root, "runs")))));
        Assert.AreEqual("FAILED", run.GetProperty("status").GetString());
    }

    [TestMethod]
    public async Task Publish_VersionTagLimitBelowTheContentHashsLength_IsRefusedBeforeTheHashIsKnown_AndCreatesNothing()
    {
        using var fixture = new PublishFixture();
        // A commit SHA (40 characters) fits; a content hash is always 64.
        var limited = new RegistryDecorator(fixture.Registry) { Limits = new PublicationLimits(MaxVersionTagValueLength: 63, Source: "the test") };

        var error = await MlfAssert.ThrowsAsync(MlfError.ValueTooLongForRegistry, () => new ModelPublisher(limited).PublishAsync(fixture.Input(Model), Token));

        Assert.Contains($"'{PublishTags.ContentHash}'", error.Message);
        Assert.IsEmpty(limited.Steps);
        Assert.IsFalse(Directory.Exists(fixture.Registry.Root));
    }
}
