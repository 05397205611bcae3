using MlflowMsBuild.TestServer.Tests.TestUtilities;
using static MlflowMsBuild.TestServer.Tests.TestUtilities.Servers;

namespace MlflowMsBuild.TestServer.Tests;

/// <summary>Names as real MLflow 2.12 and 3.11 servers treat them: paths decoded until stable, '#' refused, 3.x name rules.</summary>
[TestClass]
public sealed class MlflowNameTests
{
    private const string Proxy = "api/2.0/mlflow-artifacts/artifacts";

    [TestMethod]
    [DataRow("a%2520b.txt", "a b.txt")]
    [DataRow("%2541.txt", "A.txt")]
    [DataRow("sp%20ace.txt", "sp ace.txt")]
    [DataRow("q%3Fmark.txt", "q?mark.txt")]
    [DataRow("plus+sign.txt", "plus+sign.txt")]
    [DataRow("semi;colon.txt", "semi;colon.txt")]
    [DataRow("unicod%C3%A9.txt", "unicodé.txt")]
    public async Task ArtifactPaths_ArePercentDecodedUntilStableBeforeStoring(string sent, string stored)
    {
        await using var server = await MlflowAsync();
        using var api = new Api(server.BaseAddress);
        var (experimentId, runId, _) = await MlflowRunAsync(api);
        var root = $"{experimentId}/{runId}/artifacts";

        Assert.AreEqual(200, (await api.PutBytesAsync($"{Proxy}/{root}/edge/{sent}", [1, 2, 3])).Code);

        var listing = await api.GetAsync($"{Proxy}?path={root}/edge");
        Assert.AreEqual(stored, (string)listing.Json!["files"]![0]!["path"]!);
    }

    [TestMethod]
    public async Task AnEncodedSlash_MakesAFolder_AndHashIsInvalidPath()
    {
        await using var server = await MlflowAsync();
        using var api = new Api(server.BaseAddress);
        var (experimentId, runId, _) = await MlflowRunAsync(api);
        var root = $"{experimentId}/{runId}/artifacts";

        await api.PutBytesAsync($"{Proxy}/{root}/edge/x%252Fy.bin", [1]);
        var hash = await api.PutBytesAsync($"{Proxy}/{root}/edge/hash%23.txt", [1]);

        Assert.AreEqual("y.bin", (string)(await api.GetAsync($"{Proxy}?path={root}/edge/x")).Json!["files"]![0]!["path"]!);
        Assert.AreEqual(400, hash.Code);
        StringAssert.Contains(hash.Body, "Invalid path");
    }

    [TestMethod]
    [DataRow(2, 12, 200)]
    [DataRow(3, 11, 500)]
    public async Task NonAsciiDownloadThroughTheProxy_Fails500OnMlflow3Only(int major, int minor, int expected)
    {
        await using var server = await MlflowAsync(o => o.MlflowVersion = new Version(major, minor));
        using var api = new Api(server.BaseAddress);
        var (experimentId, runId, _) = await MlflowRunAsync(api);
        var file = $"{Proxy}/{experimentId}/{runId}/artifacts/edge/unicod%C3%A9.txt";
        await api.PutBytesAsync(file, [1, 2]);

        var download = await api.GetAsync(file);

        Assert.AreEqual(expected, download.Code);
        Assert.AreEqual(200, (await api.GetAsync($"get-artifact?run_id={runId}&path=edge%2Funicod%C3%A9.txt")).Code, "get-artifact serves it on both");
    }

    [TestMethod]
    [DataRow("tx a", 200, 200)]
    [DataRow("tx/b", 200, 400)]
    [DataRow("tx:c", 200, 400)]
    [DataRow("tx%d", 200, 200)]
    [DataRow("   ", 200, 400)]
    public async Task ModelNames_FollowEachReleasesValidator(string name, int on212, int on311)
    {
        await using var old = await MlflowAsync();
        await using var current = await MlflowAsync(o => o.MlflowVersion = new Version(3, 11));
        using var oldApi = new Api(old.BaseAddress);
        using var currentApi = new Api(current.BaseAddress);

        Assert.AreEqual(on212, (await oldApi.PostAsync("api/2.0/mlflow/registered-models/create", new { name })).Code);
        var answer = await currentApi.PostAsync("api/2.0/mlflow/registered-models/create", new { name });
        Assert.AreEqual(on311, answer.Code);
        if (on311 == 400 && name.Trim().Length > 0)
        {
            StringAssert.Contains(answer.Body, "Names cannot contain '/' or ':'.");
        }
    }
}
