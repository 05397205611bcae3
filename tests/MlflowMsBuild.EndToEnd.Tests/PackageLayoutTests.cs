using System.IO.Compression;
using System.Xml.Linq;

namespace MlflowMsBuild.EndToEnd.Tests;

[TestClass]
public sealed class PackageLayoutTests
{
    [TestMethod]
    public void PackageCarriesTheTaskItsDependenciesAndTheBuildLogic()
    {
        using var zip = ZipFile.OpenRead(AssemblySetup.Package.NupkgPath);
        var entries = zip.Entries.Select(e => e.FullName).ToHashSet();

        string[] expected =
        [
            "tasks/net8.0/MlflowMsBuild.Tasks.dll",
            "tasks/net8.0/MlflowMsBuild.Tasks.deps.json",
            "tasks/net8.0/MlflowMsBuild.Core.dll",
            "tasks/net8.0/LibGit2Sharp.dll",
            "tasks/net8.0/Polly.Core.dll",
            "tasks/net8.0/NuGet.Versioning.dll",
            "build/MlflowMsBuild.props",
            "build/MlflowMsBuild.targets",
            "build/MlflowMsBuild.Restore.targets",
            "build/MlflowMsBuild.Publish.targets",
            "buildTransitive/MlflowMsBuild.props",
            "buildTransitive/MlflowMsBuild.targets",
            "buildMultiTargeting/MlflowMsBuild.props",
            "buildMultiTargeting/MlflowMsBuild.targets",
            "build/MlflowMsBuild.MultiTargeting.targets",
            "README.md",
        ];
        CollectionAssert.IsSubsetOf(expected, entries.ToList());
        Assert.IsTrue(entries.Any(e => e.StartsWith("tasks/net8.0/runtimes/linux-x64/native/libgit2-", StringComparison.Ordinal) && e.EndsWith(".so", StringComparison.Ordinal)),
            "the linux-x64 native libgit2 is missing: " + string.Join(", ", entries));
        Assert.IsFalse(entries.Any(e => e.Contains("Microsoft.Build", StringComparison.Ordinal)), "MSBuild's own assemblies must not ship: MSBuild provides them.");
        Assert.IsFalse(entries.Any(e => e.StartsWith("lib/", StringComparison.Ordinal)), "nothing may be referenced by the consuming project.");
    }

    [TestMethod]
    public void DepsJsonLetsMsBuildFindTheNativeLibrary()
    {
        using var zip = ZipFile.OpenRead(AssemblySetup.Package.NupkgPath);
        using var reader = new StreamReader(zip.GetEntry("tasks/net8.0/MlflowMsBuild.Tasks.deps.json")!.Open());
        var deps = reader.ReadToEnd();
        StringAssert.Contains(deps, "LibGit2Sharp/0.32.0");
        StringAssert.Contains(deps, "runtimes/linux-x64/native/libgit2-");
    }

    [TestMethod]
    public void PackageIsADevelopmentDependencyWithoutDependencies()
    {
        using var zip = ZipFile.OpenRead(AssemblySetup.Package.NupkgPath);
        using var stream = zip.GetEntry("MlflowMsBuild.nuspec")!.Open();
        var nuspec = XDocument.Load(stream);
        var ns = nuspec.Root!.Name.Namespace;
        var metadata = nuspec.Root.Element(ns + "metadata")!;
        Assert.AreEqual("true", metadata.Element(ns + "developmentDependency")?.Value);
        Assert.AreEqual(AssemblySetup.Package.Version, metadata.Element(ns + "version")?.Value);
        Assert.IsFalse(metadata.Descendants(ns + "dependency").Any(), "the task's dependencies travel inside the package");
    }
}
