using MlflowMsBuild.Core.Settings;
using MlflowMsBuild.Core.Tests.TestUtilities;

namespace MlflowMsBuild.Core.Tests.Settings;

[TestClass]
public sealed class MlflowHomeTests
{
    [TestMethod]
    public void Home_HoldsTheRegistryAndTheCache()
    {
        using var folder = new TempDirectory();

        var home = new MlflowHome(folder.Path);

        Assert.AreEqual(folder.Path, home.Root);
        Assert.AreEqual(folder.Combine("registry"), home.DefaultRegistry);
        Assert.AreEqual(folder.Combine("cache"), home.Cache);
    }

    [TestMethod]
    public void Constructor_DoesNotCreateTheFolder()
    {
        using var folder = new TempDirectory();

        _ = new MlflowHome(folder.Combine("not-yet"));

        Assert.IsFalse(Directory.Exists(folder.Combine("not-yet")));
    }
}
