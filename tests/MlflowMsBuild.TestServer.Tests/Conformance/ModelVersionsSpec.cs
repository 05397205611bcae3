using System.Text.Json.Nodes;
using static MlflowMsBuild.TestServer.Tests.Conformance.SpecFixture;

namespace MlflowMsBuild.TestServer.Tests.Conformance;

/// <summary>
/// spec/requests/api/ml/mlflow/model_versions_spec.rb against the GitLab double: 21 cases; 21 covered. The shared
/// examples "an authenticated resource" (no token: 401) and "a read-only / read/write model registry resource"
/// (read_api suffices for GET; POST/PATCH need api: 403) are met per endpoint.
/// </summary>
[TestClass]
public sealed class ModelVersionsSpec
{
    private const string Name = "a-model-name";

    /// <summary>The spec's model "a-model-name" with version 0.0.1; returns its id.</summary>
    private static async Task<string> ModelWithVersionAsync(SpecFixture f)
    {
        using var api = f.Api();
        Assert.AreEqual(200, (await api.PostAsync(f.Mlflow("registered-models/create"), new { name = Name })).Code);
        var version = await api.PostAsync(f.Mlflow("model-versions/create"), new { name = Name, tags = new[] { new { key = "gitlab.version", value = "0.0.1" } } });
        Assert.AreEqual(200, version.Code, version.Body);
        return (string)version.Json["model_version"]!["version"]!;
    }

    [TestMethod]
    public async Task Get_ReturnsTheModelVersion()
    {
        await using var f = await StartAsync();
        var id = await ModelWithVersionAsync(f);
        using var api = f.Api();

        var answer = await api.GetAsync(f.Mlflow($"model-versions/get?name={Name}&version=0.0.1"));

        Assert.AreEqual(Name, (string)answer.Json["model_version"]!["name"]!);
        Assert.AreEqual(id, (string)answer.Json["model_version"]!["version"]!);
    }

    [TestMethod]
    [DataRow("and model name in incorrect", "--", "0.0.1")]
    [DataRow("and version in incorrect", Name, "--")]
    public async Task Get_WhenHasAccess_IsResourceDoesNotExist(string context, string name, string version)
    {
        await using var f = await StartAsync();
        await ModelWithVersionAsync(f);
        using var api = f.Api();

        var answer = await api.GetAsync(f.Mlflow($"model-versions/get?name={name}&version={version}"));

        Assert.AreEqual("""{"error_code":"RESOURCE_DOES_NOT_EXIST"}""", answer.Body, context);
        Assert.AreEqual(404, answer.Code);
    }

    [TestMethod]
    public async Task Get_WhenUserLacksReadModelRegistryRights_IsNotFound()
    {
        await using var f = await StartAsync();
        await ModelWithVersionAsync(f);
        f.Server.AddToken("glpat-guest", GitLabRole.Guest, "read_api", "api");
        using var guest = f.Api("glpat-guest");

        Assert.AreEqual(404, (await guest.GetAsync(f.Mlflow($"model-versions/get?name={Name}&version=0.0.1"))).Code);
    }

    [TestMethod]
    [DataRow("GET", "model-versions/get")]
    [DataRow("PATCH", "model-versions/update")]
    [DataRow("POST", "model-versions/create")]
    public async Task AnAuthenticatedResource(string method, string endpoint)
    {
        await using var f = await StartAsync();
        await ModelWithVersionAsync(f);
        using var anonymous = f.Api(null);

        var answer = await f.SendAsync(anonymous, method, endpoint, new JsonObject { ["name"] = Name, ["version"] = "0.0.1", ["description"] = "d" });

        Assert.AreEqual(401, answer.Code, answer.Body);
    }

    [TestMethod]
    public async Task Get_AReadOnlyModelRegistryResource()
    {
        await using var f = await StartAsync();
        await ModelWithVersionAsync(f);
        using var read = f.Api(Read);
        using var noAccess = f.Api(NoAccess);

        Assert.AreEqual(200, (await read.GetAsync(f.Mlflow($"model-versions/get?name={Name}&version=0.0.1"))).Code);
        Assert.AreEqual(403, (await noAccess.GetAsync(f.Mlflow($"model-versions/get?name={Name}&version=0.0.1"))).Code);
    }

    [TestMethod]
    [DataRow("PATCH", "model-versions/update")]
    [DataRow("POST", "model-versions/create")]
    public async Task AReadWriteModelRegistryResource(string method, string endpoint)
    {
        await using var f = await StartAsync();
        await ModelWithVersionAsync(f);
        using var read = f.Api(Read);

        var answer = await f.SendAsync(read, method, endpoint, new JsonObject { ["name"] = Name, ["version"] = "0.0.1", ["description"] = "d" });

        Assert.AreEqual(403, answer.Code, answer.Body);
    }

    [TestMethod]
    public async Task Update_ReturnsTheModelVersion()
    {
        await using var f = await StartAsync();
        var id = await ModelWithVersionAsync(f);
        using var api = f.Api();

        var answer = await api.PatchAsync(f.Mlflow("model-versions/update"), new { name = Name, version = "0.0.1", description = "description-text" });

        Assert.AreEqual(200, answer.Code);
        Assert.AreEqual(id, (string)answer.Json["model_version"]!["version"]!);
        Assert.AreEqual("description-text", (string)answer.Json["model_version"]!["description"]!);
    }

    [TestMethod]
    [DataRow("and model name in incorrect", "invalid-name", "0.0.1")]
    [DataRow("and version in incorrect", Name, "invalid-version")]
    public async Task Update_WhenHasAccess_ThrowsError400(string context, string name, string version)
    {
        await using var f = await StartAsync();
        await ModelWithVersionAsync(f);
        using var api = f.Api();

        var answer = await api.PatchAsync(f.Mlflow("model-versions/update"), new { name, version, description = "description-text" });

        Assert.AreEqual("""{"error_code":"UPDATE_FAILED"}""", answer.Body, context);
    }

    [TestMethod]
    public async Task Update_WhenUserLacksWriteModelRegistryRights_IsUnauthorized()
    {
        await using var f = await StartAsync();
        await ModelWithVersionAsync(f);
        using var reporter = f.Api(Reporter);

        Assert.AreEqual(401, (await reporter.PatchAsync(f.Mlflow("model-versions/update"), new { name = Name, version = "0.0.1", description = "d" })).Code);
    }

    [TestMethod]
    public async Task Create_ReturnsTheModel()
    {
        await using var f = await StartAsync();
        await ModelWithVersionAsync(f);
        using var api = f.Api();

        var answer = await api.PostAsync(f.Mlflow("model-versions/create"), new { name = Name, description = "description-text" });

        Assert.AreEqual(200, answer.Code);
        var version = answer.Json["model_version"]!;
        foreach (var key in new[] { "name", "version", "creation_timestamp", "last_updated_timestamp", "current_stage", "description", "source", "run_id", "status", "tags", "aliases" })
        {
            Assert.IsTrue(version.AsObject().ContainsKey(key), key);
        }
    }

    [TestMethod]
    public async Task Create_IncrementsTheVersionIfAModelVersionAlreadyExists()
    {
        await using var f = await StartAsync();
        var first = await ModelWithVersionAsync(f);
        using var api = f.Api();

        var answer = await api.PostAsync(f.Mlflow("model-versions/create"), new { name = Name });

        Assert.AreEqual((int.Parse(first) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), (string)answer.Json["model_version"]!["version"]!);
    }

    [TestMethod]
    public async Task Create_UserAssignedVersion_AssignsTheSuppliedVersionStringViaTheGitlabTag()
    {
        await using var f = await StartAsync();
        await ModelWithVersionAsync(f);
        using var api = f.Api();

        var answer = await api.PostAsync(f.Mlflow("model-versions/create"), new { name = Name, description = "d", tags = new[] { new { key = "gitlab.version", value = "1.2.3" } } });

        Assert.AreEqual("""[{"key":"gitlab.version","value":"1.2.3"}]""", answer.Json["model_version"]!["tags"]!.ToJsonString());
    }

    [TestMethod]
    public async Task Create_WhenHasAccessAndModelDoesNotExist_IsResourceDoesNotExist()
    {
        await using var f = await StartAsync();
        using var api = f.Api();

        var answer = await api.PostAsync(f.Mlflow("model-versions/create"), new { name = "foo" });

        Assert.AreEqual("""{"error_code":"RESOURCE_DOES_NOT_EXIST"}""", answer.Body);
    }

    [TestMethod]
    [DataRow("when a duplicate tag name is supplied", "key1")]
    [DataRow("when an empty tag name is supplied", "")]
    public async Task Create_ReturnsAValidationError(string context, string firstKey)
    {
        await using var f = await StartAsync();
        await ModelWithVersionAsync(f);
        using var api = f.Api();

        var answer = await api.PostAsync(f.Mlflow("model-versions/create"), new
        {
            name = Name,
            tags = new[] { new { key = firstKey, value = "value1" }, new { key = "key1", value = "value2" } },
        });

        Assert.AreEqual("INVALID_PARAMETER_VALUE", (string)answer.Json["error_code"]!, context);
        var versions = (await api.GetAsync(f.Mlflow($"registered-models/get?name={Name}"))).Json["registered_model"]!["latest_versions"]!.AsArray();
        Assert.HasCount(1, versions, "nothing persisted");
    }

    [TestMethod]
    public async Task GetDownloadUri_ReturnsTheDownloadUri()
    {
        await using var f = await StartAsync();
        var id = await ModelWithVersionAsync(f);
        using var api = f.Api();

        var answer = await api.GetAsync(f.Mlflow($"model-versions/get-download-uri?name={Name}&version={id}"));

        Assert.AreEqual($$"""{"artifact_uri":"mlflow-artifacts:/{{id}}"}""", answer.Body);
    }
}
