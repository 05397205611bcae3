using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MlflowMsBuild.Core.Cache;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Naming;
using MlflowMsBuild.Core.Publishing;
using MlflowMsBuild.Core.Restore;
using MlflowMsBuild.Core.Tests.TestUtilities;
using MlflowMsBuild.Core.Uris;
using MlflowMsBuild.TestServer;

namespace MlflowMsBuild.Core.Tests.Restore;

/// <summary>Model names each registry allows are published (or refused up front) and restored into a safe folder.</summary>
[TestClass]
public sealed class ModelNameRestoreTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [DataRow(2)]
    [DataRow(3)]
    public async Task NameWithASpace_IsPublishedAndRestoredOnMlflow(int major)
    {
        await using var fixture = await RemoteFixture.StartAsync(RegistryFlavor.Mlflow, o => o.MlflowVersion = new Version(major, major == 2 ? 12 : 11));
        var published = await fixture.PublishAsync("test-x a");

        var restored = await RestoreIntoObjModelsAsync(fixture, ModelUri.Parse("models:/test-x%20a/" + published.Version));

        Assert.AreEqual("test-x a", restored.Name);
        Assert.IsTrue(File.Exists(Path.Combine(fixture.Home.Path, "obj", "models", "test-x a", "1", "model.zip")));
    }

    /// <summary>MLflow 2.12 took '/' and ':' in names (the Python client created such models); they restore into escaped folders.</summary>
    [TestMethod]
    [DataRow("test-x/b", "test-x%2Fb")]
    [DataRow("test-x:c", "test-x%3Ac")]
    public async Task NameMlflow2Allowed_IsRestoredIntoAnEscapedFolder(string name, string folder)
    {
        await using var fixture = await RemoteFixture.StartAsync(RegistryFlavor.Mlflow);
        await CreateVersionLikeThePythonClientAsync(fixture, name, "MLmodel", "flavors: {}\n");

        var restored = await RestoreIntoObjModelsAsync(fixture, ModelUri.Parse(new ModelUri(name, "1", null).ToString()));

        Assert.AreEqual(name, restored.Name);
        Assert.AreEqual("flavors: {}\n", File.ReadAllText(Path.Combine(fixture.Home.Path, "obj", "models", folder, "1", "MLmodel")));
        Assert.AreEqual(folder, ModelFolderName.Of(name));
    }

    [TestMethod]
    [DataRow("test-x/b")]
    [DataRow("test-x:c")]
    public async Task NameMlflow3Refuses_IsRefusedBeforeAnythingIsCreated(string name)
    {
        await using var fixture = await RemoteFixture.StartAsync(RegistryFlavor.Mlflow);

        await MlfAssert.ThrowsAsync(MlfError.ModelNameRejectedByRegistry, () => fixture.PublishAsync(name));

        Assert.IsEmpty(fixture.Server.RequestLog.Entries.Where(e => e.Method is not ("GET" or "HEAD")).ToList());
    }

    [TestMethod]
    [DataRow("test-x a")]
    [DataRow("test-x:c")]
    public async Task NameGitLabRefuses_IsRefusedBeforeAnyRequest(string name)
    {
        await using var fixture = await RemoteFixture.StartAsync(RegistryFlavor.GitLab);

        await MlfAssert.ThrowsAsync(MlfError.ModelNameRejectedByRegistry, () => fixture.PublishAsync(name));

        Assert.IsEmpty(fixture.Server.RequestLog.Entries.Where(e => e.Method is not ("GET" or "HEAD")).ToList());
    }

    [TestMethod]
    public async Task GitLabNameWithAGroup_IsPublishedAndRestored()
    {
        await using var fixture = await RemoteFixture.StartAsync(RegistryFlavor.GitLab);
        var published = await fixture.PublishAsync("test-x/group");

        var restored = await RestoreIntoObjModelsAsync(fixture, ModelUri.Parse("models:/test-x%2Fgroup/" + published.Version));

        Assert.IsTrue(File.Exists(Path.Combine(fixture.Home.Path, "obj", "models", "test-x%2Fgroup", published.Version, "model.zip")));
        Assert.AreEqual(published.Version, restored.Version);
    }

    private async Task<RestoredModel> RestoreIntoObjModelsAsync(RemoteFixture fixture, ModelUri uri)
    {
        var reference = ModelReference.Create(uri.Name, uri.Version!);
        using var registry = fixture.OpenRegistry();
        var restorer = new ModelRestorer(registry, new ModelCache(fixture.Home.Combine("cache")));
        var result = await restorer.RestoreAllAsync(
            [new ModelRequest(reference, Path.Combine(fixture.Home.Path, "obj", "models", ModelFolderName.Of(reference.Name), reference.VersionSpec))],
            null, TestContext.CancellationToken);
        return Assert.ContainsSingle(result.Models);
    }

    /// <summary>experiments/create, runs/create, PUT of one file, registered-models/create, model-versions/create, as mlflow 2.12's client does.</summary>
    private static async Task CreateVersionLikeThePythonClientAsync(RemoteFixture fixture, string name, string file, string content)
    {
        var experiment = await PostAsync(fixture, "experiments/create", new JsonObject { ["name"] = "python-" + Guid.NewGuid().ToString("N") });
        var run = await PostAsync(fixture, "runs/create", new JsonObject { ["experiment_id"] = (string)experiment["experiment_id"]! });
        var info = run["run"]!["info"]!;
        var artifactUri = (string)info["artifact_uri"]!;
        using (var put = await fixture.Http.PutAsync("api/2.0/mlflow-artifacts/artifacts/" + artifactUri["mlflow-artifacts:/".Length..] + "/model/" + file, new StringContent(content)))
        {
            put.EnsureSuccessStatusCode();
        }

        await PostAsync(fixture, "registered-models/create", new JsonObject { ["name"] = name });
        await PostAsync(fixture, "model-versions/create", new JsonObject { ["name"] = name, ["source"] = artifactUri + "/model", ["run_id"] = (string)info["run_id"]! });
    }

    private static async Task<JsonNode> PostAsync(RemoteFixture fixture, string endpoint, JsonObject body)
    {
        using var response = await fixture.Http.PostAsJsonAsync(fixture.ApiPath + endpoint, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.IsTrue(response.IsSuccessStatusCode, $"{endpoint}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }
}
