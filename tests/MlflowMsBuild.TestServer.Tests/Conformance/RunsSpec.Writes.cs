using System.Text.Json.Nodes;
using static MlflowMsBuild.TestServer.Tests.Conformance.SpecFixture;

namespace MlflowMsBuild.TestServer.Tests.Conformance;

/// <summary>runs_spec.rb's cases for the endpoints that change a run: update, log-metric, log-parameter, set-tag, log-batch, delete.</summary>
public sealed partial class RunsSpec
{
    [TestMethod]
    public async Task Update_UpdatesTheRun()
    {
        await using var f = await StartAsync();
        using var api = f.Api();

        var answer = await api.PostAsync(f.Mlflow("runs/update"), await DefaultParamsAsync(f, "runs/update"));

        Assert.AreEqual(200, answer.Code, answer.Body);
        var info = answer.Json["run_info"]!;
        Assert.AreEqual("FAILED", (string)info["status"]!);
        Assert.AreEqual(1718000001L, (long)info["end_time"]!);
        Assert.AreEqual(1234L, (long)info["start_time"]!);
    }

    [TestMethod]
    [DataRow("when status in invalid", "status", "YOLO")]
    [DataRow("when end_time is invalid", "end_time", "s")]
    public async Task Update_ErrorStates_IsBadRequest(string context, string field, string value)
    {
        await using var f = await StartAsync();
        using var api = f.Api();
        var body = await DefaultParamsAsync(f, "runs/update");
        body[field] = value;

        var answer = await api.PostAsync(f.Mlflow("runs/update"), body);

        Assert.AreEqual(400, answer.Code, context);
    }

    [TestMethod]
    public async Task LogMetric_LogsTheMetric()
    {
        await using var f = await StartAsync();
        using var api = f.Api();

        var answer = await api.PostAsync(f.Mlflow("runs/log-metric"), await DefaultParamsAsync(f, "runs/log-metric"));

        Assert.AreEqual("{}", answer.Body);
        Assert.HasCount(3, (await RunAsync(f, f.CandidateId))["data"]!["metrics"]!.AsArray());
    }

    [TestMethod]
    [DataRow("runs/log-metric", "key,value,timestamp")]
    [DataRow("runs/log-parameter", "key,value")]
    [DataRow("runs/set-tag", "key,value")]
    public async Task BadRequestOnMissingRequired(string endpoint, string keys)
    {
        await using var f = await StartAsync();
        using var api = f.Api();
        foreach (var key in keys.Split(','))
        {
            var body = await DefaultParamsAsync(f, endpoint);
            body.Remove(key);

            var answer = await api.PostAsync(f.Mlflow(endpoint), body);

            Assert.AreEqual($$"""{"error":"{{key}} is missing"}""", answer.Body, $"when \"{key}\" is missing");
        }
    }

    [TestMethod]
    public async Task LogParameter_LogsTheParameter()
    {
        await using var f = await StartAsync();
        using var api = f.Api();

        Assert.AreEqual("{}", (await api.PostAsync(f.Mlflow("runs/log-parameter"), await DefaultParamsAsync(f, "runs/log-parameter"))).Body);

        Assert.HasCount(3, (await RunAsync(f, f.CandidateId))["data"]!["params"]!.AsArray());
    }

    [TestMethod]
    [DataRow("runs/log-parameter", "p1")]
    [DataRow("runs/set-tag", "t1")]
    public async Task WhenAlreadyLogged_IsBadRequest(string endpoint, string existingKey)
    {
        await using var f = await StartAsync();
        using var api = f.Api();
        var body = await DefaultParamsAsync(f, endpoint);
        body["key"] = existingKey;

        var answer = await api.PostAsync(f.Mlflow(endpoint), body);

        Assert.AreEqual(400, answer.Code);
        Assert.AreEqual("INVALID_PARAMETER_VALUE", (string)answer.Json["error_code"]!);
    }

    [TestMethod]
    public async Task SetTag_LogsTheTag()
    {
        await using var f = await StartAsync();
        using var api = f.Api();

        Assert.AreEqual("{}", (await api.PostAsync(f.Mlflow("runs/set-tag"), await DefaultParamsAsync(f, "runs/set-tag"))).Body);

        CollectionAssert.Contains((await RunAsync(f, f.CandidateId))["data"]!["tags"]!.AsArray().Select(t => (string)t!["key"]!).ToList(), "some_key");
    }

    [TestMethod]
    public async Task LogBatch_LogsParametersAndMetrics()
    {
        await using var f = await StartAsync();
        using var api = f.Api();
        var body = await DefaultParamsAsync(f, "runs/log-batch");
        body["run_id"] = await f.CreateRunAsync(api, f.ExperimentId, "candidate2");

        Assert.AreEqual("{}", (await api.PostAsync(f.Mlflow("runs/log-batch"), body)).Body);

        var data = (await RunAsync(f, (string)body["run_id"]!))["data"]!;
        Assert.HasCount(1, data["params"]!.AsArray());
        Assert.HasCount(1, data["tags"]!.AsArray());
        Assert.HasCount(2, data["metrics"]!.AsArray());
    }

    [TestMethod]
    [DataRow("when parameter was already logged: does not log", "params")]
    [DataRow("when tag was already logged: logs only 1", "tags")]
    public async Task LogBatch_DuplicateKey_LogsOnlyTheFirst(string context, string list)
    {
        await using var f = await StartAsync();
        using var api = f.Api();
        var runId = await f.CreateRunAsync(api, f.ExperimentId, "candidate2");
        var body = new JsonObject { ["run_id"] = runId, [list] = JsonNode.Parse("""[{"key":"hello","value":"a"},{"key":"hello","value":"b"}]""") };

        var answer = await api.PostAsync(f.Mlflow("runs/log-batch"), body);

        Assert.AreEqual(200, answer.Code, context);
        Assert.AreEqual("""[{"key":"hello","value":"a"}]""", (await RunAsync(f, runId))["data"]![list]!.ToJsonString(), context);
    }

    [TestMethod]
    [DataRow("when required metric key is missing", "metrics", """[{"value":2.5,"timestamp":1}]""", "metrics[0][key] is missing")]
    [DataRow("when required param key is missing", "params", """[{"value":"LogisticRegression"}]""", "params[0][key] is missing")]
    public async Task LogBatch_ErrorCases_IsBadRequest(string context, string list, string items, string error)
    {
        await using var f = await StartAsync();
        using var api = f.Api();
        var body = await DefaultParamsAsync(f, "runs/log-batch");
        body[list] = JsonNode.Parse(items);

        var answer = await api.PostAsync(f.Mlflow("runs/log-batch"), body);

        Assert.AreEqual(400, answer.Code, context);
        Assert.AreEqual(error, (string)answer.Json["error"]!);
    }

    [TestMethod]
    public async Task Delete_DeletesTheRun()
    {
        await using var f = await StartAsync();
        using var api = f.Api();
        var body = await DefaultParamsAsync(f, "runs/delete");

        Assert.AreEqual("{}", (await api.PostAsync(f.Mlflow("runs/delete"), body)).Body);

        Assert.AreEqual(404, (await api.GetAsync(f.Mlflow("runs/get?run_id=" + (string)body["run_id"]!))).Code);
    }

    [TestMethod]
    [DataRow("when run does not exist", "99999", 404)]
    [DataRow("when run_id is not passed", null, 400)]
    public async Task Delete_ErrorStates(string context, string? runId, int status)
    {
        await using var f = await StartAsync();
        using var api = f.Api();

        var answer = await api.PostAsync(f.Mlflow("runs/delete"), runId is null ? new JsonObject() : new JsonObject { ["run_id"] = runId });

        Assert.AreEqual(status, answer.Code, context);
        if (status == 404) Assert.AreEqual("RESOURCE_DOES_NOT_EXIST", (string)answer.Json["error_code"]!);
    }

    [TestMethod]
    public async Task Delete_WhenRunHasAModelVersionAssociated_DoesNotDeleteTheCandidate()
    {
        await using var f = await StartAsync();
        using var api = f.Api();
        await api.PostAsync(f.Mlflow("registered-models/create"), new { name = "abc" });
        var version = await api.PostAsync(f.Mlflow("model-versions/create"), new { name = "abc" });
        var runId = (string)version.Json["model_version"]!["run_id"]!;

        var answer = await api.PostAsync(f.Mlflow("runs/delete"), new { run_id = runId });

        Assert.AreEqual("""{"message":"Cannot delete a candidate associated to a model version"}""", answer.Body);
        await RunAsync(f, runId);
    }
}
