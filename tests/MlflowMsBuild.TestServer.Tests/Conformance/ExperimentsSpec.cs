using System.Text.Json.Nodes;
using MlflowMsBuild.TestServer.Tests.TestUtilities;
using static MlflowMsBuild.TestServer.Tests.Conformance.SpecFixture;

namespace MlflowMsBuild.TestServer.Tests.Conformance;

/// <summary>
/// spec/requests/api/ml/mlflow/experiments_spec.rb against the GitLab double: 38 cases; 38 covered. "MLflow|shared
/// error cases" is met by its unauthenticated and no-access contexts (the feature-flag context has no counterpart).
/// </summary>
[TestClass]
public sealed class ExperimentsSpec
{
    private static readonly Dictionary<string, (string Method, Func<SpecFixture, JsonObject> Body)> Routes = new()
    {
        ["experiments/get"] = ("GET", f => new() { ["experiment_id"] = f.ExperimentId }),
        ["experiments/list"] = ("GET", _ => new()),
        ["experiments/get-by-name"] = ("GET", _ => new() { ["experiment_name"] = "experiment" }),
        ["experiments/create"] = ("POST", _ => new() { ["name"] = "new_experiment" }),
        ["experiments/set-experiment-tag"] = ("POST", f => new() { ["experiment_id"] = f.ExperimentId, ["key"] = "some_key", ["value"] = "value" }),
        ["experiments/search"] = ("POST", _ => new() { ["max_results"] = 2 }),
        ["experiments/delete"] = ("POST", f => new() { ["experiment_id"] = f.ExperimentId }),
    };

    private static async Task<Answer> SendAsync(SpecFixture f, string? token, string endpoint, JsonObject? body = null, int? projectId = null)
    {
        using var api = f.Api(token);
        return await f.SendAsync(api, Routes[endpoint].Method, endpoint, body ?? Routes[endpoint].Body(f), projectId);
    }

    private const string PresentedExperiment =
        """{"experiment_id":"1","name":"experiment","lifecycle_stage":"active","artifact_location":"not_implemented","tags":[{"key":"e1","value":"v1"},{"key":"e2","value":"v2"}]}""";

    [TestMethod]
    [DataRow("experiments/get")]
    [DataRow("experiments/list")]
    [DataRow("experiments/get-by-name")]
    [DataRow("experiments/create")]
    [DataRow("experiments/set-experiment-tag")]
    [DataRow("experiments/search")]
    [DataRow("experiments/delete")]
    public async Task SharedErrorCases_NotAuthenticatedIsUnauthorized_UserWithoutAccessIsNotFound(string endpoint)
    {
        await using var f = await StartAsync();

        Assert.AreEqual(401, (await SendAsync(f, null, endpoint)).Code);
        Assert.AreEqual(404, (await SendAsync(f, DifferentUser, endpoint)).Code);
    }

    [TestMethod]
    [DataRow("experiments/get")]
    [DataRow("experiments/list")]
    [DataRow("experiments/get-by-name")]
    public async Task RequiresReadApiScope(string endpoint)
    {
        await using var f = await StartAsync();

        Assert.AreEqual(403, (await SendAsync(f, NoAccess, endpoint)).Code);
    }

    [TestMethod]
    [DataRow("experiments/create")]
    [DataRow("experiments/set-experiment-tag")]
    [DataRow("experiments/search")]
    [DataRow("experiments/delete")]
    public async Task RequiresApiScopeAndWritePermission(string endpoint)
    {
        await using var f = await StartAsync();

        Assert.AreEqual(403, (await SendAsync(f, Read, endpoint)).Code, "token has wrong scope");
        Assert.AreEqual(401, (await SendAsync(f, Reporter, endpoint)).Code, "user has access but is not allowed to write");
    }

    [TestMethod]
    [DataRow("experiments/get")]
    [DataRow("experiments/get-by-name")]
    public async Task ReturnsTheExperiment(string endpoint)
    {
        await using var f = await StartAsync();

        var answer = await SendAsync(f, Write, endpoint);

        Assert.AreEqual(PresentedExperiment, answer.Json["experiment"]!.ToJsonString());
    }

    [TestMethod]
    [DataRow("experiments/get", """{"experiment_id":"99999"}""")]
    [DataRow("experiments/get", """{}""")]
    [DataRow("experiments/get-by-name", """{"experiment_name":"random_experiment"}""")]
    [DataRow("experiments/get-by-name", """{}""")]
    public async Task WhenHasAccess_ExperimentDoesNotExistOrIsNotPassed_IsResourceDoesNotExist(string endpoint, string body)
    {
        await using var f = await StartAsync();

        var answer = await SendAsync(f, Write, endpoint, JsonNode.Parse(body)!.AsObject());

        Assert.AreEqual(404, answer.Code);
        Assert.AreEqual("""{"error_code":"RESOURCE_DOES_NOT_EXIST"}""", answer.Body);
    }

    [TestMethod]
    public async Task List_ReturnsTheExperiments()
    {
        await using var f = await StartAsync();

        var answer = await SendAsync(f, Write, "experiments/list");

        Assert.AreEqual($"[{PresentedExperiment}]", answer.Json["experiments"]!.ToJsonString());
    }

    [TestMethod]
    public async Task List_WhenThereAreNoExperiments_ReturnsAnEmptyList()
    {
        await using var f = await StartAsync();

        var answer = await SendAsync(f, Write, "experiments/list", null, f.AnotherProjectId);

        Assert.AreEqual("""{"experiments":[]}""", answer.Body);
    }

    [TestMethod]
    public async Task Create_CreatesTheExperiment()
    {
        await using var f = await StartAsync();

        var answer = await SendAsync(f, Write, "experiments/create");

        Assert.AreEqual(200, answer.Code);
        Assert.IsNotNull((string?)answer.Json["experiment_id"]);
    }

    [TestMethod]
    public async Task Create_WhenExperimentNameIsNotPassed_IsBadRequest()
    {
        await using var f = await StartAsync();

        Assert.AreEqual("""{"error":"name is missing"}""", (await SendAsync(f, Write, "experiments/create", new JsonObject())).Body);
    }

    [TestMethod]
    public async Task Create_WhenExperimentNameAlreadyExists_IsBadRequest()
    {
        await using var f = await StartAsync();

        var answer = await SendAsync(f, Write, "experiments/create", new JsonObject { ["name"] = "experiment" });

        Assert.AreEqual(400, answer.Code);
        Assert.AreEqual("""{"error_code":"RESOURCE_ALREADY_EXISTS"}""", answer.Body);
    }

    [TestMethod]
    public async Task Create_WhenProjectDoesNotExist_IsNotFound()
    {
        await using var f = await StartAsync();

        var answer = await SendAsync(f, Write, "experiments/create", null, 99999);

        Assert.AreEqual("404 Project Not Found", (string)answer.Json["message"]!);
    }

    [TestMethod]
    public async Task SetExperimentTag_LogsTheTag()
    {
        await using var f = await StartAsync();

        Assert.AreEqual("{}", (await SendAsync(f, Write, "experiments/set-experiment-tag")).Body);

        var experiment = await SendAsync(f, Write, "experiments/get");
        CollectionAssert.Contains(experiment.Json["experiment"]!["tags"]!.AsArray().Select(t => (string)t!["key"]!).ToList(), "some_key");
    }

    [TestMethod]
    public async Task SetExperimentTag_WhenTagWasAlreadySet_IsBadRequest()
    {
        await using var f = await StartAsync();
        var body = Routes["experiments/set-experiment-tag"].Body(f);
        body["key"] = "e1";

        Assert.AreEqual(400, (await SendAsync(f, Write, "experiments/set-experiment-tag", body)).Code);
    }

    [TestMethod]
    public async Task SetExperimentTag_BadRequestOnMissingRequired()
    {
        await using var f = await StartAsync();
        foreach (var key in new[] { "key", "value" })
        {
            var body = Routes["experiments/set-experiment-tag"].Body(f);
            body.Remove(key);

            Assert.AreEqual($$"""{"error":"{{key}} is missing"}""", (await SendAsync(f, Write, "experiments/set-experiment-tag", body)).Body);
        }
    }

    /// <summary>The spec's three experiments: "experiment" (1), "experiment_2" (b), "experiment_1" (c), created in that order.</summary>
    private static async Task<Dictionary<string, string>> SearchWorldAsync(SpecFixture f)
    {
        var ids = new Dictionary<string, string> { ["experiment"] = f.ExperimentId };
        foreach (var name in new[] { "experiment_2", "experiment_1" })
        {
            ids[name] = (string)(await SendAsync(f, Write, "experiments/create", new JsonObject { ["name"] = name })).Json["experiment_id"]!;
        }

        return ids;
    }

    [TestMethod]
    public async Task Search_ReturnsAllTheModels()
    {
        await using var f = await StartAsync();
        await SearchWorldAsync(f);

        var answer = await SendAsync(f, Write, "experiments/search");

        Assert.AreEqual(200, answer.Code);
        Assert.HasCount(2, answer.Json["experiments"]!.AsArray());
    }

    [TestMethod]
    [DataRow("when ordering is not provided", null, "experiment_1,experiment_2,experiment")]
    [DataRow("when order by column is provided and column exists", "name ASC", "experiment,experiment_1,experiment_2")]
    [DataRow("when order by column is provided and column does not exist", "something DESC", "experiment_1,experiment_2,experiment")]
    public async Task Search_PaginatesRespectingTheProvidedOrderBy(string context, string? orderBy, string expected)
    {
        await using var f = await StartAsync();
        var ids = await SearchWorldAsync(f);
        var body = new JsonObject { ["max_results"] = 2 };
        if (orderBy is not null) body["order_by"] = orderBy;

        var first = await SendAsync(f, Write, "experiments/search", body);
        var next = (JsonObject)body.DeepClone();
        next["page_token"] = (string)first.Json["next_page_token"]!;
        var second = await SendAsync(f, Write, "experiments/search", next);

        var order = first.Json["experiments"]!.AsArray().Concat(second.Json["experiments"]!.AsArray()).Select(e => (string)e!["experiment_id"]!).ToArray();
        CollectionAssert.AreEqual(expected.Split(',').Select(n => ids[n]).ToArray(), order, context);
        Assert.IsNull(second.Json["next_page_token"], context);
    }

    [TestMethod]
    public async Task Delete_DeletesTheExperiment()
    {
        await using var f = await StartAsync();

        Assert.AreEqual("{}", (await SendAsync(f, Write, "experiments/delete")).Body);

        Assert.AreEqual(404, (await SendAsync(f, Write, "experiments/get")).Code);
    }

    [TestMethod]
    public async Task Delete_WhenExperimentDoesNotExist_IsResourceDoesNotExist()
    {
        await using var f = await StartAsync();

        var answer = await SendAsync(f, Write, "experiments/delete", new JsonObject { ["experiment_id"] = "99999" });

        Assert.AreEqual("""{"error_code":"RESOURCE_DOES_NOT_EXIST"}""", answer.Body);
    }

    [TestMethod]
    [DataRow("returns an error")]
    [DataRow("MLflow|Bad Request")]
    public async Task Delete_WhenExperimentHasAModelId(string context)
    {
        await using var f = await StartAsync();
        await SendAsync(f, Write, "experiments/create", new JsonObject { ["name"] = "unused" });
        using var api = f.Api();
        await api.PostAsync(f.Mlflow("registered-models/create"), new { name = "m" });
        var experiment = await api.GetAsync(f.Mlflow("experiments/get-by-name?experiment_name=" + Uri.EscapeDataString("[model]m")));

        var answer = await SendAsync(f, Write, "experiments/delete", new JsonObject { ["experiment_id"] = (string)experiment.Json["experiment"]!["experiment_id"]! });

        Assert.AreEqual(400, answer.Code, context);
        Assert.AreEqual("""{"message":"Cannot delete an experiment associated to a model"}""", answer.Body, context);
    }

    [TestMethod]
    public async Task Delete_WhenExperimentIdIsNotPassed_IsBadRequest()
    {
        await using var f = await StartAsync();

        Assert.AreEqual(400, (await SendAsync(f, Write, "experiments/delete", new JsonObject())).Code);
    }
}
