using MlflowMsBuild.Core.Credentials;
using MlflowMsBuild.Core.Credentials.Python;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Registry;
using MlflowMsBuild.Core.Registry.Local;
using MlflowMsBuild.Core.Settings;
using MlflowMsBuild.Core.Tests.TestUtilities;

namespace MlflowMsBuild.Core.Tests.Registry;

[TestClass]
public sealed class RegistryLocatorTests
{
    [TestMethod]
    [DataRow(null)]
    [DataRow("")]
    [DataRow("   ")]
    public void Open_EmptySetting_GivesTheEmbeddedRegistryOfTheHome(string? setting)
    {
        using var home = new TempDirectory();

        var registry = RegistryLocator.Open(setting, new MlflowHome(home.Path), home.Combine("project"));

        Assert.AreEqual(Path.Combine(home.Path, "registry"), Assert.IsInstanceOfType<LocalRegistry>(registry).Root);
    }

    [TestMethod]
    public void Open_RelativeFolder_IsRelativeToTheBaseDirectory()
    {
        using var home = new TempDirectory();

        var registry = RegistryLocator.Open(" ../shared-registry ", new MlflowHome(home.Path), home.Combine("repo", "project"));

        Assert.AreEqual(home.Combine("repo", "shared-registry"), Assert.IsInstanceOfType<LocalRegistry>(registry).Root);
    }

    [TestMethod]
    public void Open_AbsoluteFolder_IsUsedAsIs()
    {
        using var home = new TempDirectory();
        var folder = home.Combine("elsewhere", "registry");

        var registry = RegistryLocator.Open(folder, new MlflowHome(home.Path), home.Combine("project"));

        Assert.AreEqual(folder, Assert.IsInstanceOfType<LocalRegistry>(registry).Root);
    }

    [TestMethod]
    [DataRow("https://mlflow.example.org", "mlflow")]
    [DataRow("http://localhost:5000", "mlflow")]
    [DataRow("gitlab:https://gitlab.example.org/group/sub/project", "gitlab")]
    [DataRow("GitLab:https://gitlab.example.org/group/project", "gitlab")]
    [DataRow("https://gitlab.example.org/api/v4/projects/42/ml/mlflow", "gitlab")]
    public void Open_ServerSetting_OpensThatKindWithoutAnyRequest(string setting, string kind)
    {
        using var home = new TempDirectory();

        using var registry = RegistryLocator.Open(setting, new MlflowHome(home.Path), home.Path, Environment());

        Assert.AreEqual(kind, registry.Descriptor.Kind);
        Assert.IsFalse(Directory.Exists(home.Combine("registry")));
    }

    [TestMethod]
    public void Open_GitLabProjectPath_TakesTheServerFromCiServerUrl()
    {
        using var home = new TempDirectory();

        using var registry = RegistryLocator.Open("gitlab:group/sub/project", new MlflowHome(home.Path), home.Path,
            Environment(("CI_SERVER_URL", "https://gitlab.example.org")));

        Assert.AreEqual("gitlab", registry.Descriptor.Kind);
        Assert.Contains("https://gitlab.example.org/group/sub/project", registry.Descriptor.DisplayName);
    }

    [TestMethod]
    public void Open_GitLabProjectPathWithoutAnyServer_SaysWhereToNameOne()
    {
        using var home = new TempDirectory();

        MlfAssert.Throws(MlfError.GitLabServerUnknown,
            () => RegistryLocator.Open("gitlab:group/project", new MlflowHome(home.Path), home.Path, Environment()));
    }

    [TestMethod]
    [DataRow("gitlab:project-without-group")]
    [DataRow("s3://bucket/registry")]
    public void Open_UnusableSetting_IsRefused(string setting)
    {
        using var home = new TempDirectory();

        var error = MlfAssert.Throws(MlfError.RegistrySettingUnsupported,
            () => RegistryLocator.Open(setting, new MlflowHome(home.Path), home.Path, Environment(("CI_SERVER_URL", "https://gitlab.example.org"))));

        Assert.Contains($"'{setting}'", error.Message);
    }

    [TestMethod]
    [DataRow("https://mlflow.example.org", "mlflow")]
    [DataRow("sqlite:///mlflow.db", "local")]
    public void Open_EmptySetting_FollowsAnHttpTrackingUriOnly(string trackingUri, string kind)
    {
        using var home = new TempDirectory();

        using var registry = RegistryLocator.Open("", new MlflowHome(home.Path), home.Path, Environment(("MLFLOW_TRACKING_URI", trackingUri)));

        Assert.AreEqual(kind, registry.Descriptor.Kind);
    }

    [TestMethod]
    [DataRow("http://alice:s3cret-pw@127.0.0.1:5005", "'http://127.0.0.1:5005/'", "MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD")]
    [DataRow("https://alice:s3cret-pw@gitlab.example.org/api/v4/projects/42/ml/mlflow", "'https://gitlab.example.org/api/v4/projects/42/ml/mlflow'", "GITLAB_TOKEN")]
    [DataRow("gitlab:https://alice:s3cret-pw@gitlab.example.org/group/project", "'gitlab:https://gitlab.example.org/group/project'", "GITLAB_TOKEN")]
    [DataRow("ftp://alice:s3cret-pw@example.org/registry", "'ftp://example.org/registry'", "MLFLOW_TRACKING_PASSWORD")]
    public void Open_AddressWithCredentials_IsRefusedRedacted(string setting, string redacted, string instead)
    {
        using var home = new TempDirectory();

        var error = MlfAssert.Throws(MlfError.RegistryAddressHoldsCredentials,
            () => RegistryLocator.Open(setting, new MlflowHome(home.Path), home.Path, Environment()));

        Assert.Contains("MlflowRegistry " + redacted, error.Message);
        Assert.Contains(instead, error.Message);
        Assert.DoesNotContain("s3cret-pw", error.Message);
        Assert.DoesNotContain("alice", error.Message);
    }

    [TestMethod]
    public void Open_TrackingUriVariableWithCredentials_IsRefusedNamingTheVariable()
    {
        using var home = new TempDirectory();

        var error = MlfAssert.Throws(MlfError.RegistryAddressHoldsCredentials,
            () => RegistryLocator.Open("", new MlflowHome(home.Path), home.Path, Environment(("MLFLOW_TRACKING_URI", "http://alice:s3cret-pw@127.0.0.1:5005"))));

        Assert.Contains("MLFLOW_TRACKING_URI 'http://127.0.0.1:5005/'", error.Message);
        Assert.DoesNotContain("s3cret-pw", error.Message);
    }

    [TestMethod]
    public async Task MlflowServer_ThatNeverAnswers_TimesOutAfterMlflowHttpRequestTimeout_AndNamesIt()
    {
        using var home = new TempDirectory();
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        var port = ((System.Net.IPEndPoint)silent.LocalEndpoint).Port;
        using var registry = RegistryLocator.Open($"http://127.0.0.1:{port}", new MlflowHome(home.Path), home.Path, Environment(("MLFLOW_HTTP_REQUEST_TIMEOUT", "1")));

        var error = await MlfAssert.ThrowsAsync(MlfError.RequestTimedOut,
            () => registry.ListModelVersionsAsync("model", CancellationToken.None));

        Assert.Contains("within 1 s", error.Message);
        Assert.Contains("raise MLFLOW_HTTP_REQUEST_TIMEOUT", error.Message);
    }

    [TestMethod]
    public async Task GitLabServer_ThatNeverAnswers_TimesOutAfterPythonGitLabsTimeout_AndNamesIt()
    {
        using var fixture = new Credentials.CredentialFixture();
        fixture.WriteUserConfig("[global]\ntimeout = 1\n");
        fixture.Variables["GITLAB_TOKEN"] = "glpat-test";
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        var port = ((System.Net.IPEndPoint)silent.LocalEndpoint).Port;
        using var registry = RegistryLocator.Open($"http://127.0.0.1:{port}/api/v4/projects/42/ml/mlflow", new MlflowHome(fixture.Root), fixture.Root, fixture.Environment);

        var error = await MlfAssert.ThrowsAsync(MlfError.RequestTimedOut,
            () => registry.ListModelVersionsAsync("model", CancellationToken.None));

        Assert.Contains("within 1 s", error.Message);
        Assert.Contains("raise python-gitlab's timeout", error.Message);
        Assert.DoesNotContain("MLFLOW_HTTP_REQUEST_TIMEOUT", error.Message);
    }

    private static CredentialEnvironment Environment(params (string Name, string Value)[] variables) =>
        new(name => variables.FirstOrDefault(v => v.Name == name).Value, homeDirectory: null) { SystemConfigPath = "/nonexistent/python-gitlab.cfg" };
}
