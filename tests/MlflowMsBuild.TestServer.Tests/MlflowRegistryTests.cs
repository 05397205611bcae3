using MlflowMsBuild.TestServer.Tests.TestUtilities;
using static MlflowMsBuild.TestServer.Tests.TestUtilities.Servers;

namespace MlflowMsBuild.TestServer.Tests;

[TestClass]
public sealed class MlflowRegistryTests
{
    [TestMethod]
    public async Task RegisteredModel_CreateTwiceIs400AlreadyExists_MillisecondTimestamps()
    {
        await using var server = await MlflowAsync();
        using var api = new Api(server.BaseAddress);
        var created = await api.PostAsync(MlflowApi + "registered-models/create", new { name = "m", description = "d", tags = new[] { new { key = "a", value = "b" } } });
        Assert.AreEqual(200, created.Code);
        var model = created.Json["registered_model"]!.AsObject();
        Assert.IsTrue((long)model["creation_timestamp"]! > 1_000_000_000_000, "milliseconds");
        Assert.IsFalse(model.ContainsKey("latest_versions"));

        var again = await api.PostAsync(MlflowApi + "registered-models/create", new { name = "m" });
        Assert.AreEqual(400, again.Code);
        Assert.AreEqual("RESOURCE_ALREADY_EXISTS", (string)again.Json["error_code"]!);
        var missing = await api.GetAsync(MlflowApi + "registered-models/get?name=nope");
        Assert.AreEqual(404, missing.Code);
    }

    [TestMethod]
    public async Task ModelVersions_AreStringIntegers_SourceRequired_DownloadUriIsSource()
    {
        await using var server = await MlflowAsync();
        using var api = new Api(server.BaseAddress);
        var (_, runId, artifactUri) = await MlflowRunAsync(api);
        await api.PostAsync(MlflowApi + "registered-models/create", new { name = "m" });

        var noSource = await api.PostAsync(MlflowApi + "model-versions/create", new { name = "m", run_id = runId });
        Assert.AreEqual(400, noSource.Code);
        var localSource = await api.PostAsync(MlflowApi + "model-versions/create", new { name = "m", source = "/tmp/model" });
        Assert.AreEqual(400, localSource.Code, "local paths are refused");

        var source = artifactUri + "/model";
        var v1 = await api.PostAsync(MlflowApi + "model-versions/create", new { name = "m", source, run_id = runId, description = "v1" });
        var v2 = await api.PostAsync(MlflowApi + "model-versions/create", new { name = "m", source, run_id = runId });
        Assert.AreEqual("1", (string)v1.Json["model_version"]!["version"]!);
        Assert.AreEqual("2", (string)v2.Json["model_version"]!["version"]!);
        Assert.AreEqual("READY", (string)v1.Json["model_version"]!["status"]!);
        Assert.IsFalse(v1.Json["model_version"]!.AsObject().ContainsKey("aliases"));

        var uri = await api.GetAsync(MlflowApi + "model-versions/get-download-uri?name=m&version=1");
        Assert.AreEqual(source, (string)uri.Json["artifact_uri"]!);
        var latest = await api.GetAsync(MlflowApi + "registered-models/get?name=m");
        var latestVersions = latest.Json["registered_model"]!["latest_versions"]!.AsArray();
        Assert.HasCount(1, latestVersions);
        Assert.AreEqual("2", (string)latestVersions[0]!["version"]!);
        var notInt = await api.GetAsync(MlflowApi + "model-versions/get?name=m&version=1.0.0");
        Assert.AreEqual(400, notInt.Code);
    }

    [TestMethod]
    public async Task Aliases_SetGet_DeleteReadsOnlyTheJsonBody()
    {
        await using var server = await MlflowAsync();
        using var api = new Api(server.BaseAddress);
        var (_, runId, artifactUri) = await MlflowRunAsync(api);
        await api.PostAsync(MlflowApi + "registered-models/create", new { name = "m" });
        await api.PostAsync(MlflowApi + "model-versions/create", new { name = "m", source = artifactUri + "/model", run_id = runId });

        Assert.AreEqual("{}", (await api.PostAsync(MlflowApi + "registered-models/alias", new { name = "m", alias = "champion", version = "1" })).Body);
        var byAlias = await api.GetAsync(MlflowApi + "registered-models/alias?name=m&alias=champion");
        Assert.AreEqual("champion", (string)byAlias.Json["model_version"]!["aliases"]![0]!);
        var reserved = await api.PostAsync(MlflowApi + "registered-models/alias", new { name = "m", alias = "latest", version = "1" });
        Assert.AreEqual(400, reserved.Code);

        var viaQuery = await api.DeleteAsync(MlflowApi + "registered-models/alias?name=m&alias=champion");
        Assert.AreEqual(400, viaQuery.Code);
        StringAssert.Contains((string)viaQuery.Json["message"]!, "Missing value for required parameter 'name'");
        var viaBody = await api.DeleteAsync(MlflowApi + "registered-models/alias", new { name = "m", alias = "champion" });
        Assert.AreEqual(200, viaBody.Code);
        var missing = await api.GetAsync(MlflowApi + "registered-models/alias?name=m&alias=champion");
        Assert.AreEqual(400, missing.Code, "MLflow's stores answer a missing alias with INVALID_PARAMETER_VALUE");
        Assert.AreEqual("INVALID_PARAMETER_VALUE", (string)missing.Json["error_code"]!);
    }

    [TestMethod]
    public async Task Search_FiltersByName_ModelVersionSearchCarriesNoAliases()
    {
        await using var server = await MlflowAsync();
        using var api = new Api(server.BaseAddress);
        var (_, runId, artifactUri) = await MlflowRunAsync(api);
        foreach (var name in new[] { "alpha", "alphabet", "beta" }) await api.PostAsync(MlflowApi + "registered-models/create", new { name });
        await api.PostAsync(MlflowApi + "model-versions/create", new { name = "alpha", source = artifactUri + "/model", run_id = runId });
        await api.PostAsync(MlflowApi + "registered-models/alias", new { name = "alpha", alias = "prod", version = "1" });

        var exact = await api.GetAsync(MlflowApi + "registered-models/search?filter=" + Uri.EscapeDataString("name='alpha'"));
        Assert.HasCount(1, exact.Json["registered_models"]!.AsArray());
        var like = await api.GetAsync(MlflowApi + "registered-models/search?filter=" + Uri.EscapeDataString("name LIKE 'alpha%'"));
        Assert.HasCount(2, like.Json["registered_models"]!.AsArray());
        var paged = await api.GetAsync(MlflowApi + "registered-models/search?max_results=2");
        Assert.HasCount(2, paged.Json["registered_models"]!.AsArray());
        var token = (string)paged.Json["next_page_token"]!;
        var rest = await api.GetAsync(MlflowApi + "registered-models/search?max_results=2&page_token=" + Uri.EscapeDataString(token));
        Assert.HasCount(1, rest.Json["registered_models"]!.AsArray());
        Assert.IsFalse(rest.Object.ContainsKey("next_page_token"));

        var versions = await api.GetAsync(MlflowApi + "model-versions/search?filter=" + Uri.EscapeDataString("name='alpha'"));
        Assert.IsFalse(versions.Json["model_versions"]![0]!.AsObject().ContainsKey("aliases"));
    }
}
