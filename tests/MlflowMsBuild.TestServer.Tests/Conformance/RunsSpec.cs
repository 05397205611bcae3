using System.Text.Json.Nodes;
using static MlflowMsBuild.TestServer.Tests.Conformance.SpecFixture;

namespace MlflowMsBuild.TestServer.Tests.Conformance;

/// <summary>
/// spec/requests/api/ml/mlflow/runs_spec.rb against the GitLab double, one test (or one DataRow) per spec case.
/// 60 cases; 60 covered (the writes: RunsSpec.Writes.cs). "MLflow|shared error cases" is met by its unauthenticated and no-access contexts (the
/// feature-flag context has no counterpart in the double).
/// </summary>
[TestClass]
public sealed partial class RunsSpec
{
    private static async Task<JsonObject> DefaultParamsAsync(SpecFixture f, string endpoint) => endpoint switch
    {
        "runs/create" => new() { ["experiment_id"] = f.ExperimentId, ["start_time"] = 1718000000, ["run_name"] = "A new Run" },
        "runs/search" => new() { ["experiment_ids"] = new JsonArray(f.ExperimentId), ["max_results"] = 2 },
        "runs/update" => new() { ["run_id"] = f.CandidateId, ["status"] = "FAILED", ["end_time"] = 1718000001 },
        "runs/log-metric" => new() { ["run_id"] = f.CandidateId, ["key"] = "some_key", ["value"] = 10.0, ["timestamp"] = 1718000000 },
        "runs/log-parameter" or "runs/set-tag" => new() { ["run_id"] = f.CandidateId, ["key"] = "some_key", ["value"] = "value" },
        "runs/log-batch" => new()
        {
            ["run_id"] = f.CandidateId,
            ["metrics"] = JsonNode.Parse("""[{"key":"mae","value":2.5,"timestamp":1552550804},{"key":"rmse","value":2.7,"timestamp":1552550804}]"""),
            ["params"] = JsonNode.Parse("""[{"key":"model_class","value":"LogisticRegression"}]"""),
            ["tags"] = JsonNode.Parse("""[{"key":"tag1","value":"tag.value.1"}]"""),
        },
        "runs/delete" => new() { ["run_id"] = await RunWithoutVersionAsync(f) },
        _ => new() { ["run_id"] = f.CandidateId },
    };

    private static async Task<string> RunWithoutVersionAsync(SpecFixture f)
    {
        using var api = f.Api();
        return await f.CreateRunAsync(api, f.ExperimentId, "to-delete");
    }

    private static string Method(string endpoint) => endpoint == "runs/get" ? "GET" : "POST";

    private static async Task<JsonNode> RunAsync(SpecFixture f, string runId)
    {
        using var api = f.Api();
        var run = await api.GetAsync(f.Mlflow("runs/get?run_id=" + runId));
        Assert.AreEqual(200, run.Code, run.Body);
        return run.Json["run"]!;
    }

    [TestMethod]
    public async Task Create_CreatesTheRun()
    {
        await using var f = await StartAsync();
        using var api = f.Api();
        var body = await DefaultParamsAsync(f, "runs/create");
        body["tags"] = JsonNode.Parse("""[{"key":"hello","value":"world"}]""");

        var answer = await api.PostAsync(f.Mlflow("runs/create"), body);

        Assert.AreEqual(200, answer.Code, answer.Body);
        var run = answer.Json["run"]!;
        Assert.AreEqual(f.ExperimentId, (string)run["info"]!["experiment_id"]!);
        Assert.AreEqual("A new Run", (string)run["info"]!["run_name"]!);
        Assert.AreEqual(1718000000L, (long)run["info"]!["start_time"]!);
        Assert.AreEqual("RUNNING", (string)run["info"]!["status"]!);
        Assert.AreEqual("active", (string)run["info"]!["lifecycle_stage"]!);
        Assert.AreEqual("""{"metrics":[],"params":[],"tags":[{"key":"hello","value":"world"}]}""", run["data"]!.ToJsonString());
    }

    [TestMethod]
    [DataRow("when experiment id is not passed", null, 400, null)]
    [DataRow("when experiment id does not exist", "99999", 404, "RESOURCE_DOES_NOT_EXIST")]
    [DataRow("when experiment exists but is not part of the project", "another project", 404, "RESOURCE_DOES_NOT_EXIST")]
    public async Task Create_ErrorStates(string context, string? experimentId, int status, string? errorCode)
    {
        await using var f = await StartAsync();
        using var api = f.Api();
        var body = new JsonObject();
        if (experimentId is not null) body["experiment_id"] = experimentId == "another project" ? f.ExperimentId : experimentId;

        var answer = await f.SendAsync(api, "POST", "runs/create", body, experimentId == "another project" ? f.AnotherProjectId : null);

        Assert.AreEqual(status, answer.Code, context + ": " + answer.Body);
        if (errorCode is not null) Assert.AreEqual(errorCode, (string)answer.Json["error_code"]!);
    }

    [TestMethod]
    [DataRow("runs/create")]
    [DataRow("runs/get")]
    [DataRow("runs/search")]
    [DataRow("runs/update")]
    [DataRow("runs/log-metric")]
    [DataRow("runs/log-parameter")]
    [DataRow("runs/set-tag")]
    [DataRow("runs/log-batch")]
    [DataRow("runs/delete")]
    public async Task SharedErrorCases_NotAuthenticatedIsUnauthorized_UserWithoutAccessIsNotFound(string endpoint)
    {
        await using var f = await StartAsync();
        var body = await DefaultParamsAsync(f, endpoint);
        using var anonymous = f.Api(null);
        using var stranger = f.Api(DifferentUser);

        Assert.AreEqual(401, (await f.SendAsync(anonymous, Method(endpoint), endpoint, body)).Code);
        Assert.AreEqual(404, (await f.SendAsync(stranger, Method(endpoint), endpoint, body)).Code);
    }

    [TestMethod]
    [DataRow("runs/create")]
    [DataRow("runs/update")]
    [DataRow("runs/log-metric")]
    [DataRow("runs/log-parameter")]
    [DataRow("runs/set-tag")]
    [DataRow("runs/log-batch")]
    [DataRow("runs/delete")]
    public async Task RequiresApiScopeAndWritePermission(string endpoint)
    {
        await using var f = await StartAsync();
        var body = await DefaultParamsAsync(f, endpoint);
        using var readScope = f.Api(Read);
        using var reporter = f.Api(Reporter);

        Assert.AreEqual(403, (await f.SendAsync(readScope, "POST", endpoint, body)).Code, "token has wrong scope");
        Assert.AreEqual(401, (await f.SendAsync(reporter, "POST", endpoint, body)).Code, "user has access but is not allowed to write");
    }

    [TestMethod]
    [DataRow("runs/get")]
    [DataRow("runs/search")]
    public async Task RequiresReadApiScope(string endpoint)
    {
        await using var f = await StartAsync();
        using var noAccess = f.Api(NoAccess);

        var answer = await f.SendAsync(noAccess, Method(endpoint), endpoint, await DefaultParamsAsync(f, endpoint));

        Assert.AreEqual(403, answer.Code, answer.Body);
    }

    [TestMethod]
    [DataRow("runs/get")]
    [DataRow("runs/update")]
    [DataRow("runs/log-metric")]
    [DataRow("runs/log-parameter")]
    [DataRow("runs/set-tag")]
    [DataRow("runs/log-batch")]
    public async Task RunIdParamErrorCases(string endpoint)
    {
        await using var f = await StartAsync();
        using var api = f.Api();
        var body = await DefaultParamsAsync(f, endpoint);

        Assert.AreEqual(400, (await f.SendAsync(api, Method(endpoint), endpoint, new JsonObject())).Code, "when run id is not passed");
        body["run_id"] = "99999";
        var invalid = await f.SendAsync(api, Method(endpoint), endpoint, body);
        Assert.AreEqual("""{"error_code":"RESOURCE_DOES_NOT_EXIST"}""", invalid.Body, "when run_id is invalid");
        body["run_id"] = f.CandidateId;
        var elsewhere = await f.SendAsync(api, Method(endpoint), endpoint, body, f.AnotherProjectId);
        Assert.AreEqual("""{"error_code":"RESOURCE_DOES_NOT_EXIST"}""", elsewhere.Body, "when run_id is not in in the project");
        Assert.AreEqual(404, elsewhere.Code);
    }

    [TestMethod]
    public async Task Get_GetsTheRun()
    {
        await using var f = await StartAsync();

        var run = await RunAsync(f, f.CandidateId);

        Assert.AreEqual(f.ExperimentId, (string)run["info"]!["experiment_id"]!);
        Assert.AreEqual(1234L, (long)run["info"]!["start_time"]!);
        Assert.AreEqual(new Uri(f.Server.BaseAddress, $"api/v4/projects/{f.ProjectId}/packages/ml_models/candidate:1/files/").ToString(),
            (string)run["info"]!["artifact_uri"]!);
        Assert.AreEqual("RUNNING", (string)run["info"]!["status"]!);
        Assert.AreEqual("""[{"key":"p1","value":"a"},{"key":"p2","value":"b"}]""", run["data"]!["params"]!.ToJsonString());
        Assert.AreEqual("""[{"key":"t1","value":"a"},{"key":"t2","value":"b"}]""", run["data"]!["tags"]!.ToJsonString());
        CollectionAssert.AreEqual(new[] { "m1", "m2" }, run["data"]!["metrics"]!.AsArray().Select(m => (string)m!["key"]!).ToArray());
    }

    [TestMethod]
    public async Task Get_WithARelativeRootUrl_GetsARunIncludingAValidArtifactUri()
    {
        await using var f = await StartAsync(o => o.GitLabRelativeUrlRoot = "/gitlab/root");

        var run = await RunAsync(f, f.CandidateId);

        StringAssert.EndsWith((string)run["info"]!["artifact_uri"]!, $"/gitlab/root/api/v4/projects/{f.ProjectId}/packages/ml_models/candidate:1/files/");
    }

    /// <summary>Three runs in a fresh experiment: c (metric1 0.3), a (0.2), b (0.6), created in that order.</summary>
    private static async Task<(string Experiment, Dictionary<string, string> Runs)> SearchWorldAsync(SpecFixture f)
    {
        using var api = f.Api();
        var experiment = (string)(await api.PostAsync(f.Mlflow("experiments/create"), new { name = "search" })).Json["experiment_id"]!;
        var runs = new Dictionary<string, string>();
        foreach (var (name, value) in new[] { ("c", 0.3), ("a", 0.2), ("b", 0.6) })
        {
            runs[name] = await f.CreateRunAsync(api, experiment, name);
            await api.PostAsync(f.Mlflow("runs/log-metric"), new { run_id = runs[name], key = "metric1", value, timestamp = 1 });
        }

        return (experiment, runs);
    }

    [TestMethod]
    public async Task Search_SearchesRunsForAProject()
    {
        await using var f = await StartAsync();
        var (experiment, _) = await SearchWorldAsync(f);
        using var api = f.Api();

        var answer = await api.PostAsync(f.Mlflow("runs/search"), new { experiment_ids = new[] { experiment }, max_results = 2 });

        Assert.AreEqual(200, answer.Code);
        Assert.HasCount(2, answer.Json["runs"]!.AsArray());
        Assert.IsNotNull((string?)answer.Json["next_page_token"]);
    }

    [TestMethod]
    [DataRow("when ordering is not provided", null, "b,a,c")]
    [DataRow("when order by column is provided and column exists", "name ASC", "a,b,c")]
    [DataRow("when order by column is provided and column does not exist", "something DESC", "b,a,c")]
    [DataRow("when order by metric is provided and metric exists", "metrics.metric1", "b,c,a")]
    [DataRow("when order by params is provided", "params.something", "b,a,c")]
    public async Task Search_PaginatesRespectingTheProvidedOrderBy(string context, string? orderBy, string expected)
    {
        await using var f = await StartAsync();
        var (experiment, runs) = await SearchWorldAsync(f);
        using var api = f.Api();
        var body = new JsonObject { ["experiment_ids"] = new JsonArray(experiment), ["max_results"] = 2 };
        if (orderBy is not null) body["order_by"] = orderBy;

        var first = await api.PostAsync(f.Mlflow("runs/search"), body);
        body["page_token"] = (string)first.Json["next_page_token"]!;
        var second = await api.PostAsync(f.Mlflow("runs/search"), body);

        var order = first.Json["runs"]!.AsArray().Concat(second.Json["runs"]!.AsArray()).Select(r => (string)r!["info"]!["run_id"]!).ToArray();
        CollectionAssert.AreEqual(expected.Split(',').Select(n => runs[n]).ToArray(), order, context);
        Assert.IsNull(second.Json["next_page_token"], context);
        Assert.IsTrue(second.Object.ContainsKey("next_page_token"), "the key stays, null");
    }

    [TestMethod]
    public async Task Search_WhenOrderByMetricIsProvidedAndMetricDoesNotExist_ReturnsNoResults()
    {
        await using var f = await StartAsync();
        var (experiment, _) = await SearchWorldAsync(f);
        using var api = f.Api();

        var answer = await api.PostAsync(f.Mlflow("runs/search"), new { experiment_ids = new[] { experiment }, max_results = 2, order_by = "metrics.something" });

        Assert.IsEmpty(answer.Json["runs"]!.AsArray());
    }

    [TestMethod]
    [DataRow("when experiment_ids is not passed", null, 400)]
    [DataRow("when experiment_ids is empty", "[]", 404)]
    [DataRow("when experiment_ids is invalid", "[99999]", 404)]
    public async Task Search_ErrorStates(string context, string? experimentIds, int status)
    {
        await using var f = await StartAsync();
        using var api = f.Api();
        var body = new JsonObject();
        if (experimentIds is not null) body["experiment_ids"] = JsonNode.Parse(experimentIds);

        var answer = await api.PostAsync(f.Mlflow("runs/search"), body);

        Assert.AreEqual(status, answer.Code, context + ": " + answer.Body);
        if (status == 404) Assert.AreEqual("RESOURCE_DOES_NOT_EXIST", (string)answer.Json["error_code"]!);
    }
}
