using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Registry;
using MlflowMsBuild.Core.Registry.Local;
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
    [DataRow("https://mlflow.example.org")]
    [DataRow("http://localhost:5000")]
    [DataRow("gitlab:group/project")]
    [DataRow("GitLab:group/project")]
    public void Open_ServerSetting_IsNotSupportedYet(string setting)
    {
        using var home = new TempDirectory();

        var error = MlfAssert.Throws(MlfError.RegistrySettingUnsupported,
            () => RegistryLocator.Open(setting, new MlflowHome(home.Path), home.Path));

        Assert.Contains($"'{setting}'", error.Message);
        Assert.IsFalse(Directory.Exists(home.Combine("registry")));
    }
}
