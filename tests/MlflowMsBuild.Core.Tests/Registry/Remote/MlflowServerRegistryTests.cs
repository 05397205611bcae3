using System.Net.Http.Json;
using System.Security.Cryptography;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Tests.TestUtilities;
using MlflowMsBuild.TestServer;

namespace MlflowMsBuild.Core.Tests.Registry.Remote;

/// <summary>Publish and restore against the MLflow flavour of the loopback test server, read back over plain HTTP.</summary>
[TestClass]
public sealed class MlflowServerRegistryTests
{
    [TestMethod]
    public async Task Publish_RegistersTheVersionLast_WithRunDataAndFilesReadableByAnyMlflowClient()
    {
        await using var fixture = await RemoteFixture.StartAsync(RegistryFlavor.Mlflow);

        var result = await fixture.PublishAsync();

        Assert.AreEqual("1", result.Version);
        var version = (await fixture.GetJsonAsync("model-versions/get?name=test-model&version=1"))["model_version"]!;
        Assert.AreEqual("READY", (string?)version["status"]);
        var run = (await fixture.GetJsonAsync("runs/get?run_id=" + result.RunId))["run"]!;
        var artifactUri = (string)run["info"]!["artifact_uri"]!;
        Assert.AreEqual(artifactUri + "/model", (string?)version["source"]);
        Assert.AreEqual("FINISHED", (string?)run["info"]!["status"]);
        var parameters = run["data"]!["params"]!.AsArray().ToDictionary(p => (string)p!["key"]!, p => (string)p!["value"]!);
        Assert.AreEqual(result.CommitSha, parameters["commit"]);
        Assert.AreEqual("Classifier --seed 1", parameters["command_line"]);
        var metrics = run["data"]!["metrics"]!.AsArray().ToDictionary(m => (string)m!["key"]!, m => (double)m!["value"]!);
        Assert.AreEqual(0.93, metrics["test/auc"], 1e-12);
        var tags = run["data"]!["tags"]!.AsArray().ToDictionary(t => (string)t!["key"]!, t => (string)t!["value"]!);
        Assert.AreEqual(result.CommitSha, tags["mlflow.source.git.commit"]);

        var proxyPath = artifactUri["mlflow-artifacts:/".Length..];
        var bytes = await fixture.Http.GetByteArrayAsync($"api/2.0/mlflow-artifacts/artifacts/{proxyPath}/model/model.zip");
        CollectionAssert.AreEqual(File.ReadAllBytes(fixture.Repo.Path("out", "model", "model.zip")), bytes);
    }

    [TestMethod]
    public async Task Restore_DownloadsEveryFileOfTheVersion_AndAliasesResolve()
    {
        await using var fixture = await RemoteFixture.StartAsync(RegistryFlavor.Mlflow);
        await fixture.PublishAsync(seed: 1);
        await fixture.PublishAsync(seed: 2);
        using (var alias = await fixture.Http.PostAsJsonAsync(fixture.ApiPath + "registered-models/alias", new { name = "test-model", alias = "champion", version = "2" }))
        {
            Assert.IsTrue(alias.IsSuccessStatusCode);
        }

        fixture.Server.RequestLog.Clear();
        var restored = await fixture.RestoreAsync("test-model", "1");
        var champion = await fixture.RestoreAsync("test-model", "@champion");

        // The versions' sources are mlflow-artifacts:/ URIs, which MLflow's get-download-uri would answer unchanged.
        Assert.AreEqual(0, fixture.Server.RequestLog.Count("GET model-versions/get-download-uri"), string.Join("\n", fixture.Server.RequestLog.Entries));
        Assert.AreEqual("1", restored.Version);
        CollectionAssert.AreEquivalent(new[] { "config/settings.json", "model.zip" }, restored.Files.Select(f => f.Path).ToArray());
        CollectionAssert.AreEqual(PublishFixture.RandomBytes(300_000, 1), File.ReadAllBytes(Path.Combine(restored.Directory, "model.zip")));
        Assert.AreEqual("2", champion.Version);
        CollectionAssert.AreEqual(PublishFixture.RandomBytes(300_000, 2), File.ReadAllBytes(Path.Combine(champion.Directory, "model.zip")));
    }

    [TestMethod]
    public async Task Restore_CachedPinnedVersion_MakesNoRequest()
    {
        await using var fixture = await RemoteFixture.StartAsync(RegistryFlavor.Mlflow);
        await fixture.PublishAsync();
        await fixture.RestoreAsync("test-model", "1");
        fixture.Server.RequestLog.Clear();

        var again = await fixture.RestoreAsync("test-model", "1");

        Assert.IsTrue(again.FromCache);
        Assert.IsEmpty(fixture.Server.RequestLog.Entries, string.Join("\n", fixture.Server.RequestLog.Entries));
    }

    [TestMethod]
    public async Task Restore_VersionRegisteredByThePythonClientWithARunsSource_Restores()
    {
        await using var fixture = await RemoteFixture.StartAsync(RegistryFlavor.Mlflow);
        var published = await fixture.PublishAsync("test-other");
        using (var created = await fixture.Http.PostAsJsonAsync(fixture.ApiPath + "registered-models/create", new { name = "test-python" }))
        {
            Assert.IsTrue(created.IsSuccessStatusCode);
        }

        using (var version = await fixture.Http.PostAsJsonAsync(fixture.ApiPath + "model-versions/create",
            new { name = "test-python", source = $"runs:/{published.RunId}/model", run_id = published.RunId }))
        {
            Assert.IsTrue(version.IsSuccessStatusCode, await version.Content.ReadAsStringAsync());
        }

        var restored = await fixture.RestoreAsync("test-python", "1");

        CollectionAssert.AreEqual(SHA256.HashData(File.ReadAllBytes(fixture.Repo.Path("out", "model", "model.zip"))),
            SHA256.HashData(File.ReadAllBytes(Path.Combine(restored.Directory, "model.zip"))));
    }

    [TestMethod]
    public async Task Restore_VersionOfAnMlflow3LoggedModel_Restores()
    {
        await using var fixture = await RemoteFixture.StartAsync(RegistryFlavor.Mlflow, o => o.MlflowLoggedModels = true);
        var created = await PostAsync(fixture, "experiments/create", new { name = "python-client" });
        var logged = await PostAsync(fixture, "logged-models", new { experiment_id = (string)created["experiment_id"]!, name = "model" });
        var modelId = (string)logged["model"]!["info"]!["model_id"]!;
        var artifactUri = (string)logged["model"]!["info"]!["artifact_uri"]!;
        var weights = PublishFixture.RandomBytes(4096, 7);
        using (var upload = await fixture.Http.PutAsync($"api/2.0/mlflow-artifacts/artifacts/{artifactUri["mlflow-artifacts:/".Length..]}/model.onnx", new ByteArrayContent(weights)))
        {
            Assert.IsTrue(upload.IsSuccessStatusCode);
        }

        await PostAsync(fixture, "registered-models/create", new { name = "test-logged" });
        await PostAsync(fixture, "model-versions/create", new { name = "test-logged", source = "models:/" + modelId });

        var restored = await fixture.RestoreAsync("test-logged", "1");

        // A models:/ source is stored as the logged model's location: only get-download-uri tells it.
        Assert.AreEqual(1, fixture.Server.RequestLog.Count("GET model-versions/get-download-uri"));
        CollectionAssert.AreEqual(weights, File.ReadAllBytes(Path.Combine(restored.Directory, "model.onnx")));
    }

    private static async Task<System.Text.Json.Nodes.JsonNode> PostAsync(RemoteFixture fixture, string endpoint, object body)
    {
        using var response = await fixture.Http.PostAsJsonAsync(fixture.ApiPath + endpoint, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.IsTrue(response.IsSuccessStatusCode, $"{endpoint}: {text}");
        return System.Text.Json.Nodes.JsonNode.Parse(text)!;
    }

    [TestMethod]
    public async Task Restore_VersionWhoseSourceIsASingleFile_RestoresThatFile()
    {
        await using var fixture = await RemoteFixture.StartAsync(RegistryFlavor.Mlflow);
        var published = await fixture.PublishAsync("test-other");
        await PostAsync(fixture, "registered-models/create", new { name = "test-single" });
        await PostAsync(fixture, "model-versions/create", new { name = "test-single", source = $"runs:/{published.RunId}/model/model.zip", run_id = published.RunId });

        var restored = await fixture.RestoreAsync("test-single", "1");

        CollectionAssert.AreEqual(new[] { "model.zip" }, restored.Files.Select(f => f.Path).ToArray());
        CollectionAssert.AreEqual(PublishFixture.RandomBytes(300_000, 1), File.ReadAllBytes(Path.Combine(restored.Directory, "model.zip")));
    }

    [TestMethod]
    public async Task Restore_VersionWhoseFilesAreGone_FailsInsteadOfRestoringNothing()
    {
        await using var fixture = await RemoteFixture.StartAsync(RegistryFlavor.Mlflow);
        var published = await fixture.PublishAsync("test-other");
        await PostAsync(fixture, "registered-models/create", new { name = "test-empty" });
        await PostAsync(fixture, "model-versions/create", new { name = "test-empty", source = $"runs:/{published.RunId}/no-such-folder", run_id = published.RunId });

        var error = await MlfAssert.ThrowsAsync(MlfError.ModelVersionWithoutFiles, () => fixture.RestoreAsync("test-empty", "1"));

        Assert.Contains("no-such-folder", error.Message);
        Assert.IsFalse(Directory.Exists(fixture.Home.Combine("restored", "test-empty")));
    }

    [TestMethod]
    public async Task ModelCard_StaysWithinTheMlflowSqlStoresDescriptionColumn()
    {
        await using var fixture = await RemoteFixture.StartAsync(RegistryFlavor.Mlflow);
        var metrics = string.Join(", ", Enumerable.Range(0, 400).Select(i => $"\"metric_number_{i:D3}\": {i}.5"));
        var metricsFile = fixture.Repo.WriteFile("out/many-metrics.json", System.Text.Encoding.UTF8.GetBytes("{\"test\": {" + metrics + "}}"));
        using var registry = fixture.OpenRegistry();
        var input = new MlflowMsBuild.Core.Publishing.PublishInput("test-model", fixture.Repo.Path("out", "model"), fixture.WriteModel(), fixture.Repo.Root, metricsFile);

        await new MlflowMsBuild.Core.Publishing.ModelPublisher(registry).PublishAsync(input);

        var description = (string)(await fixture.GetJsonAsync("model-versions/get?name=test-model&version=1"))["model_version"]!["description"]!;
        Assert.IsLessThanOrEqualTo(5000, description.Length);
        Assert.Contains("shortened", description);
    }

    [TestMethod]
    public async Task UnknownVersionAndModel_NameWhatExists()
    {
        await using var fixture = await RemoteFixture.StartAsync(RegistryFlavor.Mlflow);
        await fixture.PublishAsync();

        var version = await MlfAssert.ThrowsAsync(MlfError.UnknownVersion, () => fixture.RestoreAsync("test-model", "7"));
        var model = await MlfAssert.ThrowsAsync(MlfError.UnknownModel, () => fixture.RestoreAsync("test-missing", "1"));

        Assert.Contains("Existing versions: 1.", version.Message);
        Assert.Contains("test-model", model.Message);
        var alias = await MlfAssert.ThrowsAsync(MlfError.UnknownAlias, () => fixture.RestoreAsync("test-model", "@missing"));
        Assert.Contains("has no alias 'missing'", alias.Message);
        Assert.Contains("Existing versions: 1.", alias.Message);
    }

    [TestMethod]
    public async Task Publish_IntoADeletedExperiment_SaysToRestoreItOrChooseAnother()
    {
        await using var fixture = await RemoteFixture.StartAsync(RegistryFlavor.Mlflow);
        var created = await PostAsync(fixture, "experiments/create", new { name = "test-model" });
        await PostAsync(fixture, "experiments/delete", new { experiment_id = (string)created["experiment_id"]! });

        var error = await MlfAssert.ThrowsAsync(MlfError.ExperimentDeleted, () => fixture.PublishAsync());

        Assert.Contains("MlflowExperimentName", error.Message);
        Assert.AreEqual(0, fixture.Server.RequestLog.Count("POST runs/create"));
    }

    [TestMethod]
    [DataRow("s3://bucket/models")]
    [DataRow("/var/mlflow/artifacts")]
    [DataRow("https://files.example.org/artifacts")]
    public async Task Publish_IntoAnExperimentWhoseFilesTheServerDoesNotProxy_CreatesNoRun_AndSaysWhatToDo(string location)
    {
        await using var fixture = await RemoteFixture.StartAsync(RegistryFlavor.Mlflow);
        await PostAsync(fixture, "experiments/create", new { name = "test-model", artifact_location = location });

        var error = await MlfAssert.ThrowsAsync(MlfError.ExperimentArtifactLocationUnsupported, () => fixture.PublishAsync());

        Assert.AreEqual(0, fixture.Server.RequestLog.Count("POST runs/create"), "nothing is created");
        Assert.Contains(location, error.Message);
        Assert.Contains("MlflowExperimentName", error.Message);
        Assert.Contains("mlflow-artifacts:/test-model", error.Message);
        Assert.DoesNotContain("--serve-artifacts", error.Message);
    }

    [TestMethod]
    public async Task Publish_FailingAfterTheRunIsCreated_MarksTheRunFailed()
    {
        await using var fixture = await RemoteFixture.StartAsync(RegistryFlavor.Mlflow);
        fixture.Server.Faults.RespondWith("PUT", "mlflow-artifacts/artifacts/", 500, times: 100);

        await MlfAssert.ThrowsAsync(MlfError.ServerError, () => fixture.PublishAsync());

        var runs = await PostAsync(fixture, "runs/search", new { experiment_ids = new[] { "1" } });
        var run = Assert.ContainsSingle(runs["runs"]!.AsArray());
        Assert.AreEqual("FAILED", (string?)run!["info"]!["status"]);
    }

    [TestMethod]
    public async Task ManyParams_AreSplitIntoSeveralLogBatchRequests()
    {
        await using var fixture = await RemoteFixture.StartAsync(RegistryFlavor.Mlflow);
        using var registry = fixture.OpenRegistry();
        await using var publication = await registry.BeginPublicationAsync(
            new("test-model", "run", "", []), CancellationToken.None);

        var parameters = Enumerable.Range(0, 250).ToDictionary(i => $"p{i:D3}", i => i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await publication.LogRunDataAsync(new(parameters, [], new Dictionary<string, string>()), CancellationToken.None);

        Assert.AreEqual(3, fixture.Server.RequestLog.Count("POST runs/log-batch"));
        var run = (await fixture.GetJsonAsync("runs/get?run_id=" + publication.RunId))["run"]!;
        Assert.HasCount(250, run["data"]!["params"]!.AsArray());
    }
}
