using Microsoft.Build.Locator;

namespace MlflowMsBuild.Tasks.Tests.TestUtilities;

/// <summary>
/// Points this process at the SDK's MSBuild. Must run before any Microsoft.Build type is touched,
/// so this class uses none of them.
/// </summary>
[TestClass]
public static class MSBuildSetup
{
    [AssemblyInitialize]
    public static void RegisterMSBuild(TestContext context)
    {
        if (!MSBuildLocator.IsRegistered)
        {
            var instance = MSBuildLocator.RegisterDefaults();
            context.WriteLine($"MSBuild {instance.Version} from {instance.MSBuildPath}");
        }
    }
}
