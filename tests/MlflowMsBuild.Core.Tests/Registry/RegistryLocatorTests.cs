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

    private static CredentialEnvironment Environment(params (string Name, string Value)[] variables) =>
        new(name => variables.FirstOrDefault(v => v.Name == name).Value, homeDirectory: null) { SystemConfigPath = "/nonexistent/python-gitlab.cfg" };
}
