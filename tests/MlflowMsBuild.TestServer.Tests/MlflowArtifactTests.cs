using System.Net.Http.Headers;
using MlflowMsBuild.TestServer.Tests.TestUtilities;
using static MlflowMsBuild.TestServer.Tests.TestUtilities.Servers;

namespace MlflowMsBuild.TestServer.Tests;

[TestClass]
public sealed class MlflowArtifactTests
{
    private const string Proxy = "api/2.0/mlflow-artifacts/artifacts";

    [TestMethod]
    public async Task Upload_Is200EmptyJson_DownloadIsChunkedWithoutLengthAndIgnoresRange()
    {
        await using var server = await MlflowAsync();
        using var api = new Api(server.BaseAddress);
        var (experimentId, runId, _) = await MlflowRunAsync(api);
        var file = $"{Proxy}/{experimentId}/{runId}/artifacts/model/model.onnx";
        var bytes = Enumerable.Range(0, 1000).Select(i => (byte)i).ToArray();

        var put = await api.PutBytesAsync(file, bytes);
        Assert.AreEqual(200, put.Code);
        Assert.AreEqual("{}", put.Body);

        using var request = new HttpRequestMessage(HttpMethod.Get, file);
        request.Headers.Range = new RangeHeaderValue(100, 199);
        using var response = await api.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.AreEqual(200, (int)response.StatusCode, "Range is ignored");
        Assert.IsTrue(response.Headers.TransferEncodingChunked == true);
        Assert.IsFalse(response.Content.Headers.NonValidated.Contains("Content-Length"));
        Assert.AreEqual("application/octet-stream", response.Content.Headers.ContentType!.MediaType);
        CollectionAssert.AreEqual(bytes, await response.Content.ReadAsByteArrayAsync());
    }

    [TestMethod]
    public async Task Listing_BasenamesNotRecursive_DirectoryGetIsHtml500_TrackingListIsRunRelative()
    {
        await using var server = await MlflowAsync();
        using var api = new Api(server.BaseAddress);
        var (experimentId, runId, _) = await MlflowRunAsync(api);
        var root = $"{experimentId}/{runId}/artifacts";
        await api.PutBytesAsync($"{Proxy}/{root}/model/model.onnx", new byte[1000]);
        await api.PutBytesAsync($"{Proxy}/{root}/model/sub/extra.bin", new byte[3]);

        var listing = await api.GetAsync($"{Proxy}?path={root}/model");
        var files = listing.Json["files"]!.AsArray();
        Assert.AreEqual("model.onnx", (string)files[0]!["path"]!);
        Assert.AreEqual(1000, (long)files[0]!["file_size"]!);
        Assert.AreEqual("sub", (string)files[1]!["path"]!);
        Assert.IsTrue((bool)files[1]!["is_dir"]!);
        Assert.IsFalse(files[1]!.AsObject().ContainsKey("file_size"));
        Assert.AreEqual("{}", (await api.GetAsync($"{Proxy}?path={root}/nothing-here")).Body);

        var directory = await api.GetAsync($"{Proxy}/{root}/model");
        Assert.AreEqual(500, directory.Code);
        StringAssert.Contains(directory.Body, "<title>500 Internal Server Error</title>");
        var missing = await api.GetAsync($"{Proxy}/{root}/model/missing.onnx");
        Assert.AreEqual(500, missing.Code, "MLflow 2.12 answers a missing artifact with 500, not 404");
        Assert.AreEqual("INTERNAL_ERROR", (string)missing.Json["error_code"]!);

        var tracking = await api.GetAsync(MlflowApi + $"artifacts/list?run_id={runId}&path=model");
        Assert.AreEqual($"mlflow-artifacts:/{root}", (string)tracking.Json["root_uri"]!);
        Assert.AreEqual("model/model.onnx", (string)tracking.Json["files"]![0]!["path"]!);

        var viaUiRoute = await api.Http.GetByteArrayAsync($"get-artifact?run_id={runId}&path=model/sub/extra.bin");
        Assert.HasCount(3, viaUiRoute);
    }

    [TestMethod]
    public async Task PathTraversal_Is400_MultipartIsNotImplemented_ServingOffIs503()
    {
        await using var server = await MlflowAsync();
        using var api = new Api(server.BaseAddress);
        var traversal = await api.GetAsync($"{Proxy}?path=" + Uri.EscapeDataString("1/../../etc"));
        Assert.AreEqual(400, traversal.Code);
        var mpu = await api.PostAsync("api/2.0/mlflow-artifacts/mpu/create/1/x/artifacts/f.bin", new { path = "f.bin" });
        Assert.AreEqual(501, mpu.Code);
        Assert.AreEqual("NOT_IMPLEMENTED", (string)mpu.Json["error_code"]!);

        await using var noArtifacts = await MlflowAsync(o => o.MlflowServeArtifacts = false);
        using var api2 = new Api(noArtifacts.BaseAddress);
        Assert.AreEqual(503, (await api2.PutBytesAsync($"{Proxy}/0/r/artifacts/f", [1])).Code);
    }
}
