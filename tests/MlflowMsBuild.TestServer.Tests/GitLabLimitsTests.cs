using System.Text.Json.Nodes;
using MlflowMsBuild.TestServer.Tests.Conformance;

namespace MlflowMsBuild.TestServer.Tests;

/// <summary>
/// The limits GitLab puts on run and model-version rows, in GitLab's words: the models' validations on single
/// writes, the tables' constraints on log-batch (insert_all), Grape's Float coercion on metric values.
/// </summary>
[TestClass]
public sealed class GitLabLimitsTests
{
    [TestMethod]
    public async Task LogBatch_ParamValueOf251Characters_400InvalidParameter_MetricsOfTheBatchStayed()
    {
        await using var f = await SpecFixture.StartAsync();
        using var api = f.Api();
        var runId = await f.CreateRunAsync(api, f.ExperimentId, "r");

        var answer = await api.PostAsync(f.Mlflow("runs/log-batch"), new
        {
            run_id = runId,
            metrics = new[] { new { key = "auc", value = 0.9, timestamp = 1 } },
            @params = new[] { new { key = "command_line", value = new string('x', 251) } },
            tags = new[] { new { key = "t", value = "v" } },
        });

        Assert.AreEqual(400, answer.Code);
        Assert.AreEqual("INVALID_PARAMETER_VALUE", (string)answer.Json["error_code"]!);
        StringAssert.StartsWith((string)answer.Json["message"]!, "PG::CheckViolation: ERROR:  new row for relation \"ml_candidate_params\" violates check constraint");
        var data = (await api.GetAsync(f.Mlflow("runs/get?run_id=" + runId))).Json["run"]!["data"]!;
        Assert.HasCount(1, data["metrics"]!.AsArray(), "metrics are inserted by their own statement, before the params");
        Assert.IsEmpty(data["params"]!.AsArray());
        Assert.IsEmpty(data["tags"]!.AsArray(), "tags come after the params");
    }

    [TestMethod]
    [DataRow("metrics", """[{"key":"k","value":1,"timestamp":1}]""", 250, true)]
    [DataRow("metrics", """[{"key":"k","value":1,"timestamp":1}]""", 251, false)]
    [DataRow("params", """[{"key":"k","value":"v"}]""", 250, true)]
    [DataRow("params", """[{"key":"k","value":"v"}]""", 251, false)]
    [DataRow("tags", """[{"key":"k","value":"v"}]""", 255, true)]
    [DataRow("tags", """[{"key":"k","value":"v"}]""", 256, false)]
    public async Task LogBatch_KeyLength_TheTablesLimit(string list, string items, int length, bool accepted)
    {
        await using var f = await SpecFixture.StartAsync();
        using var api = f.Api();
        var elements = JsonNode.Parse(items)!.AsArray();
        elements[0]!["key"] = new string('k', length);

        var answer = await api.PostAsync(f.Mlflow("runs/log-batch"), new JsonObject { ["run_id"] = f.CandidateId, [list] = elements });

        Assert.AreEqual(accepted ? 200 : 400, answer.Code, answer.Body);
    }

    [TestMethod]
    [DataRow(5000, 200)]
    [DataRow(5001, 400)]
    public async Task LogBatch_TagValueLength_5000(int length, int status)
    {
        await using var f = await SpecFixture.StartAsync();
        using var api = f.Api();

        var answer = await api.PostAsync(f.Mlflow("runs/log-batch"), new { run_id = f.CandidateId, tags = new[] { new { key = "long", value = new string('v', length) } } });

        Assert.AreEqual(status, answer.Code, answer.Body);
    }

    [TestMethod]
    [DataRow("NaN")]
    [DataRow("Infinity")]
    [DataRow("-Infinity")]
    public async Task NonFiniteMetricValue_RefusedAsGrapesFloatRefusesIt(string value)
    {
        await using var f = await SpecFixture.StartAsync();
        using var api = f.Api();

        var single = await api.PostAsync(f.Mlflow("runs/log-metric"), new { run_id = f.CandidateId, key = "f1", value, timestamp = 1 });
        var batch = await api.PostAsync(f.Mlflow("runs/log-batch"), new
        {
            run_id = f.CandidateId,
            metrics = new object[] { new { key = "ok", value = 1.0, timestamp = 1 }, new { key = "f1", value, timestamp = 1 } },
        });

        Assert.AreEqual("""{"error":"value is invalid"}""", single.Body);
        Assert.AreEqual("""{"error":"metrics[1][value] is invalid"}""", batch.Body);
        Assert.HasCount(2, (await api.GetAsync(f.Mlflow("runs/get?run_id=" + f.CandidateId))).Json["run"]!["data"]!["metrics"]!.AsArray(), "nothing of the batch was stored");
    }

    [TestMethod]
    public async Task LogMetric_NumberInAString_Accepted()
    {
        await using var f = await SpecFixture.StartAsync();
        using var api = f.Api();

        Assert.AreEqual("{}", (await api.PostAsync(f.Mlflow("runs/log-metric"), new { run_id = f.CandidateId, key = "f1", value = "0.5", timestamp = 1 })).Body);
    }

    [TestMethod]
    [DataRow("runs/log-parameter", 251, "v", "Validation failed: Name is too long (maximum is 250 characters)")]
    [DataRow("runs/log-parameter", 1, "", "Validation failed: Value can't be blank")]
    [DataRow("runs/set-tag", 251, "v", "Validation failed: Name is too long (maximum is 250 characters)")]
    public async Task SingleWrites_TheModelsValidations(string endpoint, int keyLength, string value, string message)
    {
        await using var f = await SpecFixture.StartAsync();
        using var api = f.Api();

        var answer = await api.PostAsync(f.Mlflow(endpoint), new { run_id = f.CandidateId, key = new string('k', keyLength), value });

        Assert.AreEqual(400, answer.Code);
        Assert.AreEqual(message, (string)answer.Json["message"]!);
    }

    [TestMethod]
    public async Task LogParameter_ValueOf251Characters_ValidationFailed()
    {
        await using var f = await SpecFixture.StartAsync();
        using var api = f.Api();

        var answer = await api.PostAsync(f.Mlflow("runs/log-parameter"), new { run_id = f.CandidateId, key = "command_line", value = new string('x', 251) });

        Assert.AreEqual("""{"error_code":"INVALID_PARAMETER_VALUE","message":"Validation failed: Value is too long (maximum is 250 characters)"}""", answer.Body);
    }

    [TestMethod]
    [DataRow(5001, "Validation failed: Value is too long (maximum is 5000 characters)")]
    [DataRow(0, "Validation failed: Value can't be blank")]
    public async Task VersionCreate_TagValueOverLimitOrEmpty_ArrayMessage_NoVersionLeft(int length, string message)
    {
        await using var f = await SpecFixture.StartAsync();
        using var api = f.Api();
        await api.PostAsync(f.Mlflow("registered-models/create"), new { name = "m" });

        var answer = await api.PostAsync(f.Mlflow("model-versions/create"), new { name = "m", tags = new[] { new { key = "k", value = new string('v', length) } } });

        Assert.AreEqual(400, answer.Code);
        Assert.AreEqual(new JsonArray(message).ToJsonString(), answer.Json["message"]!.ToJsonString());
        Assert.IsEmpty((await api.GetAsync(f.Mlflow("registered-models/get?name=m"))).Json["registered_model"]!["latest_versions"]!.AsArray());
    }
}
