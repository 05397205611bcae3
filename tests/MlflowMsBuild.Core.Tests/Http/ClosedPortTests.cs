using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MlflowMsBuild.Core.Credentials;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Registry;
using MlflowMsBuild.Core.Settings;
using MlflowMsBuild.Core.Tests.TestUtilities;

namespace MlflowMsBuild.Core.Tests.Http;

/// <summary>A registry address where nothing listens: one quick retry, then MLF6006 saying what was tried.</summary>
[TestClass]
public sealed class ClosedPortTests
{
    [TestMethod]
    public async Task ClosedPort_FailsWithinSeconds_AndSaysTheAddressAttemptsAndTime()
    {
        using var home = new TempDirectory();
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var environment = CredentialEnvironment.FromVariables(new Dictionary<string, string>(), home.Path);
        using var registry = RegistryLocator.Open($"http://127.0.0.1:{port}/", new MlflowHome(home.Path), home.Path, environment);
        var clock = Stopwatch.StartNew();

        var error = await MlfAssert.ThrowsAsync(MlfError.ConnectionFailed, () => registry.GetModelVersionAsync("test-model", "1", CancellationToken.None));

        Assert.IsLessThan(TimeSpan.FromSeconds(5), clock.Elapsed, "the default policy took 18-22 s here before");
        Assert.Contains($"http://127.0.0.1:{port}/api/2.0/mlflow/", error.Message);
        Assert.Contains("(2 attempts in ", error.Message);
    }
}
