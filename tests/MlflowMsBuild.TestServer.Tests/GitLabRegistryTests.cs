using MlflowMsBuild.TestServer.Tests.TestUtilities;
using static MlflowMsBuild.TestServer.Tests.TestUtilities.Servers;

namespace MlflowMsBuild.TestServer.Tests;

[TestClass]
public sealed class GitLabRegistryTests
{
    [TestMethod]
    public async Task CreateModel_Is200_AddsModelExperiment_TimestampsInSeconds()
    {
        var (server, projectId) = await GitLabAsync();
        await using var serverScope = server;
        using var api = new Api(server.BaseAddress, Bearer(Token));
        var basePath = GitLabMlflow(projectId);

        var created = await api.PostAsync(basePath + "registered-models/create", new { name = "my-model" });
        Assert.AreEqual(200, created.Code);
        var model = created.Json["registered_model"]!;
        Assert.AreEqual("", (string)model["description"]!);
        Assert.IsTrue((long)model["creation_timestamp"]! < 100_000_000_000, "seconds, not milliseconds");
        Assert.HasCount(0, model["latest_versions"]!.AsArray());
        var experiment = await api.GetAsync(basePath + "experiments/get-by-name?experiment_name=" + Uri.EscapeDataString("[model]my-model"));
        Assert.AreEqual(200, experiment.Code);

        var again = await api.PostAsync(basePath + "registered-models/create", new { name = "my-model" });
        Assert.AreEqual("{\"error_code\":\"RESOURCE_ALREADY_EXISTS\"}", again.Body);
        var badName = await api.PostAsync(basePath + "registered-models/create", new { name = "my model" });
        Assert.AreEqual(400, badName.Code);
        Assert.AreEqual("RESOURCE_ALREADY_EXISTS", (string)badName.Json["error_code"]!);
        var noName = await api.PostAsync(basePath + "registered-models/create", new { description = "x" });
        Assert.AreEqual("{\"error\":\"name is missing\"}", noName.Body);
    }

    [TestMethod]
    public async Task VersionCreate_VersionIsInternalId_SemVerInAliases_GetTakesSemVer_DownloadUriTakesId()
    {
        var (server, projectId) = await GitLabAsync();
        await using var serverScope = server;
        using var api = new Api(server.BaseAddress, Bearer(Token));
        var basePath = GitLabMlflow(projectId);

        var version = await GitLabVersionAsync(api, projectId, semver: "1.2.3");
        var id = (string)version["version"]!;
        Assert.AreNotEqual("1.2.3", id);
        Assert.IsTrue(int.TryParse(id, out _), "version is the internal id");
        Assert.AreEqual("1.2.3", (string)version["aliases"]![0]!);
        Assert.AreEqual("gitlab.version", (string)version["tags"]![0]!["key"]!);
        Assert.IsTrue((long)version["creation_timestamp"]! < 100_000_000_000, "seconds");

        var bySemVer = await api.GetAsync(basePath + "model-versions/get?name=my-model&version=1.2.3");
        Assert.AreEqual(id, (string)bySemVer.Json["model_version"]!["version"]!);
        Assert.AreEqual(404, (await api.GetAsync(basePath + $"model-versions/get?name=my-model&version={id}")).Code);
        var byAlias = await api.GetAsync(basePath + "registered-models/alias?name=my-model&alias=1.2.3");
        Assert.AreEqual(id, (string)byAlias.Json["model_version"]!["version"]!);

        var uri = await api.GetAsync(basePath + $"model-versions/get-download-uri?name=my-model&version={id}");
        Assert.AreEqual($"mlflow-artifacts:/{id}", (string)uri.Json["artifact_uri"]!);
        Assert.AreEqual("mlflow-artifacts:/99999", (string)(await api.GetAsync(basePath + "model-versions/get-download-uri?name=x&version=99999")).Json["artifact_uri"]!);
        Assert.AreEqual(400, (await api.GetAsync(basePath + "model-versions/get-download-uri?name=my-model&version=1.2.3")).Code);

        var run = await api.GetAsync(basePath + $"runs/get?run_id={(string)version["run_id"]!}");
        Assert.AreEqual(new Uri(server.BaseAddress, $"api/v4/projects/{projectId}/packages/ml_models/{id}/files/").ToString(),
            (string)run.Json["run"]!["info"]!["artifact_uri"]!);
        Assert.AreEqual(36, ((string)version["run_id"]!).Length, "dashed UUID");
    }

    [TestMethod]
    [DataRow(SemVerIncrement.Patch, "1.2.4")]
    [DataRow(SemVerIncrement.Major, "2.0.0")]
    public async Task VersionCreate_WithoutTag_IncrementsHighest_DuplicateAndInvalidAreArrayMessages(SemVerIncrement rule, string expected)
    {
        var (server, projectId) = await GitLabAsync(o => o.GitLabVersionIncrement = rule);
        await using var serverScope = server;
        using var api = new Api(server.BaseAddress, Bearer(Token));
        var first = await GitLabVersionAsync(api, projectId, model: "fresh", semver: null);
        Assert.AreEqual("1.0.0", (string)first["aliases"]![0]!);
        await GitLabVersionAsync(api, projectId, semver: "1.2.3");
        var next = await GitLabVersionAsync(api, projectId, semver: null);
        Assert.AreEqual(expected, (string)next["aliases"]![0]!);

        var basePath = GitLabMlflow(projectId);
        var duplicate = await api.PostAsync(basePath + "model-versions/create", new { name = "my-model", tags = new[] { new { key = "gitlab.version", value = "1.2.3" } } });
        Assert.AreEqual("{\"error_code\":\"INVALID_PARAMETER_VALUE\",\"message\":[\"Version has already been taken\"]}", duplicate.Body);
        var invalid = await api.PostAsync(basePath + "model-versions/create", new { name = "my-model", tags = new[] { new { key = "gitlab.version", value = "v3" } } });
        Assert.AreEqual("Version must be semantic version", (string)invalid.Json["message"]![0]!);

        var model = await api.GetAsync(basePath + "registered-models/get?name=my-model");
        Assert.HasCount(2, model.Json["registered_model"]!["latest_versions"]!.AsArray(), "latest_versions holds every version");
        var latest = await api.PostAsync(basePath + "registered-models/get-latest-versions", new { name = "my-model" });
        Assert.AreEqual(expected, (string)latest.Json["model_versions"]![0]!["aliases"]![0]!);
    }

    [TestMethod]
    public async Task AbsentEndpoints_Are404_SearchFilterIsNameEqualsSubstring_UpdateNeedsAllThree()
    {
        var (server, projectId) = await GitLabAsync();
        await using var serverScope = server;
        using var api = new Api(server.BaseAddress, Bearer(Token));
        var basePath = GitLabMlflow(projectId);
        await GitLabVersionAsync(api, projectId, model: "alpha-model");
        await GitLabVersionAsync(api, projectId, model: "beta");

        foreach (var (method, path) in new[]
        {
            (HttpMethod.Post, "registered-models/alias"), (HttpMethod.Delete, "registered-models/alias"),
            (HttpMethod.Post, "model-versions/set-tag"), (HttpMethod.Get, "model-versions/search"),
            (HttpMethod.Post, "registered-models/set-tag"), (HttpMethod.Get, "artifacts/list"),
        })
        {
            var answer = await api.SendAsync(method, basePath + path, "{}");
            Assert.AreEqual("{\"error\":\"404 Not Found\"}", answer.Body, path);
        }
        var upload = await api.PutBytesAsync(GitLabArtifacts(projectId) + "/40/f.bin", [1]);
        Assert.AreEqual(404, upload.Code, "no PUT through mlflow-artifacts");

        var substring = await api.GetAsync(basePath + "registered-models/search?filter=" + Uri.EscapeDataString("name='alpha'"));
        Assert.AreEqual("alpha-model", (string)substring.Json["registered_models"]![0]!["name"]!);
        Assert.IsNull(substring.Json["next_page_token"]);
        Assert.IsTrue(substring.Object.ContainsKey("next_page_token"), "the key stays, null");
        var spaced = await api.GetAsync(basePath + "registered-models/search?filter=" + Uri.EscapeDataString("name = 'alpha'"));
        Assert.AreEqual(400, spaced.Code);

        var incomplete = await api.PatchAsync(basePath + "model-versions/update", new { name = "beta", version = "1.0.0" });
        Assert.AreEqual("{\"error_code\":\"INVALID_PARAMETER_VALUE\",\"message\":null}", incomplete.Body);
        var unknown = await api.PatchAsync(basePath + "model-versions/update", new { name = "beta", version = "9.9.9", description = "d" });
        Assert.AreEqual("{\"error_code\":\"UPDATE_FAILED\"}", unknown.Body);
        var updated = await api.PatchAsync(basePath + "model-versions/update", new { name = "beta", version = "1.0.0", description = "d" });
        Assert.AreEqual("d", (string)updated.Json["model_version"]!["description"]!);
    }

    [TestMethod]
    public async Task Runs_DuplicateParamIs400_LogBatchSkipsDuplicates_FieldsOmittedWhenNull()
    {
        var (server, projectId) = await GitLabAsync();
        await using var serverScope = server;
        using var api = new Api(server.BaseAddress, Bearer(Token));
        var basePath = GitLabMlflow(projectId);
        var experimentId = (string)(await api.PostAsync(basePath + "experiments/create", new { name = "exp" })).Json["experiment_id"]!;
        var run = (await api.PostAsync(basePath + "runs/create", new { experiment_id = experimentId })).Json["run"]!;
        var runId = (string)run["info"]!["run_id"]!;
        StringAssert.Contains((string)run["info"]!["artifact_uri"]!, "/packages/ml_models/candidate:1/files/");
        Assert.IsFalse(run["info"]!.AsObject().ContainsKey("end_time"));

        Assert.AreEqual("{}", (await api.PostAsync(basePath + "runs/log-parameter", new { run_id = runId, key = "lr", value = "1" })).Body);
        var duplicate = await api.PostAsync(basePath + "runs/log-parameter", new { run_id = runId, key = "lr", value = "1" });
        Assert.AreEqual(400, duplicate.Code);
        Assert.AreEqual("INVALID_PARAMETER_VALUE", (string)duplicate.Json["error_code"]!);
        var batch = await api.PostAsync(basePath + "runs/log-batch", new
        {
            run_id = runId,
            @params = new[] { new { key = "lr", value = "2" }, new { key = "bs", value = "8" } },
            metrics = new object[] { new { key = "loss", value = 0.5, timestamp = 1 }, new { key = "loss", value = 0.4, timestamp = 2, step = 1 } },
        });
        Assert.AreEqual(200, batch.Code, batch.Body);
        var missingField = await api.PostAsync(basePath + "runs/log-batch", new { run_id = runId, metrics = new[] { new { key = "x", value = 1 } } });
        Assert.AreEqual("{\"error\":\"metrics[0][timestamp] is missing\"}", missingField.Body);

        var data = (await api.GetAsync(basePath + $"runs/get?run_id={runId}")).Json["run"]!["data"]!;
        Assert.AreEqual("1", (string)data["params"]!.AsArray().Single(p => (string)p!["key"]! == "lr")!["value"]!);
        Assert.HasCount(2, data["metrics"]!.AsArray(), "every logged row");
        Assert.IsFalse(data["metrics"]![0]!.AsObject().ContainsKey("step"));
        var finished = await api.PostAsync(basePath + "runs/update", new { run_id = runId, status = "FINISHED", end_time = 5 });
        Assert.AreEqual(5, (long)finished.Json["run_info"]!["end_time"]!);
    }
}
