using MlflowMsBuild.EndToEnd.Tests.TestUtilities;

[assembly: DoNotParallelize]

namespace MlflowMsBuild.EndToEnd.Tests;

[TestClass]
public static class AssemblySetup
{
    public static PackedPackage Package { get; private set; } = null!;

    [AssemblyInitialize]
    public static void PackOnce(TestContext context) => Package = PackedPackage.Pack();

    [AssemblyCleanup]
    public static void DeletePackage() => Package?.Delete();
}
