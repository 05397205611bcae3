using System.Text.Json.Nodes;

namespace MlflowMsBuild.TestServer.Tests.TestUtilities;

/// <summary>Starting servers and the usual first steps against them.</summary>
internal static class Servers
{
    public const string MlflowApi = "api/2.0/mlflow/";
    public const string Token = "glpat-developer";

    /// <summary>The <c>Authorization: Bearer</c> header GitLab reads on every route (package file routes read no other).</summary>
    public static (string Name, string Value) Bearer(string token) => ("Authorization", "Bearer " + token);

    public static Task<TestRegistryServer> MlflowAsync(Action<TestServerOptions>? configure = null)
    {
        var options = new TestServerOptions { Flavor = RegistryFlavor.Mlflow };
        configure?.Invoke(options);
        return TestRegistryServer.StartAsync(options);
    }

    /// <summary>A GitLab server with project "group/project" and an api-scoped Developer token <see cref="Token"/>.</summary>
    public static async Task<(TestRegistryServer Server, int ProjectId)> GitLabAsync(Action<TestServerOptions>? configure = null)
    {
        var options = new TestServerOptions { Flavor = RegistryFlavor.GitLab };
        configure?.Invoke(options);
        var server = await TestRegistryServer.StartAsync(options);
        var projectId = server.AddProject("group/project");
        server.AddToken(Token, "api");
        return (server, projectId);
    }

    /// <summary>Base of GitLab's MLflow routes for a project, relative to the server root.</summary>
    public static string GitLabMlflow(int projectId) => $"api/v4/projects/{projectId}/ml/mlflow/api/2.0/mlflow/";

    public static string GitLabArtifacts(int projectId) => $"api/v4/projects/{projectId}/ml/mlflow/api/2.0/mlflow-artifacts/artifacts";

    /// <summary>MLflow: experiment + run; returns (experiment id, run id, artifact_uri).</summary>
    public static async Task<(string ExperimentId, string RunId, string ArtifactUri)> MlflowRunAsync(Api api, string experiment = "exp")
    {
        var created = await api.PostAsync(MlflowApi + "experiments/create", new { name = experiment });
        Assert.AreEqual(200, created.Code, created.Body);
        var experimentId = (string)created.Json["experiment_id"]!;
        var run = await api.PostAsync(MlflowApi + "runs/create", new { experiment_id = experimentId, run_name = "r1", start_time = 1795833756000 });
        Assert.AreEqual(200, run.Code, run.Body);
        var info = run.Json["run"]!["info"]!;
        return (experimentId, (string)info["run_id"]!, (string)info["artifact_uri"]!);
    }

    /// <summary>GitLab: model + version; returns the version's JSON.</summary>
    public static async Task<JsonObject> GitLabVersionAsync(Api api, int projectId, string model = "my-model", string? semver = "1.0.0")
    {
        var basePath = GitLabMlflow(projectId);
        var existing = await api.GetAsync(basePath + $"registered-models/get?name={model}");
        if (existing.Code == 404)
        {
            var created = await api.PostAsync(basePath + "registered-models/create", new { name = model });
            Assert.AreEqual(200, created.Code, created.Body);
        }
        object body = semver is null
            ? new { name = model }
            : new { name = model, tags = new[] { new { key = "gitlab.version", value = semver } } };
        var version = await api.PostAsync(basePath + "model-versions/create", body);
        Assert.AreEqual(200, version.Code, version.Body);
        return version.Json["model_version"]!.AsObject();
    }
}
