using System.Text.Json.Nodes;
using MlflowMsBuild.TestServer.Tests.TestUtilities;
using static MlflowMsBuild.TestServer.Tests.TestUtilities.Servers;

namespace MlflowMsBuild.TestServer.Tests;

[TestClass]
public sealed class MlflowTrackingTests
{
    [TestMethod]
    public async Task Experiments_CreateGetByNameAndDefaultExperiment()
    {
        await using var server = await MlflowAsync();
        using var api = new Api(server.BaseAddress);

        var created = await api.PostAsync(MlflowApi + "experiments/create", new { name = "cs-smoke-a" });
        Assert.AreEqual("1", (string)created.Json["experiment_id"]!);
        var byName = await api.GetAsync(MlflowApi + "experiments/get-by-name?experiment_name=cs-smoke-a");
        var experiment = byName.Json["experiment"]!;
        Assert.AreEqual("mlflow-artifacts:/1", (string)experiment["artifact_location"]!);
        Assert.IsTrue((long)experiment["creation_time"]! > 1_000_000_000_000, "milliseconds");

        var missing = await api.GetAsync(MlflowApi + "experiments/get-by-name?experiment_name=nope");
        Assert.AreEqual(404, missing.Code);
        Assert.AreEqual("RESOURCE_DOES_NOT_EXIST", (string)missing.Json["error_code"]!);

        var duplicate = await api.PostAsync(MlflowApi + "experiments/create", new { name = "cs-smoke-a" });
        Assert.AreEqual(400, duplicate.Code);
        Assert.AreEqual("RESOURCE_ALREADY_EXISTS", (string)duplicate.Json["error_code"]!);

        var search = await api.GetAsync(MlflowApi + "experiments/search?max_results=5");
        CollectionAssert.AreEquivalent(new[] { "1", "0" }, search.Json["experiments"]!.AsArray().Select(e => (string)e!["experiment_id"]!).ToArray());
    }

    [TestMethod]
    public async Task Runs_CreateOmitsEndTimeAndEmptyData_UpdateReturnsRunInfo()
    {
        await using var server = await MlflowAsync();
        using var api = new Api(server.BaseAddress);
        var (experimentId, runId, artifactUri) = await MlflowRunAsync(api);

        Assert.AreEqual(32, runId.Length, "32 hex characters, no dashes");
        Assert.AreEqual($"mlflow-artifacts:/{experimentId}/{runId}/artifacts", artifactUri);
        var got = (await api.GetAsync(MlflowApi + $"runs/get?run_id={runId}")).Json["run"]!.AsObject();
        Assert.IsFalse(got["info"]!.AsObject().ContainsKey("end_time"));
        Assert.IsFalse(got["data"]!.AsObject().ContainsKey("metrics"), "empty repeated fields are omitted");
        Assert.AreEqual("r1", (string)got["data"]!["tags"]![0]!["value"]!);
        Assert.IsTrue(got.ContainsKey("inputs"));

        var updated = await api.PostAsync(MlflowApi + "runs/update", new { run_id = runId, status = "FINISHED", end_time = 1795833756000 });
        Assert.AreEqual("FINISHED", (string)updated.Json["run_info"]!["status"]!);
        Assert.AreEqual(1795833756000, (long)updated.Json["run_info"]!["end_time"]!);

        var unknown = await api.GetAsync(MlflowApi + "runs/get?run_id=doesnotexist");
        Assert.AreEqual(404, unknown.Code);
        Assert.AreEqual("{\"error_code\": \"RESOURCE_DOES_NOT_EXIST\", \"message\": \"Run with id=doesnotexist not found\"}", unknown.Body);
    }

    [TestMethod]
    public async Task LogBatch_LatestMetricPerKey_ParamChangeRejected_SameValueAccepted()
    {
        await using var server = await MlflowAsync();
        using var api = new Api(server.BaseAddress);
        var (_, runId, _) = await MlflowRunAsync(api);

        var batch = await api.PostAsync(MlflowApi + "runs/log-batch", JsonNode.Parse($$"""
            {"run_id":"{{runId}}","params":[{"key":"lr","value":"0.01"}],
             "metrics":[{"key":"acc","value":0.5,"timestamp":1,"step":1},{"key":"acc","value":0.9,"timestamp":2,"step":2},{"key":"nan","value":"NaN","timestamp":1}],
             "tags":[{"key":"t1","value":"x"}]}
            """)!);
        Assert.AreEqual(200, batch.Code, batch.Body);
        Assert.AreEqual("{}", batch.Body);

        var again = await api.PostAsync(MlflowApi + "runs/log-batch", new { run_id = runId, @params = new[] { new { key = "lr", value = "0.01" } } });
        Assert.AreEqual(200, again.Code, "re-logging the same value is fine");
        var changed = await api.PostAsync(MlflowApi + "runs/log-parameter", new { run_id = runId, key = "lr", value = "0.02" });
        Assert.AreEqual(400, changed.Code);
        Assert.AreEqual("INVALID_PARAMETER_VALUE", (string)changed.Json["error_code"]!);

        var data = (await api.GetAsync(MlflowApi + $"runs/get?run_id={runId}")).Json["run"]!["data"]!;
        var acc = data["metrics"]!.AsArray().Single(m => (string)m!["key"]! == "acc")!;
        Assert.AreEqual(0.9, (double)acc["value"]!);
        Assert.AreEqual("NaN", (string)data["metrics"]!.AsArray().Single(m => (string)m!["key"]! == "nan")!["value"]!);
        var history = await api.GetAsync(MlflowApi + $"metrics/get-history?run_id={runId}&metric_key=acc");
        Assert.HasCount(2, history.Json["metrics"]!.AsArray());
    }

    [TestMethod]
    public async Task LogBatch_EnforcesLimitsKeysAndDuplicates()
    {
        await using var server = await MlflowAsync();
        using var api = new Api(server.BaseAddress);
        var (_, runId, _) = await MlflowRunAsync(api);

        var tooManyMetrics = Enumerable.Range(0, 1001).Select(i => new { key = "m", value = 1.0, timestamp = 1L, step = (long)i });
        var tooManyParams = Enumerable.Range(0, 101).Select(i => new { key = $"p{i}", value = "v" });
        var tooManyTags = Enumerable.Range(0, 101).Select(i => new { key = $"t{i}", value = "v" });
        foreach (var body in new object[]
        {
            new { run_id = runId, metrics = tooManyMetrics },
            new { run_id = runId, @params = tooManyParams },
            new { run_id = runId, tags = tooManyTags },
            new { run_id = runId, @params = new[] { new { key = "a", value = "1" }, new { key = "a", value = "2" } } },
            new { run_id = runId, @params = new[] { new { key = "bad*key", value = "1" } } },
            new { run_id = runId, @params = new[] { new { key = "a/../b", value = "1" } } },
            new { run_id = runId, tags = new[] { new { key = new string('k', 251), value = "1" } } },
        })
        {
            var answer = await api.PostAsync(MlflowApi + "runs/log-batch", body);
            Assert.AreEqual(400, answer.Code, answer.Body);
            Assert.AreEqual("INVALID_PARAMETER_VALUE", (string)answer.Json["error_code"]!);
        }
        var run = await api.GetAsync(MlflowApi + $"runs/get?run_id={runId}");
        Assert.IsFalse(run.Json["run"]!["data"]!.AsObject().ContainsKey("params"), "a refused batch stores nothing");
    }

    [TestMethod]
    public async Task Post_WithoutJsonContentType_Is400_UnknownRouteIsHtml404_WrongMethodIs405()
    {
        await using var server = await MlflowAsync();
        using var api = new Api(server.BaseAddress);

        var noType = await api.SendAsync(HttpMethod.Post, MlflowApi + "experiments/create", Api.JsonWithoutContentType("{\"name\":\"x\"}"));
        Assert.AreEqual(400, noType.Code);
        StringAssert.Contains(noType.Body, "Content-Type");
        var textPlain = await api.SendAsync(HttpMethod.Post, MlflowApi + "experiments/create", new StringContent("{\"name\":\"x\"}"));
        Assert.AreEqual(400, textPlain.Code);

        var unknown = await api.GetAsync(MlflowApi + "logged-models/get?model_id=m-1");
        Assert.AreEqual(404, unknown.Code);
        StringAssert.StartsWith(unknown.Header("Content-Type"), "text/html");
        var wrongMethod = await api.PostAsync(MlflowApi + "runs/get", new { run_id = "x" });
        Assert.AreEqual(405, wrongMethod.Code);
    }

    [TestMethod]
    public async Task TypesAreChecked_NumbersForStringFieldsAreRejected()
    {
        await using var server = await MlflowAsync();
        using var api = new Api(server.BaseAddress);
        var answer = await api.PostAsync(MlflowApi + "runs/create", new { experiment_id = 0 });
        Assert.AreEqual(400, answer.Code);
        StringAssert.Contains((string)answer.Json["message"]!, "experiment_id");
        var ok = await api.PostAsync(MlflowApi + "runs/create", new { experiment_id = "0", start_time = "1795833756000" });
        Assert.AreEqual(1795833756000, (long)ok.Json["run"]!["info"]!["start_time"]!, "int64 may come as a string");
    }

    [TestMethod]
    public async Task Auth_WhenConfigured_BearerOrBasicRequired()
    {
        await using var server = await MlflowAsync(o =>
        {
            o.MlflowBearerToken = "secret-token";
            o.MlflowUsername = "alice";
            o.MlflowPassword = "pw";
        });
        using var anonymous = new Api(server.BaseAddress);
        var refused = await anonymous.GetAsync(MlflowApi + "experiments/search");
        Assert.AreEqual(401, refused.Code);
        Assert.AreEqual("Basic realm=\"mlflow\"", refused.Header("WWW-Authenticate"));

        using var bearer = new Api(server.BaseAddress, ("Authorization", "Bearer secret-token"));
        Assert.AreEqual(200, (await bearer.GetAsync(MlflowApi + "experiments/search")).Code);
        var basic = Convert.ToBase64String("alice:pw"u8.ToArray());
        using var basicApi = new Api(server.BaseAddress, ("Authorization", "Basic " + basic));
        Assert.AreEqual(200, (await basicApi.GetAsync(MlflowApi + "experiments/search")).Code);
    }

    [TestMethod]
    public async Task RunsSearch_FiltersOnMetricsAndTags_OrdersAndPages()
    {
        await using var server = await MlflowAsync();
        using var api = new Api(server.BaseAddress);
        var (experimentId, first, _) = await MlflowRunAsync(api);
        var second = (string)(await api.PostAsync(MlflowApi + "runs/create", new { experiment_id = experimentId, run_name = "r2" })).Json["run"]!["info"]!["run_id"]!;
        await api.PostAsync(MlflowApi + "runs/log-metric", new { run_id = first, key = "acc", value = 0.4, timestamp = 1 });
        await api.PostAsync(MlflowApi + "runs/log-metric", new { run_id = second, key = "acc", value = 0.8, timestamp = 1 });
        await api.PostAsync(MlflowApi + "runs/set-tag", new { run_id = second, key = "stage", value = "eval" });

        var better = await api.PostAsync(MlflowApi + "runs/search", new { experiment_ids = new[] { experimentId }, filter = "metrics.acc > 0.5 and tags.stage = 'eval'" });
        Assert.AreEqual(second, (string)better.Json["runs"]![0]!["info"]!["run_id"]!);
        Assert.HasCount(1, better.Json["runs"]!.AsArray());
        var ordered = await api.PostAsync(MlflowApi + "runs/search", new { experiment_ids = new[] { experimentId }, order_by = new[] { "metrics.acc ASC" }, max_results = 1 });
        Assert.AreEqual(first, (string)ordered.Json["runs"]![0]!["info"]!["run_id"]!);
        Assert.IsTrue(ordered.Object.ContainsKey("next_page_token"));
        var bad = await api.PostAsync(MlflowApi + "runs/search", new { experiment_ids = new[] { experimentId }, filter = "metrics.acc >" });
        Assert.AreEqual(400, bad.Code);
    }
}
