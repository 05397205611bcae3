using System.Diagnostics;
using System.Security.Cryptography;
using MlflowMsBuild.TestServer.Tests.TestUtilities;
using static MlflowMsBuild.TestServer.Tests.TestUtilities.Servers;

namespace MlflowMsBuild.TestServer.Tests;

[TestClass]
public sealed class FaultInjectionTests
{
    [TestMethod]
    public async Task StatusFault_AppliesToTheNextNMatchingRequests_WithRetryAfterAndBody()
    {
        await using var server = await MlflowAsync();
        using var api = new Api(server.BaseAddress);
        var fault = server.Faults.RespondWith("GET", "experiments/search$", 503, times: 2, retryAfter: "3", body: "{\"detail\":\"busy\"}");

        var first = await api.GetAsync(MlflowApi + "experiments/search");
        Assert.AreEqual(503, first.Code);
        Assert.AreEqual("3", first.Header("Retry-After"));
        Assert.AreEqual("{\"detail\":\"busy\"}", first.Body);
        Assert.AreEqual(200, (await api.GetAsync(MlflowApi + "experiments/get?experiment_id=0")).Code, "other paths are untouched");
        Assert.AreEqual(503, (await api.GetAsync(MlflowApi + "experiments/search")).Code);
        Assert.AreEqual(200, (await api.GetAsync(MlflowApi + "experiments/search")).Code);
        Assert.AreEqual(0, fault.Remaining);
        Assert.AreEqual(2, fault.Applied);

        Assert.AreEqual(3, server.RequestLog.Count("GET experiments/search"));
        CollectionAssert.AreEqual(new[] { 503, 200, 503, 200 }, server.RequestLog.Entries.Select(e => e.StatusCode).ToArray());
        Assert.AreEqual("status 503", server.RequestLog.Entries[0].Fault);
    }

    [TestMethod]
    public async Task EndlessBodyFault_SendsChunkedWithoutContentLength_UntilTheClientLeaves()
    {
        await using var server = await MlflowAsync();
        using var api = new Api(server.BaseAddress);
        var fault = server.Faults.EndlessBody("GET", "endless\\.bin$", "head:", "Z");

        using var response = await api.Http.GetAsync("api/2.0/mlflow-artifacts/artifacts/0/endless.bin", HttpCompletionOption.ResponseHeadersRead);
        Assert.AreEqual(200, (int)response.StatusCode);
        Assert.IsNull(response.Content.Headers.ContentLength);
        Assert.IsTrue(response.Headers.TransferEncodingChunked);
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[10_000_000];
        var received = 0;
        while (received < buffer.Length) received += await body.ReadAsync(buffer.AsMemory(received));

        Assert.AreEqual("head:ZZZ", System.Text.Encoding.ASCII.GetString(buffer, 0, 8));
        Assert.IsTrue(buffer.AsSpan(5).IndexOfAnyExcept((byte)'Z') < 0, "the unit repeats");
        Assert.AreEqual(1, fault.Applied);
        Assert.IsGreaterThanOrEqualTo(10_000_000L, fault.BytesSent);
        Assert.AreEqual("endless body", server.RequestLog.Entries[0].Fault);
    }

    [TestMethod]
    public async Task StatusFault_WithADelay_AnswersNoSooner()
    {
        await using var server = await MlflowAsync();
        using var api = new Api(server.BaseAddress);
        server.Faults.RespondWith("GET", "experiments/search$", 200, body: "{}", delay: TimeSpan.FromMilliseconds(300));
        var clock = Stopwatch.StartNew();

        var answer = await api.GetAsync(MlflowApi + "experiments/search");

        Assert.AreEqual(200, answer.Code);
        Assert.AreEqual("{}", answer.Body);
        Assert.IsGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(290), clock.Elapsed);
    }

    [TestMethod]
    public async Task ResetFault_CutsADownloadMidBody_ThenTheNextDownloadIsWhole()
    {
        await using var server = await MlflowAsync();
        using var api = new Api(server.BaseAddress);
        var (experimentId, runId, _) = await MlflowRunAsync(api);
        var file = $"api/2.0/mlflow-artifacts/artifacts/{experimentId}/{runId}/artifacts/big.bin";
        var bytes = new byte[1_000_000];
        Random.Shared.NextBytes(bytes);
        await api.PutBytesAsync(file, bytes);
        server.Faults.ResetAfter("GET", "big\\.bin$", 200_000);

        using var response = await api.Http.GetAsync(file, HttpCompletionOption.ResponseHeadersRead);
        Assert.AreEqual(200, (int)response.StatusCode, "headers arrive, then the body stops");
        await using var body = await response.Content.ReadAsStreamAsync();
        var received = 0L;
        var buffer = new byte[65536];
        var failed = false;
        try
        {
            int read;
            while ((read = await body.ReadAsync(buffer)) > 0) received += read;
        }
        catch (HttpIOException)
        {
            failed = true;
        }
        catch (IOException)
        {
            failed = true;
        }
        Assert.IsTrue(failed, $"the body must fail, received {received}");
        Assert.IsTrue(received <= 200_000, $"received {received}");

        CollectionAssert.AreEqual(bytes, await api.Http.GetByteArrayAsync(file));
        Assert.AreEqual(2, server.RequestLog.Count("GET artifacts"));
    }

    [TestMethod]
    public async Task ResetFault_OnUpload_StoresNothing()
    {
        var (server, projectId) = await GitLabAsync();
        await using var serverScope = server;
        using var api = new Api(server.BaseAddress, Bearer(Token));
        var id = (string)(await GitLabVersionAsync(api, projectId))["version"]!;
        server.Faults.ResetAfter("PUT", "files/part\\.bin$", 100_000);

        await Assert.ThrowsExactlyAsync<HttpRequestException>(() =>
            api.PutBytesAsync($"api/v4/projects/{projectId}/packages/ml_models/{id}/files/part.bin", new byte[500_000]));
        var listing = await api.GetAsync(GitLabArtifacts(projectId) + $"?path={id}");
        Assert.AreEqual("{\"files\":[]}", listing.Body);
        Assert.AreEqual(1, server.RequestLog.Count("PUT artifacts"));
        Assert.AreEqual(0, server.RequestLog.Entries.Single(e => e.EndpointKey == "PUT artifacts").StatusCode, "no answer was sent");
    }

    [TestMethod]
    public async Task ThrottleFault_SlowsTheBodyToTheGivenRate()
    {
        await using var server = await MlflowAsync();
        using var api = new Api(server.BaseAddress);
        var (experimentId, runId, _) = await MlflowRunAsync(api);
        var file = $"api/2.0/mlflow-artifacts/artifacts/{experimentId}/{runId}/artifacts/slow.bin";
        await api.PutBytesAsync(file, new byte[100_000]);
        server.Faults.Throttle("GET", "slow\\.bin$", bytesPerSecond: 200_000);

        var clock = Stopwatch.StartNew();
        var slow = await api.Http.GetByteArrayAsync(file);
        var elapsed = clock.Elapsed;
        Assert.HasCount(100_000, slow);
        Assert.IsTrue(elapsed >= TimeSpan.FromMilliseconds(400), $"100 kB at 200 kB/s took {elapsed}");
        Assert.AreEqual("throttle 200000 B/s", server.RequestLog.Entries[^1].Fault);
    }

    [TestMethod]
    public async Task ThrottleFault_LimitedToTheFirstBytes_LetsTheRestMoveAtFullSpeed()
    {
        await using var server = await MlflowAsync();
        using var api = new Api(server.BaseAddress);
        var (experimentId, runId, _) = await MlflowRunAsync(api);
        var file = $"api/2.0/mlflow-artifacts/artifacts/{experimentId}/{runId}/artifacts/slow.bin";
        var bytes = RandomNumberGenerator.GetBytes(4_000_000);
        await api.PutBytesAsync(file, bytes);
        server.Faults.Throttle("GET", "slow\\.bin$", bytesPerSecond: 200_000, throttledBytes: 100_000);

        var clock = Stopwatch.StartNew();
        var body = await api.Http.GetByteArrayAsync(file);
        var elapsed = clock.Elapsed;
        CollectionAssert.AreEqual(bytes, body);
        // Throttled whole, the body would take 20 s; its first 100 kB take 0.5 s.
        Assert.IsTrue(elapsed >= TimeSpan.FromMilliseconds(400) && elapsed < TimeSpan.FromSeconds(10), $"took {elapsed}");
        Assert.AreEqual("throttle 200000 B/s for 100000 bytes", server.RequestLog.Entries[^1].Fault);
    }

    [TestMethod]
    public async Task RequestLog_RecordsRawTargetHeadersAndUnknownRoutes()
    {
        await using var server = await MlflowAsync();
        using var api = new Api(server.BaseAddress, ("User-Agent", "probe/1.0"));
        await api.GetAsync(MlflowApi + "registered-models/get?name=a%20b");
        await api.GetAsync("nowhere");

        var entries = server.RequestLog.Entries;
        Assert.AreEqual("/api/2.0/mlflow/registered-models/get?name=a%20b", entries[0].PathAndQuery);
        Assert.AreEqual("GET registered-models/get", entries[0].EndpointKey);
        Assert.AreEqual(404, entries[0].StatusCode);
        Assert.AreEqual("probe/1.0", entries[0].Headers["user-agent"]);
        Assert.AreEqual("GET unknown", entries[1].EndpointKey);
        server.RequestLog.Clear();
        Assert.HasCount(0, server.RequestLog.Entries);
    }
}
