using System.Text.Json.Nodes;
using MlflowMsBuild.TestServer.Tests.TestUtilities;
using static MlflowMsBuild.TestServer.Tests.Conformance.SpecFixture;

namespace MlflowMsBuild.TestServer.Tests.Conformance;

/// <summary>
/// spec/requests/api/ml/mlflow/registered_models_spec.rb against the GitLab double: 41 cases; 40 covered ("when
/// destroy fails" stubs GitLab's DestroyModelService, which nothing outside GitLab can make fail). "an authenticated
/// resource": no token 401; "a read-only model registry resource": a Guest (no read_model_registry) 404; "a read/write
/// model registry resource": a Reporter (no write_model_registry) 401.
/// </summary>
[TestClass]
public sealed class RegisteredModelsSpec
{
    private const string Name = "model-1";

    private static async Task<SpecFixture> WithModelAsync()
    {
        var f = await StartAsync();
        f.Server.AddToken("glpat-guest", GitLabRole.Guest, "read_api", "api");
        using var api = f.Api();
        Assert.AreEqual(200, (await api.PostAsync(f.Mlflow("registered-models/create"), new { name = Name, tags = new[] { new { key = "k", value = "v" } } })).Code);
        var version = await api.PostAsync(f.Mlflow("model-versions/create"), new { name = Name, tags = new[] { new { key = "gitlab.version", value = "1.0.0" } } });
        Assert.AreEqual(200, version.Code, version.Body);
        return f;
    }

    private static readonly Dictionary<string, (string Method, JsonObject Body)> Routes = new()
    {
        ["registered-models/get"] = ("GET", new() { ["name"] = Name }),
        ["registered-models/alias"] = ("GET", new() { ["name"] = Name, ["alias"] = "1.0.0" }),
        ["registered-models/create"] = ("POST", new() { ["name"] = "my-model-name" }),
        ["registered-models/update"] = ("PATCH", new() { ["name"] = Name, ["description"] = "updated model description" }),
        ["registered-models/get-latest-versions"] = ("POST", new() { ["name"] = Name }),
        ["registered-models/delete"] = ("DELETE", new() { ["name"] = Name }),
        ["registered-models/search"] = ("GET", new()),
    };

    private static async Task<Answer> SendAsync(SpecFixture f, string token, string endpoint, JsonObject? body = null, int? projectId = null)
    {
        using var api = f.Api(token);
        var (method, defaults) = Routes[endpoint];
        return await f.SendAsync(api, method, endpoint, (JsonObject)(body ?? defaults).DeepClone(), projectId);
    }

    [TestMethod]
    [DataRow("registered-models/get")]
    [DataRow("registered-models/alias")]
    [DataRow("registered-models/create")]
    [DataRow("registered-models/update")]
    [DataRow("registered-models/get-latest-versions")]
    [DataRow("registered-models/delete")]
    [DataRow("registered-models/search")]
    public async Task AnAuthenticatedResource(string endpoint)
    {
        await using var f = await WithModelAsync();
        using var anonymous = f.Api(null);

        var answer = await f.SendAsync(anonymous, Routes[endpoint].Method, endpoint, (JsonObject)Routes[endpoint].Body.DeepClone());

        Assert.AreEqual(401, answer.Code, answer.Body);
    }

    [TestMethod]
    [DataRow("registered-models/get")]
    [DataRow("registered-models/alias")]
    [DataRow("registered-models/get-latest-versions")]
    [DataRow("registered-models/search")]
    public async Task AReadOnlyModelRegistryResource(string endpoint)
    {
        await using var f = await WithModelAsync();

        Assert.AreEqual(404, (await SendAsync(f, "glpat-guest", endpoint)).Code);
    }

    [TestMethod]
    [DataRow("registered-models/create")]
    [DataRow("registered-models/update")]
    [DataRow("registered-models/delete")]
    public async Task AReadWriteModelRegistryResource(string endpoint)
    {
        await using var f = await WithModelAsync();

        Assert.AreEqual(401, (await SendAsync(f, Reporter, endpoint)).Code);
    }

    [TestMethod]
    [DataRow("registered-models/get", """{"name":"foo"}""")]
    [DataRow("registered-models/get", """{}""")]
    [DataRow("registered-models/alias", """{"name":"foo","alias":"1.0.0"}""")]
    [DataRow("registered-models/alias", """{"name":"model-1","alias":"1.0.1"}""")]
    [DataRow("registered-models/alias", """{"alias":"1.0.0"}""")]
    [DataRow("registered-models/alias", """{"name":"model-1"}""")]
    [DataRow("registered-models/update", """{"name":"foo","description":"d"}""")]
    [DataRow("registered-models/update", """{"description":"d"}""")]
    [DataRow("registered-models/get-latest-versions", """{"name":"foo"}""")]
    [DataRow("registered-models/get-latest-versions", """{}""")]
    [DataRow("registered-models/delete", """{"name":"foo"}""")]
    [DataRow("registered-models/delete", """{}""")]
    public async Task WhenHasAccess_ModelDoesNotExistOrNameNotPassed_IsResourceDoesNotExist(string endpoint, string body)
    {
        await using var f = await WithModelAsync();

        var answer = await SendAsync(f, Write, endpoint, JsonNode.Parse(body)!.AsObject());

        Assert.AreEqual(404, answer.Code, answer.Body);
        Assert.AreEqual("""{"error_code":"RESOURCE_DOES_NOT_EXIST"}""", answer.Body);
    }

    [TestMethod]
    public async Task Get_ReturnsTheModel()
    {
        await using var f = await WithModelAsync();

        var model = (await SendAsync(f, Write, "registered-models/get")).Json["registered_model"]!;

        Assert.AreEqual(Name, (string)model["name"]!);
        Assert.AreEqual("""[{"key":"k","value":"v"}]""", model["tags"]!.ToJsonString());
        Assert.HasCount(1, model["latest_versions"]!.AsArray());
    }

    [TestMethod]
    public async Task Alias_ReturnsTheModelVersion()
    {
        await using var f = await WithModelAsync();

        var version = (await SendAsync(f, Write, "registered-models/alias")).Json["model_version"]!;

        Assert.AreEqual(Name, (string)version["name"]!);
        Assert.AreEqual("""["1.0.0"]""", version["aliases"]!.ToJsonString());
    }

    [TestMethod]
    public async Task Create_CreatesTheModel()
    {
        await using var f = await WithModelAsync();

        var answer = await SendAsync(f, Write, "registered-models/create");

        Assert.AreEqual(200, answer.Code);
        Assert.IsTrue(answer.Object.ContainsKey("registered_model"));
    }

    [TestMethod]
    public async Task Create_WhenTheModelNameIsNotPassed_AnInvalidRequest()
    {
        await using var f = await WithModelAsync();

        var answer = await SendAsync(f, Write, "registered-models/create", new JsonObject());

        Assert.AreEqual("""{"error":"name is missing"}""", answer.Body);
    }

    [TestMethod]
    [DataRow("when the model name already exists", """{"name":"model-1"}""")]
    [DataRow("when a duplicate tag name is supplied", """{"name":"my-model-name","tags":[{"key":"key1","value":"value1"},{"key":"key1","value":"value2"}]}""")]
    [DataRow("when an empty tag name is supplied", """{"name":"my-model-name","tags":[{"key":"","value":"value1"},{"key":"key1","value":"value2"}]}""")]
    public async Task Create_IsBadRequest_ResourceAlreadyExists(string context, string body)
    {
        await using var f = await WithModelAsync();

        var answer = await SendAsync(f, Write, "registered-models/create", JsonNode.Parse(body)!.AsObject());

        Assert.AreEqual(400, answer.Code, context);
        Assert.AreEqual("""{"error_code":"RESOURCE_ALREADY_EXISTS"}""", answer.Body, context);
    }

    [TestMethod]
    public async Task Create_WhenProjectDoesNotExist_IsNotFound()
    {
        await using var f = await WithModelAsync();

        var answer = await SendAsync(f, Write, "registered-models/create", null, 99999);

        Assert.AreEqual(404, answer.Code);
        Assert.AreEqual("404 Project Not Found", (string)answer.Json["message"]!);
    }

    [TestMethod]
    public async Task Update_ReturnsTheUpdatedModel()
    {
        await using var f = await WithModelAsync();

        var answer = await SendAsync(f, Write, "registered-models/update");

        Assert.AreEqual("updated model description", (string)answer.Json["registered_model"]!["description"]!);
    }

    [TestMethod]
    public async Task GetLatestVersions_ReturnsAnArrayWithTheMostRecentlyCreatedModelVersion()
    {
        await using var f = await WithModelAsync();
        using var api = f.Api();
        var newest = await api.PostAsync(f.Mlflow("model-versions/create"), new { name = Name });

        var answer = await SendAsync(f, Write, "registered-models/get-latest-versions");

        var versions = answer.Json["model_versions"]!.AsArray();
        Assert.HasCount(1, versions);
        Assert.AreEqual(Name, (string)versions[0]!["name"]!);
        Assert.AreEqual((string)newest.Json["model_version"]!["version"]!, (string)versions[0]!["version"]!);
    }

    [TestMethod]
    public async Task Delete_ReturnsASuccessResponse()
    {
        await using var f = await WithModelAsync();

        var answer = await SendAsync(f, Write, "registered-models/delete");

        Assert.AreEqual(200, answer.Code);
        Assert.AreEqual("{}", answer.Body);
    }

    [TestMethod]
    public async Task Search_ReturnsAllTheModels()
    {
        await using var f = await WithModelAsync();
        using var api = f.Api();
        await api.PostAsync(f.Mlflow("registered-models/create"), new { name = "model-2" });

        var answer = await SendAsync(f, Write, "registered-models/search");

        Assert.HasCount(2, answer.Json["registered_models"]!.AsArray());
        Assert.IsTrue(answer.Object.ContainsKey("next_page_token"));
    }

    [TestMethod]
    public async Task Search_WithAValidFilterSupplied_ReturnsOnlyTheModelsForTheGivenFilter()
    {
        await using var f = await WithModelAsync();
        using var api = f.Api();
        await api.PostAsync(f.Mlflow("registered-models/create"), new { name = "model-2" });

        var answer = await SendAsync(f, Write, "registered-models/search", new JsonObject { ["filter"] = "name='model-2'" });

        Assert.AreEqual("model-2", (string)Assert.ContainsSingle(answer.Json["registered_models"]!.AsArray())!["name"]!);
    }

    [TestMethod]
    public async Task Search_WithAnInvalidFilterSupplied_ReturnsAnError()
    {
        await using var f = await WithModelAsync();

        var answer = await SendAsync(f, Write, "registered-models/search", new JsonObject { ["filter"] = "description='foo'" });

        Assert.AreEqual(400, answer.Code);
        Assert.AreEqual("INVALID_PARAMETER_VALUE", (string)answer.Json["error_code"]!);
    }
}
