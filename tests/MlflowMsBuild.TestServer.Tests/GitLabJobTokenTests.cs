using MlflowMsBuild.TestServer.Tests.TestUtilities;
using static MlflowMsBuild.TestServer.Tests.TestUtilities.Servers;

namespace MlflowMsBuild.TestServer.Tests;

/// <summary>
/// Where GitLab takes a CI job token, endpoint by endpoint. lib/api/ml_model_packages.rb reads it from
/// the <c>Authorization</c> header only (with <c>authenticate_with</c> set the API guard reads no other header); spec/requests/api/ml_model_packages_spec.rb's
/// permission tables send it so. lib/api/ml/mlflow/entrypoint.rb, mlflow_artifacts/entrypoint.rb and the project
/// lookup set no <c>job_token_allowed</c>: a JOB-TOKEN header is not read there, and a job token as Bearer is not an
/// access token.
/// </summary>
[TestClass]
public sealed class GitLabJobTokenTests
{
    private const string JobToken = "glcbt-64_job-token-0001";

    public static IEnumerable<object[]> MlflowEndpoints =>
    [
        ["GET", "mlflow:experiments/get-by-name?experiment_name=%5Bmodel%5Dmy-model"],
        ["GET", "mlflow:registered-models/get?name=my-model"],
        ["GET", "mlflow:registered-models/search"],
        ["GET", "mlflow:model-versions/get?name=my-model&version=1.0.0"],
        ["GET", "mlflow:model-versions/get-download-uri?name=my-model&version={id}"],
        ["GET", "mlflow:runs/get?run_id={run}"],
        ["POST", "mlflow:runs/log-batch"],
        ["POST", "mlflow:model-versions/create"],
        ["GET", "artifacts:?path={id}"],
        ["GET", "artifacts:/{id}/model/a.bin"],
        ["GET", "project:"],
    ];

    [TestMethod]
    [DynamicData(nameof(MlflowEndpoints))]
    public async Task MlflowEndpoint_RefusesTheJobToken_InEitherHeader(string method, string endpoint)
    {
        await using var setup = await SetupAsync();
        var url = setup.Url(endpoint);

        var header = await setup.Ci.SendAsync(new HttpMethod(method), url, method == "GET" ? null : new { }, ("JOB-TOKEN", JobToken));
        var bearer = await setup.Ci.SendAsync(new HttpMethod(method), url, method == "GET" ? null : new { }, ("Authorization", "Bearer " + JobToken));

        if (endpoint.StartsWith("project:", StringComparison.Ordinal))
        {
            Assert.AreEqual(404, header.Code, "an anonymous request on a private project");
            Assert.AreEqual("{\"message\":\"404 Project Not Found\"}", header.Body);
        }
        else
        {
            Assert.AreEqual(401, header.Code, header.Body);
            Assert.AreEqual("{\"message\":\"401 Unauthorized\"}", header.Body);
        }

        Assert.AreEqual(401, bearer.Code, bearer.Body);
        Assert.AreEqual("invalid_token", (string)bearer.Json["error"]!);
    }

    [TestMethod]
    public async Task PackageFiles_TakeTheJobTokenAsBearer_ToDownloadAndUpload()
    {
        await using var setup = await SetupAsync();

        var download = await setup.Ci.GetAsync(setup.Url("files:model/a.bin"), ("Authorization", "Bearer " + JobToken));
        var upload = await setup.Ci.PutBytesAsync(setup.Url("files:model/b.bin"), [7, 8], ("Authorization", "Bearer " + JobToken));
        var byPath = await setup.Ci.GetAsync($"api/v4/projects/group%2Fproject/packages/ml_models/{setup.VersionId}/files/model/b.bin", ("Authorization", "Bearer " + JobToken));

        Assert.AreEqual(200, download.Code, download.Body);
        Assert.AreEqual("\u0001\u0002\u0003", download.Body);
        Assert.AreEqual(201, upload.Code, upload.Body);
        Assert.AreEqual(200, byPath.Code, "the project's URL-encoded path names it as well as its id");
        Assert.AreEqual("\u0007\u0008", byPath.Body);
    }

    [TestMethod]
    public async Task PackageFiles_DoNotReadTheJobTokenHeader()
    {
        await using var setup = await SetupAsync();

        var download = await setup.Ci.GetAsync(setup.Url("files:model/a.bin"), ("JOB-TOKEN", JobToken));
        var upload = await setup.Ci.PutBytesAsync(setup.Url("files:model/b.bin"), [7, 8], ("JOB-TOKEN", JobToken));

        Assert.AreEqual(404, download.Code, "anonymous on a private project");
        Assert.AreEqual("{\"message\":\"404 Project Not Found\"}", download.Body);
        Assert.AreEqual(401, upload.Code);
        Assert.AreEqual("{\"message\":\"401 Unauthorized\"}", upload.Body);
    }

    [TestMethod]
    public async Task PackageFiles_UnknownJobTokenAsBearer_Is401()
    {
        await using var setup = await SetupAsync();

        var answer = await setup.Ci.GetAsync(setup.Url("files:model/a.bin"), ("Authorization", "Bearer glcbt-64_not-a-job"));

        Assert.AreEqual(401, answer.Code);
        Assert.AreEqual("{\"message\":\"401 Unauthorized\"}", answer.Body, "authentication.rb answers unauthorized!, not the OAuth body");
    }

    private static async Task<Setup> SetupAsync()
    {
        var (server, projectId) = await GitLabAsync();
        server.AddJobToken(JobToken);
        using var api = new Api(server.BaseAddress, Bearer(Token));
        var version = await GitLabVersionAsync(api, projectId);
        var id = (string)version["version"]!;
        var put = await api.PutBytesAsync($"api/v4/projects/{projectId}/packages/ml_models/{id}/files/model/a.bin", [1, 2, 3]);
        Assert.AreEqual(201, put.Code, put.Body);
        return new Setup(server, projectId, id, (string)version["run_id"]!);
    }

    private sealed class Setup(TestRegistryServer server, int projectId, string versionId, string runId) : IAsyncDisposable
    {
        public Api Ci { get; } = new(server.BaseAddress);

        public string VersionId => versionId;

        public string Url(string endpoint)
        {
            var colon = endpoint.IndexOf(':', StringComparison.Ordinal);
            var rest = endpoint[(colon + 1)..].Replace("{id}", versionId, StringComparison.Ordinal).Replace("{run}", runId, StringComparison.Ordinal);
            return endpoint[..colon] switch
            {
                "mlflow" => GitLabMlflow(projectId) + rest,
                "artifacts" => GitLabArtifacts(projectId) + rest,
                "files" => $"api/v4/projects/{projectId}/packages/ml_models/{versionId}/files/{rest}",
                _ => $"api/v4/projects/{projectId}",
            };
        }

        public async ValueTask DisposeAsync()
        {
            Ci.Dispose();
            await server.DisposeAsync();
        }
    }
}
