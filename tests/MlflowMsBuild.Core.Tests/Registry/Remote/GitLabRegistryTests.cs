using MlflowMsBuild.Core.Cache;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Registry;
using MlflowMsBuild.Core.Restore;
using MlflowMsBuild.Core.Settings;
using MlflowMsBuild.Core.Tests.TestUtilities;
using MlflowMsBuild.TestServer;

namespace MlflowMsBuild.Core.Tests.Registry.Remote;

/// <summary>Publish and restore against the GitLab flavour of the loopback test server.</summary>
[TestClass]
public sealed class GitLabRegistryTests
{
    [TestMethod]
    public async Task Publish_CreatesTheVersionFirst_UploadsToItsPackage_AndFinishesItsRun()
    {
        await using var fixture = await RemoteFixture.StartAsync(RegistryFlavor.GitLab);

        var result = await fixture.PublishAsync();

        Assert.AreEqual("1.0.0", result.Version);
        var version = (await fixture.GetJsonAsync("model-versions/get?name=test-model&version=1.0.0"))["model_version"]!;
        var id = (string)version["version"]!;
        Assert.AreNotEqual("1.0.0", id, "GitLab answers its internal id in 'version'");
        var run = (await fixture.GetJsonAsync("runs/get?run_id=" + result.RunId))["run"]!;
        Assert.AreEqual("FINISHED", (string?)run["info"]!["status"]);
        Assert.AreEqual((string?)version["run_id"], result.RunId);
        var parameters = run["data"]!["params"]!.AsArray().Select(p => (string)p!["key"]!).ToList();
        CollectionAssert.IsSubsetOf(new[] { "commit", "command_line", "date" }, parameters);

        var listing = await fixture.GetJsonAsync($"../mlflow-artifacts/artifacts?path={id}");
        var stored = listing["files"]!.AsArray().Select(f => (string)f!["path"]!).Order(StringComparer.Ordinal).ToList();
        CollectionAssert.AreEqual(new[] { "model%2Fconfig%2Fsettings.json", "model%2Fmodel.zip" }, stored);
        Assert.AreEqual(1, fixture.Server.RequestLog.Count("GET projects/get"));
    }

    [TestMethod]
    public async Task Versions_AreSemVer_PinsNormaliseAndRequestedVersionsAreKept()
    {
        await using var fixture = await RemoteFixture.StartAsync(RegistryFlavor.GitLab);
        await fixture.PublishAsync(seed: 1);
        var second = await fixture.PublishAsync(seed: 2);
        var chosen = await fixture.PublishAsync(seed: 3, requestedVersion: "1.3.0");

        var restored = await fixture.RestoreAsync("test-model", "1");
        var exact = await fixture.RestoreAsync("test-model", "1.3.0");

        Assert.AreEqual("1.0.1", second.Version, "the server's patch increment, read from the answer's aliases");
        Assert.AreEqual("1.3.0", chosen.Version);
        Assert.AreEqual("1.0.0", restored.Version);
        CollectionAssert.AreEqual(PublishFixture.RandomBytes(300_000, 1), File.ReadAllBytes(Path.Combine(restored.Directory, "model.zip")));
        CollectionAssert.AreEquivalent(new[] { "config/settings.json", "model.zip" }, restored.Files.Select(f => f.Path).ToArray());
        CollectionAssert.AreEqual(PublishFixture.RandomBytes(300_000, 3), File.ReadAllBytes(Path.Combine(exact.Directory, "model.zip")));
    }

    [TestMethod]
    public async Task UnknownVersion_NamesTheSemVersThatExist()
    {
        await using var fixture = await RemoteFixture.StartAsync(RegistryFlavor.GitLab);
        await fixture.PublishAsync(requestedVersion: "2.1.0");

        var error = await MlfAssert.ThrowsAsync(MlfError.UnknownVersion, () => fixture.RestoreAsync("test-model", "4"));

        Assert.Contains("'4'", error.Message);
        Assert.Contains("Existing versions: 2.1.0.", error.Message);
    }

    [TestMethod]
    public async Task FileNameGitLabCannotStore_IsRefusedBeforeAnythingIsCreated()
    {
        await using var fixture = await RemoteFixture.StartAsync(RegistryFlavor.GitLab);
        fixture.Repo.WriteFile("out/model/my model.zip", [1, 2, 3]);

        await MlfAssert.ThrowsAsync(MlfError.FileNameRejectedByRegistry, () => fixture.PublishAsync());

        Assert.AreEqual(0, fixture.Server.RequestLog.Count("POST model-versions/create"));
        Assert.AreEqual(0, fixture.Server.RequestLog.Count("POST registered-models/create"));
    }

    [TestMethod]
    public async Task ReadOnlyToken_IsRefusedWithTheScopeToAskFor()
    {
        await using var fixture = await RemoteFixture.StartAsync(RegistryFlavor.GitLab);
        fixture.Server.AddToken("glpat-read-only-000000", "read_api");
        fixture.Variables["GITLAB_TOKEN"] = "glpat-read-only-000000";

        var error = await MlfAssert.ThrowsAsync(MlfError.PermissionDenied, () => fixture.PublishAsync());

        Assert.Contains("'api' scope", error.Message);
        Assert.AreEqual(403, error.ApiError?.StatusCode);
        Assert.DoesNotContain("glpat-read-only-000000", error.ToString());
    }

    [TestMethod]
    public async Task UnknownToken_IsUnauthenticated_AndNoTokenAtAllSaysWhereToPutOne()
    {
        await using var fixture = await RemoteFixture.StartAsync(RegistryFlavor.GitLab);
        fixture.Variables["GITLAB_TOKEN"] = "glpat-not-a-real-token-00";

        var unknown = await MlfAssert.ThrowsAsync(MlfError.Unauthenticated, () => fixture.RestoreAsync("test-model", "1"));
        fixture.Variables.Remove("GITLAB_TOKEN");
        var missing = await MlfAssert.ThrowsAsync(MlfError.GitLabTokenMissing, () => fixture.RestoreAsync("test-model", "1"));

        Assert.AreEqual(401, unknown.ApiError?.StatusCode);
        Assert.DoesNotContain("glpat-not-a-real-token-00", unknown.ToString());
        Assert.Contains("GITLAB_TOKEN", missing.Message);
    }

    [TestMethod]
    public async Task CiJobToken_WithoutALockFile_SaysHowToWriteOne_AndPublishIsRefused()
    {
        await using var fixture = await RemoteFixture.StartAsync(RegistryFlavor.GitLab);
        fixture.Variables.Remove("GITLAB_TOKEN");
        fixture.Variables["GITLAB_CI"] = "true";
        fixture.Variables["CI_SERVER_URL"] = fixture.Server.BaseAddress.AbsoluteUri.TrimEnd('/');
        fixture.Variables["CI_JOB_TOKEN"] = "job-token-1234567890";

        var error = await MlfAssert.ThrowsAsync(MlfError.GitLabJobTokenNeedsLockFile, () => fixture.RestoreAsync("test-model", "1"));
        var publish = await MlfAssert.ThrowsAsync(MlfError.GitLabJobTokenNotAccepted, () => fixture.PublishAsync());

        Assert.Contains("MlflowUseLockFile=true", error.Message);
        Assert.Contains("GITLAB_TOKEN", publish.Message);
        Assert.DoesNotContain("job-token-1234567890", error.ToString() + publish);
        Assert.IsEmpty(fixture.Server.RequestLog.Entries);
    }

    [TestMethod]
    public async Task CiJobToken_RestoresALockedPin_FromThePackageFilesRouteOnly()
    {
        await using var fixture = await RemoteFixture.StartAsync(RegistryFlavor.GitLab);
        var published = await fixture.PublishAsync(seed: 4);
        var lockFile = fixture.Repo.Path("models.lock.json");
        var request = new ModelRequest(ModelReference.Create("test-model", "1"), fixture.Home.Combine("restored-pat"));
        using (var registry = fixture.OpenRegistry())
        {
            await new ModelRestorer(registry, new ModelCache(fixture.Home.Combine("cache-pat"))).RestoreAllAsync([request], lockFile);
        }

        var locked = ModelsLockFile.Read(lockFile)!.Models.Single();
        Assert.AreEqual("model", locked.ArtifactPath);
        Assert.IsNotNull(locked.Identity?.InternalId);
        fixture.Variables.Remove("GITLAB_TOKEN");
        fixture.Variables["GITLAB_CI"] = "true";
        fixture.Variables["CI_SERVER_URL"] = fixture.Server.BaseAddress.AbsoluteUri.TrimEnd('/');
        fixture.Variables["CI_JOB_TOKEN"] = "job-token-1234567890";
        fixture.Server.AddJobToken("job-token-1234567890");
        fixture.Server.RequestLog.Clear();

        RestoreResult result;
        using (var registry = fixture.OpenRegistry())
        {
            result = await new ModelRestorer(registry, new ModelCache(fixture.Home.Combine("cache-ci"))).RestoreAllAsync(
                [request with { Destination = fixture.Home.Combine("restored-ci") }], lockFile);
        }

        var restored = result.Models.Single();
        Assert.AreEqual(published.Version, restored.Version);
        CollectionAssert.AreEqual(PublishFixture.RandomBytes(300_000, 4), File.ReadAllBytes(Path.Combine(restored.Directory, "model.zip")));
        Assert.IsTrue(fixture.Server.RequestLog.Entries.Count > 0);
        Assert.IsTrue(fixture.Server.RequestLog.Entries.All(e => e.PathAndQuery.StartsWith($"/api/v4/projects/group%2Fsub%2Fproject/packages/ml_models/{locked.Identity!.InternalId}/files/model/", StringComparison.Ordinal) && e.StatusCode == 200),
            string.Join("\n", fixture.Server.RequestLog.Entries));
        Assert.AreEqual(locked.ArtifactPath, ModelsLockFile.Read(lockFile)!.Models.Single().ArtifactPath, "the rewritten lock keeps what the job token needs");
    }

    [TestMethod]
    public async Task MlflowTrackingUriAndToken_AsGitLabsDocumentationSetsThem_PublishAndRestore()
    {
        await using var fixture = await RemoteFixture.StartAsync(RegistryFlavor.GitLab);
        fixture.Variables.Remove("GITLAB_TOKEN");
        fixture.Variables["MLFLOW_TRACKING_URI"] = $"{fixture.Server.BaseAddress}api/v4/projects/{fixture.ProjectId}/ml/mlflow";
        fixture.Variables["MLFLOW_TRACKING_TOKEN"] = RemoteFixture.Token;
        using var registry = RegistryLocator.Open(null, new MlflowHome(fixture.Home.Path), fixture.Repo.Root, fixture.Environment());

        var published = await fixture.PublishAsync(seed: 5, registry: registry);
        var restored = await new ModelRestorer(registry, new ModelCache(fixture.Home.Combine("cache"))).RestoreAsync("test-model", "1", fixture.Home.Combine("restored"));

        Assert.AreEqual("1.0.0", published.Version);
        CollectionAssert.AreEqual(PublishFixture.RandomBytes(300_000, 5), File.ReadAllBytes(Path.Combine(restored.Directory, "model.zip")));
        Assert.IsTrue(fixture.Server.RequestLog.Entries.All(e => e.Headers.TryGetValue("Authorization", out var sent) && sent == "Bearer " + RemoteFixture.Token),
            "the mlflow client's header, on every request");
    }

    [TestMethod]
    public async Task ProjectWithoutAccess_Is404WithAHintAboutPathAndAccess()
    {
        await using var fixture = await RemoteFixture.StartAsync(RegistryFlavor.GitLab);
        fixture.Server.SetProjectRole(RemoteFixture.Token, fixture.ProjectId, GitLabRole.None);

        var error = await MlfAssert.ThrowsAsync(MlfError.EndpointNotFound, () => fixture.RestoreAsync("test-model", "1"));

        Assert.AreEqual(404, error.ApiError?.StatusCode);
        Assert.Contains("project", error.Message);
    }

    [TestMethod]
    public async Task PythonGitLabConfig_SuppliesServerAndToken()
    {
        await using var fixture = await RemoteFixture.StartAsync(RegistryFlavor.GitLab);
        fixture.Variables.Remove("GITLAB_TOKEN");
        var config = fixture.Home.WriteFile("python-gitlab.cfg", $"""
            [global]
            default = work

            [work]
            url = {fixture.Server.BaseAddress.AbsoluteUri.TrimEnd('/')}
            private_token = {RemoteFixture.Token}
            """);
        fixture.Variables["PYTHON_GITLAB_CFG"] = config;
        await fixture.PublishAsync();

        using var registry = MlflowMsBuild.Core.Registry.RegistryLocator.Open("gitlab:" + RemoteFixture.ProjectPath,
            new MlflowHome(fixture.Home.Path), fixture.Repo.Root, fixture.Environment());
        var version = await registry.GetModelVersionAsync("test-model", "1", CancellationToken.None);

        Assert.AreEqual("1.0.0", version.Version);
    }

    [TestMethod]
    public async Task ObjectStorage_RedirectToASignedUrl_IsFollowedWithoutOurToken()
    {
        await using var fixture = await RemoteFixture.StartAsync(RegistryFlavor.GitLab, o => o.GitLabObjectStorage = true);
        await fixture.PublishAsync();

        var restored = await fixture.RestoreAsync("test-model", "1");

        CollectionAssert.AreEqual(PublishFixture.RandomBytes(300_000, 1), File.ReadAllBytes(Path.Combine(restored.Directory, "model.zip")));
        Assert.IsGreaterThan(0, fixture.Server.RequestLog.Count("GET object-storage"));
        Assert.IsFalse(fixture.Server.RequestLog.Entries.Where(e => e.EndpointKey == "GET object-storage")
            .Any(e => e.Headers.ContainsKey("PRIVATE-TOKEN") || e.Headers.ContainsKey("Authorization")), "the token went to object storage");
    }

    [TestMethod]
    public async Task SlowUpload_ThatKeepsMoving_IsNotCutOffByTheRequestTimeout()
    {
        await using var fixture = await RemoteFixture.StartAsync(RegistryFlavor.GitLab);
        fixture.Variables.Remove("GITLAB_TOKEN");
        fixture.Variables["PYTHON_GITLAB_CFG"] = fixture.Home.WriteFile("python-gitlab.cfg", $"""
            [global]
            default = slow

            [slow]
            url = {fixture.Server.BaseAddress.AbsoluteUri.TrimEnd('/')}
            private_token = {RemoteFixture.Token}
            timeout = 3
            """);
        // The first 32 MiB at 4 MiB/s: 8 s of steady progress, more than twice python-gitlab's timeout. The silence is
        // measured from the last read of the file, when loopback socket buffers may still hold ~10 MiB; the last 32 MiB move
        // unthrottled, so those buffers drain at once and the server's answer is not raced against the timeout (with the
        // whole file throttled, a loaded CI machine's answer came too late now and then).
        fixture.Repo.WriteFile("out/model/weights.bin", PublishFixture.RandomBytes(64 << 20, 3));
        var throttle = fixture.Server.Faults.Throttle("PUT", "weights.bin$", bytesPerSecond: 4 << 20, throttledBytes: 32 << 20);

        var result = await fixture.PublishAsync();

        Assert.AreEqual("1.0.0", result.Version);
        Assert.AreEqual(1, throttle.Applied);
    }

    [TestMethod]
    public async Task Publication_NeedsTheVersionsTagsToBegin_AndCompletesOnlyWithThoseTags()
    {
        await using var fixture = await RemoteFixture.StartAsync(RegistryFlavor.GitLab);
        using var registry = fixture.OpenRegistry();
        var tags = new Dictionary<string, string> { ["mlflow.source.git.commit"] = "abc" };
        var begun = new VersionCompletion(tags, "card");

        Assert.IsFalse(registry.RegistersVersionLast);
        await Assert.ThrowsAsync<ArgumentException>(() => registry.BeginPublicationAsync(new("test-model", "run", "", []), CancellationToken.None));
        await using var publication = await registry.BeginPublicationAsync(new("test-model", "run", "", [], Version: begun), CancellationToken.None);
        var other = new VersionCompletion(new Dictionary<string, string> { ["mlflow.source.git.commit"] = "def" }, "card");
        await Assert.ThrowsAsync<ArgumentException>(() => publication.CompleteAsync(other, CancellationToken.None));
        var version = await publication.CompleteAsync(begun with { Description = "final card" }, CancellationToken.None);

        Assert.AreEqual("abc", version.Tags["mlflow.source.git.commit"]);
        Assert.AreEqual("final card", version.Description);
    }
}
