using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Settings;
using MlflowMsBuild.Core.Tests.TestUtilities;
using MlflowMsBuild.TestServer;

namespace MlflowMsBuild.Core.Tests.Registry.Remote;

/// <summary>Credentials and refusals of an MLflow server behind authentication, and answers that are not MLflow's.</summary>
[TestClass]
public sealed class MlflowServerAuthTests
{
    private const string Token = "mlflow-token-SECRET-42";

    [TestMethod]
    public async Task BearerToken_FromTheEnvironment_IsSent()
    {
        await using var fixture = await RemoteFixture.StartAsync(RegistryFlavor.Mlflow, o => o.MlflowBearerToken = Token);
        fixture.Variables["MLFLOW_TRACKING_TOKEN"] = Token;

        var result = await fixture.PublishAsync();

        Assert.AreEqual("1", result.Version);
        Assert.IsTrue(fixture.Server.RequestLog.Entries.All(e => e.Headers["Authorization"] == "Bearer " + Token));
    }

    [TestMethod]
    public async Task BasicCredentials_FromTheEnvironment_AreSent()
    {
        await using var fixture = await RemoteFixture.StartAsync(RegistryFlavor.Mlflow, o =>
        {
            o.MlflowUsername = "alice";
            o.MlflowPassword = "p4ss-SECRET";
        });
        fixture.Variables["MLFLOW_TRACKING_USERNAME"] = "alice";
        fixture.Variables["MLFLOW_TRACKING_PASSWORD"] = "p4ss-SECRET";

        var result = await fixture.PublishAsync();

        Assert.AreEqual("1", result.Version);
    }

    [TestMethod]
    public async Task MissingOrWrongToken_IsUnauthenticated_AndSaysWhichVariablesToSet()
    {
        await using var fixture = await RemoteFixture.StartAsync(RegistryFlavor.Mlflow, o => o.MlflowBearerToken = Token);

        var missing = await MlfAssert.ThrowsAsync(MlfError.Unauthenticated, () => fixture.RestoreAsync("test-model", "1"));
        fixture.Variables["MLFLOW_TRACKING_TOKEN"] = "wrong-SECRET-token";
        var wrong = await MlfAssert.ThrowsAsync(MlfError.Unauthenticated, () => fixture.RestoreAsync("test-model", "1"));

        Assert.Contains("MLFLOW_TRACKING_TOKEN", missing.Message);
        Assert.AreEqual(401, wrong.ApiError?.StatusCode);
        Assert.DoesNotContain("wrong-SECRET-token", wrong.ToString());
    }

    [TestMethod]
    public async Task AddressThatIsNotTheTrackingServerRoot_IsANotFoundWithAHint()
    {
        await using var fixture = await RemoteFixture.StartAsync(RegistryFlavor.Mlflow);
        using var registry = MlflowMsBuild.Core.Registry.RegistryLocator.Open(fixture.Server.BaseAddress + "ui/", new MlflowHome(fixture.Home.Path),
            fixture.Repo.Root, fixture.Environment());

        var error = await MlfAssert.ThrowsAsync(MlfError.EndpointNotFound, () => registry.GetModelVersionAsync("test-model", "1", CancellationToken.None));

        Assert.Contains("root address", error.Message);
        Assert.Contains("HTML page", error.Message);
    }

    [TestMethod]
    public async Task ServerError_WithAnHtmlBody_IsRetriedThenReportedWithoutTheHtml()
    {
        await using var fixture = await RemoteFixture.StartAsync(RegistryFlavor.Mlflow);
        await fixture.PublishAsync();
        fixture.Server.Faults.RespondWith("GET", "model-versions/get$", 502, times: 10, retryAfter: "0",
            body: "<html><body>Bad gateway</body></html>", contentType: "text/html");

        var error = await MlfAssert.ThrowsAsync(MlfError.ServerError, () => fixture.RestoreAsync("test-model", "1"));

        Assert.AreEqual(502, error.ApiError?.StatusCode);
        Assert.DoesNotContain("<html>", error.Message);
        Assert.AreEqual(5, fixture.Server.RequestLog.Count("GET model-versions/get"), "a transient 502 is tried five times in all");
    }

    [TestMethod]
    public async Task TransientServerError_IsRetried_AndTheRestoreSucceeds()
    {
        await using var fixture = await RemoteFixture.StartAsync(RegistryFlavor.Mlflow);
        await fixture.PublishAsync();
        fixture.Server.Faults.RespondWith("GET", "model-versions/get$", 503, times: 2, retryAfter: "0");

        var restored = await fixture.RestoreAsync("test-model", "1");

        Assert.AreEqual("1", restored.Version);
        Assert.AreEqual(3, fixture.Server.RequestLog.Count("GET model-versions/get"));
    }

    [TestMethod]
    public async Task MlflowHttpRequestMaxRetries_BoundsTheAttempts()
    {
        await using var fixture = await RemoteFixture.StartAsync(RegistryFlavor.Mlflow);
        await fixture.PublishAsync();
        fixture.Server.Faults.RespondWith("GET", "model-versions/get$", 503, times: 10, retryAfter: "0");
        fixture.Variables["MLFLOW_HTTP_REQUEST_MAX_RETRIES"] = "1";

        var error = await MlfAssert.ThrowsAsync(MlfError.ServerError, () => fixture.RestoreAsync("test-model", "1"));

        Assert.AreEqual(2, fixture.Server.RequestLog.Count("GET model-versions/get"), "one retry after the first attempt");
        Assert.Contains("(2 attempts in ", error.Message);
    }
}
