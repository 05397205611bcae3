using System.Net.Http.Headers;
using MlflowMsBuild.TestServer.Tests.TestUtilities;
using static MlflowMsBuild.TestServer.Tests.TestUtilities.Servers;

namespace MlflowMsBuild.TestServer.Tests;

[TestClass]
public sealed class GitLabArtifactTests
{
    [TestMethod]
    public async Task Upload_Is201_NestedNamesStoredWithEncodedSlash_ListingIsFlat()
    {
        var (server, projectId) = await GitLabAsync();
        await using var serverScope = server;
        using var api = new Api(server.BaseAddress, Bearer(Token));
        var version = await GitLabVersionAsync(api, projectId);
        var id = (string)version["version"]!;
        var runUri = (string)(await api.GetAsync(GitLabMlflow(projectId) + $"runs/get?run_id={(string)version["run_id"]!}")).Json["run"]!["info"]!["artifact_uri"]!;

        var put = await api.PutBytesAsync(runUri + "model/model.onnx", new byte[1234]);
        Assert.AreEqual(201, put.Code);
        await api.PutBytesAsync(runUri + "MLmodel", "flavors: {}"u8.ToArray());

        var listing = await api.GetAsync(GitLabArtifacts(projectId) + $"?path={id}");
        var files = listing.Json["files"]!.AsArray().Select(f => ((string)f!["path"]!, (long)f["file_size"]!, (bool)f["is_dir"]!)).ToList();
        CollectionAssert.AreEquivalent(new[] { ("model%2Fmodel.onnx", 1234L, false), ("MLmodel", 11L, false) }, files);
        Assert.AreEqual("{\"files\":[]}", (await api.GetAsync(GitLabArtifacts(projectId) + $"?path={id}/model")).Body);
        Assert.AreEqual(404, (await api.GetAsync(GitLabArtifacts(projectId) + "?path=99999")).Code);
    }

    [TestMethod]
    public async Task Download_ThroughArtifactsAndPackages_HasLengthAndHonoursRange()
    {
        var (server, projectId) = await GitLabAsync();
        await using var serverScope = server;
        using var api = new Api(server.BaseAddress, Bearer(Token));
        var id = (string)(await GitLabVersionAsync(api, projectId))["version"]!;
        var bytes = Enumerable.Range(0, 300).Select(i => (byte)i).ToArray();
        await api.PutBytesAsync($"api/v4/projects/{projectId}/packages/ml_models/{id}/files/dir/model.bin", bytes);

        var viaArtifacts = await api.Http.GetAsync(GitLabArtifacts(projectId) + $"/{id}/dir/model.bin");
        Assert.AreEqual(200, (int)viaArtifacts.StatusCode);
        Assert.AreEqual(300, viaArtifacts.Content.Headers.ContentLength);
        Assert.AreEqual("dir%2Fmodel.bin", viaArtifacts.Content.Headers.ContentDisposition!.FileName!.Trim('"'));
        CollectionAssert.AreEqual(bytes, await viaArtifacts.Content.ReadAsByteArrayAsync());

        using var ranged = new HttpRequestMessage(HttpMethod.Get, $"api/v4/projects/{projectId}/packages/ml_models/{id}/files/dir/model.bin");
        ranged.Headers.Range = new RangeHeaderValue(100, null);
        using var partial = await api.Http.SendAsync(ranged);
        Assert.AreEqual(206, (int)partial.StatusCode);
        CollectionAssert.AreEqual(bytes[100..], await partial.Content.ReadAsByteArrayAsync());
        Assert.AreEqual(404, (await api.GetAsync(GitLabArtifacts(projectId) + $"/{id}/missing.bin")).Code);
    }

    [TestMethod]
    public async Task FileNames_AreValidated_SpacesDoNotMatchOnArtifactsRoute_DuplicatesAreKept()
    {
        var (server, projectId) = await GitLabAsync();
        await using var serverScope = server;
        using var api = new Api(server.BaseAddress, Bearer(Token));
        var id = (string)(await GitLabVersionAsync(api, projectId))["version"]!;
        var files = $"api/v4/projects/{projectId}/packages/ml_models/{id}/files/";

        Assert.AreEqual("{\"error\":\"file_name is invalid\"}", (await api.PutBytesAsync(files + "bad%2Fname.bin", [1])).Body);
        Assert.AreEqual(400, (await api.PutBytesAsync(files + "we!rd.bin", [1])).Code);
        Assert.AreEqual(400, (await api.PutBytesAsync(files + "..%2Fb.bin", [1])).Code);

        Assert.AreEqual(201, (await api.PutBytesAsync(files + "with space.txt", [1])).Code);
        Assert.AreEqual(200, (await api.GetAsync(files + "with%20space.txt")).Code);
        Assert.AreEqual(404, (await api.GetAsync(GitLabArtifacts(projectId) + $"/{id}/with%20space.txt")).Code);

        await api.PutBytesAsync(files + "twice.bin", [1]);
        await api.PutBytesAsync(files + "twice.bin", [2, 2]);
        var listing = await api.GetAsync(GitLabArtifacts(projectId) + $"?path={id}");
        Assert.AreEqual(2, listing.Json["files"]!.AsArray().Count(f => (string)f!["path"]! == "twice.bin"));
        Assert.AreEqual(2, (await api.Http.GetByteArrayAsync(files + "twice.bin")).Length, "the newest wins");
    }

    [TestMethod]
    public async Task SizeLimit_IsGreaterOrEqual_CandidateFilesListUnderCandidatePrefix()
    {
        var (server, projectId) = await GitLabAsync(o => o.GitLabMaxFileSize = 10);
        await using var serverScope = server;
        using var api = new Api(server.BaseAddress, Bearer(Token));
        var id = (string)(await GitLabVersionAsync(api, projectId))["version"]!;
        var files = $"api/v4/projects/{projectId}/packages/ml_models/{id}/files/";
        Assert.AreEqual(201, (await api.PutBytesAsync(files + "nine.bin", new byte[9])).Code);
        var tooLarge = await api.PutBytesAsync(files + "ten.bin", new byte[10]);
        Assert.AreEqual("{\"message\":\"400 Bad request - Artifact file is too large\"}", tooLarge.Body);

        var experimentId = (string)(await api.PostAsync(GitLabMlflow(projectId) + "experiments/create", new { name = "e" })).Json["experiment_id"]!;
        var runUri = (string)(await api.PostAsync(GitLabMlflow(projectId) + "runs/create", new { experiment_id = experimentId })).Json["run"]!["info"]!["artifact_uri"]!;
        Assert.AreEqual(201, (await api.PutBytesAsync(runUri + "c.bin", [1])).Code);
        var owner = runUri.Split("/ml_models/")[1].Split('/')[0];
        StringAssert.StartsWith(owner, "candidate:");
        var listing = await api.GetAsync(GitLabArtifacts(projectId) + $"?path={owner}");
        Assert.AreEqual("c.bin", (string)listing.Json["files"]![0]!["path"]!);
    }

    [TestMethod]
    public async Task ObjectStorage_RedirectsToSignedUrl_ThatRefusesAuthorizationHeader()
    {
        var (server, projectId) = await GitLabAsync(o => o.GitLabObjectStorage = true);
        await using var serverScope = server;
        using var api = new Api(server.BaseAddress, ("Authorization", "Bearer " + Token));
        var id = (string)(await GitLabVersionAsync(api, projectId))["version"]!;
        await api.PutBytesAsync($"api/v4/projects/{projectId}/packages/ml_models/{id}/files/m.bin", [7, 7, 7]);

        var redirect = await api.GetAsync(GitLabArtifacts(projectId) + $"/{id}/m.bin");
        Assert.AreEqual(302, redirect.Code);
        var location = redirect.Response.Headers.Location!;
        Assert.AreEqual(400, (await api.GetAsync(location.ToString())).Code, "S3 refuses a second auth mechanism");
        using var plain = new HttpClient();
        CollectionAssert.AreEqual(new byte[] { 7, 7, 7 }, await plain.GetByteArrayAsync(location));
    }

    [TestMethod]
    public async Task RelativeUrlRoot_PrefixesRoutesAndArtifactUris()
    {
        var (server, projectId) = await GitLabAsync(o => o.GitLabRelativeUrlRoot = "/gitlab");
        await using var serverScope = server;
        StringAssert.EndsWith(server.BaseAddress.ToString(), "/gitlab/");
        using var api = new Api(server.BaseAddress, Bearer(Token));
        var version = await GitLabVersionAsync(api, projectId);
        var run = await api.GetAsync(GitLabMlflow(projectId) + $"runs/get?run_id={(string)version["run_id"]!}");
        StringAssert.StartsWith((string)run.Json["run"]!["info"]!["artifact_uri"]!, server.BaseAddress + $"api/v4/projects/{projectId}/packages/");
        Assert.AreEqual(server.GitLabTrackingUri(projectId), new Uri(server.BaseAddress, $"api/v4/projects/{projectId}/ml/mlflow"));

        using var outside = new Api(new Uri(server.BaseAddress, "/"), Bearer(Token));
        Assert.AreEqual(404, (await outside.GetAsync($"api/v4/projects/{projectId}")).Code);
    }
}
