using static MlflowMsBuild.TestServer.Tests.Conformance.SpecFixture;

namespace MlflowMsBuild.TestServer.Tests.Conformance;

/// <summary>
/// spec/requests/api/ml/mlflow/metrics_spec.rb (metrics/get-history) against the GitLab double: 11 cases; 10 covered
/// ("authorizing granular token permissions" needs GitLab's fine-grained tokens, which the double does not model).
/// </summary>
[TestClass]
public sealed class MetricsSpec
{
    /// <summary>Five "loss" values 1/(step+1) at steps 0..4, logged out of order.</summary>
    private static async Task<SpecFixture> WithHistoryAsync()
    {
        var f = await StartAsync();
        using var api = f.Api();
        foreach (var step in new[] { 3, 0, 4, 1, 2 })
        {
            var answer = await api.PostAsync(f.Mlflow("runs/log-metric"), new { run_id = f.CandidateId, key = "loss", value = 1.0 / (step + 1), timestamp = 1718000000000 + step, step });
            Assert.AreEqual(200, answer.Code, answer.Body);
        }

        return f;
    }

    [TestMethod]
    public async Task ReturnsMetricHistoryOrderedByStep()
    {
        await using var f = await WithHistoryAsync();
        using var api = f.Api(Read);

        var answer = await api.GetAsync(f.Mlflow($"metrics/get-history?run_id={f.CandidateId}&metric_key=loss"));

        var metrics = answer.Json["metrics"]!.AsArray();
        CollectionAssert.AreEqual(new long[] { 0, 1, 2, 3, 4 }, metrics.Select(m => (long)m!["step"]!).ToArray());
        CollectionAssert.AreEqual(new[] { 1.0, 0.5, 1.0 / 3, 0.25, 0.2 }, metrics.Select(m => (double)m!["value"]!).ToArray());
        Assert.IsTrue(metrics.All(m => (string)m!["key"]! == "loss" && m.AsObject().ContainsKey("timestamp")));
    }

    [TestMethod]
    public async Task WithMaxResultsParameter_ReturnsLimitedMetricsAndNextPageToken()
    {
        await using var f = await WithHistoryAsync();
        using var api = f.Api(Read);

        var answer = await api.GetAsync(f.Mlflow($"metrics/get-history?run_id={f.CandidateId}&metric_key=loss&max_results=2"));

        Assert.HasCount(2, answer.Json["metrics"]!.AsArray());
        Assert.IsFalse(string.IsNullOrEmpty((string?)answer.Json["next_page_token"]));
    }

    [TestMethod]
    public async Task WithPageTokenParameter_ReturnsTheNextPageOfMetrics()
    {
        await using var f = await WithHistoryAsync();
        using var api = f.Api(Read);
        var first = await api.GetAsync(f.Mlflow($"metrics/get-history?run_id={f.CandidateId}&metric_key=loss&max_results=2"));

        var second = await api.GetAsync(f.Mlflow($"metrics/get-history?run_id={f.CandidateId}&metric_key=loss&max_results=2&page_token="
            + Uri.EscapeDataString((string)first.Json["next_page_token"]!)));

        CollectionAssert.AreEqual(new long[] { 2, 3 }, second.Json["metrics"]!.AsArray().Select(m => (long)m!["step"]!).ToArray());
    }

    [TestMethod]
    public async Task WhenMetricDoesNotExist_ReturnsEmptyMetricsArray()
    {
        await using var f = await WithHistoryAsync();
        using var api = f.Api(Read);

        var answer = await api.GetAsync(f.Mlflow($"metrics/get-history?run_id={f.CandidateId}&metric_key=nonexistent"));

        Assert.AreEqual(200, answer.Code);
        Assert.IsEmpty(answer.Json["metrics"]!.AsArray());
    }

    [TestMethod]
    [DataRow("when run_id is not provided", "metric_key=loss")]
    [DataRow("when metric_key is not provided", "run_id={0}")]
    public async Task ReturnsBadRequest(string context, string query)
    {
        await using var f = await WithHistoryAsync();
        using var api = f.Api(Read);

        var answer = await api.GetAsync(f.Mlflow("metrics/get-history?" + string.Format(System.Globalization.CultureInfo.InvariantCulture, query, f.CandidateId)));

        Assert.AreEqual(400, answer.Code, context);
    }

    [TestMethod]
    [DataRow("when run_id is invalid")]
    [DataRow("when run_id is not in the project")]
    public async Task ReturnsResourceDoesNotExist(string context)
    {
        await using var f = await WithHistoryAsync();
        using var api = f.Api(Read);
        var invalid = context.EndsWith("invalid", StringComparison.Ordinal);

        var answer = await api.GetAsync(f.Mlflow($"metrics/get-history?run_id={(invalid ? "99999" : f.CandidateId)}&metric_key=loss",
            invalid ? null : f.AnotherProjectId));

        Assert.AreEqual(404, answer.Code, context);
        Assert.AreEqual("RESOURCE_DOES_NOT_EXIST", (string)answer.Json["error_code"]!, context);
    }

    [TestMethod]
    [DataRow("with read-only token", Read, 200)]
    [DataRow("with no access token", NoAccess, 403)]
    public async Task TokenScopes(string context, string token, int status)
    {
        await using var f = await WithHistoryAsync();
        using var api = f.Api(token);

        Assert.AreEqual(status, (await api.GetAsync(f.Mlflow($"metrics/get-history?run_id={f.CandidateId}&metric_key=loss"))).Code, context);
    }
}
