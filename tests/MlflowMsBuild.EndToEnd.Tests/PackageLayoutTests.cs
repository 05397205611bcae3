using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;
using System.Xml.Linq;
using MlflowMsBuild.EndToEnd.Tests.TestUtilities;

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

    /// <summary>
    /// tasks/net8.0/linux-x64/ holds ReadyToRun images of every managed assembly the tasks load, compiled for Linux x64
    /// (PE machine AMD64 xor Linux's 0x7B79), beside the deps.json and the native library they load with; tasks/net8.0/
    /// keeps the IL that every other host loads.
    /// </summary>
    [TestMethod]
    public void PackageCarriesReadyToRunImagesForLinuxX64BesideTheIL()
    {
        using var zip = ZipFile.OpenRead(AssemblySetup.Package.NupkgPath);
        string[] assemblies = ["MlflowMsBuild.Tasks.dll", "MlflowMsBuild.Core.dll", "Polly.Core.dll", "NuGet.Versioning.dll", "LibGit2Sharp.dll"];
        foreach (var assembly in assemblies)
        {
            var (machine, readyToRun) = Image(zip.GetEntry("tasks/net8.0/linux-x64/" + assembly) ?? throw new AssertFailedException($"tasks/net8.0/linux-x64/{assembly} is missing"));
            Assert.IsTrue(readyToRun, $"{assembly} in linux-x64/ is not a ReadyToRun image");
            Assert.AreEqual((Machine)(0x8664 ^ 0x7B79), machine, $"{assembly} in linux-x64/ is not compiled for Linux x64");
            Assert.IsFalse(Image(zip.GetEntry("tasks/net8.0/" + assembly)!).ReadyToRun, $"tasks/net8.0/{assembly} must stay IL: every other host loads it");
        }

        var entries = zip.Entries.Select(e => e.FullName).ToList();
        CollectionAssert.Contains(entries, "tasks/net8.0/linux-x64/MlflowMsBuild.Tasks.deps.json");
        Assert.IsTrue(entries.Any(e => e.StartsWith("tasks/net8.0/linux-x64/runtimes/linux-x64/native/libgit2-", StringComparison.Ordinal)), string.Join(", ", entries));
        Assert.IsFalse(entries.Any(e => e.StartsWith("tasks/net8.0/linux-x64/runtimes/", StringComparison.Ordinal) && !e.StartsWith("tasks/net8.0/linux-x64/runtimes/linux-x64/", StringComparison.Ordinal)),
            "the images run on linux-x64 only: no other native library belongs beside them");
    }

    /// <summary>
    /// The dotnet CLI on linux-x64 loads the ReadyToRun images, for the restore and for the publish (which loads libgit2
    /// beside them); on any other host it loads the IL.
    /// </summary>
    [TestMethod]
    public void DotnetCli_RunsTheTasksFromTheReadyToRunImagesOnLinuxX64_AndFromTheILElsewhere()
    {
        var expected = RuntimeInformation.RuntimeIdentifier == "linux-x64" ? "/tasks/net8.0/linux-x64/MlflowMsBuild.Tasks.dll" : "/tasks/net8.0/MlflowMsBuild.Tasks.dll";
        using var workspace = new Workspace(AssemblySetup.Package);
        workspace.WriteFile("Trainer/Trainer.csproj", GeneratedProjects.Trainer);
        workspace.WriteFile("Consumer/Consumer.csproj", GeneratedProjects.Consumer("test-generated", "1"));
        workspace.CommitAll("projects");

        var publish = workspace.DotNet("build", "Trainer", "-t:PublishModel", "-p:MlflowModelName=test-generated", "-v:d");
        var restore = workspace.DotNet("build", "Consumer", "-v:d");

        foreach (var (build, task) in new[] { (publish, "PublishModel"), (restore, "RestoreModels") })
        {
            Assert.AreEqual(0, build.ExitCode, build.ToString());
            // MSBuild's own line: Using "RestoreModels" task from assembly "<path>".
            var line = build.Output.Split('\n').FirstOrDefault(l => l.Contains($"Using \"{task}\" task from assembly", StringComparison.Ordinal));
            Assert.IsNotNull(line, build.ToString());
            StringAssert.Contains(line.Replace('\\', '/'), expected);
        }

        Assert.IsTrue(File.Exists(workspace.PathOf("Consumer", "obj", "models", "test-generated", "1", "weights.txt")));
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

    [TestMethod]
    public void RuntimePackageCompilesAgainstItsOwnSmallSurfaceAndRunsOnCore()
    {
        using var zip = ZipFile.OpenRead(AssemblySetup.Package.NupkgOf(PackedPackage.RuntimePackage));
        var entries = zip.Entries.Select(e => e.FullName).Where(e => e.StartsWith("lib/", StringComparison.Ordinal) || e.StartsWith("ref/", StringComparison.Ordinal)).Order().ToList();

        CollectionAssert.AreEqual(
            new[]
            {
                "lib/net8.0/MlflowMsBuild.Core.dll",
                "lib/net8.0/MlflowMsBuild.Models.dll",
                "lib/net8.0/MlflowMsBuild.Models.xml",
                "ref/net8.0/MlflowMsBuild.Models.dll",
                "ref/net8.0/MlflowMsBuild.Models.xml",
            },
            entries,
            "Core runs beside the API but is never compiled against: " + string.Join(", ", entries));
        CollectionAssert.AreEquivalent(
            new[] { "ModelResolver", "ModelResolverOptions", "ResolvedModel", "ModelFile", "ModelWarning", "ModelResolutionException" },
            PublicTypes(zip.GetEntry("ref/net8.0/MlflowMsBuild.Models.dll")!).Select(t => t.Namespace == "MlflowMsBuild.Models" ? t.Name : t.Namespace + "." + t.Name).ToList());

        var nuspec = Nuspec(zip, PackedPackage.RuntimePackage);
        var ns = nuspec.Root!.Name.Namespace;
        var dependencies = nuspec.Descendants(ns + "dependency").ToDictionary(d => d.Attribute("id")!.Value, d => d.Attribute("exclude")?.Value);
        CollectionAssert.AreEquivalent(new[] { "LibGit2Sharp", "NuGet.Versioning", "Polly.Core" }, dependencies.Keys.ToList(), "Core's own dependencies, for it to run");
        Assert.IsTrue(dependencies.Values.All(e => e?.Split(',').Contains("Compile") == true), "Core's dependencies must not reach the consumer's compiler either");
        Assert.AreEqual(AssemblySetup.Package.Version, nuspec.Root.Element(ns + "metadata")!.Element(ns + "version")!.Value, "versioned with the build package");
    }

    [TestMethod]
    public void TemplatePackageHoldsBothTemplatesWithThisBuildsVersions()
    {
        using var zip = ZipFile.OpenRead(AssemblySetup.Package.NupkgOf(PackedPackage.TemplatePackage));
        var nuspec = Nuspec(zip, PackedPackage.TemplatePackage);
        var ns = nuspec.Root!.Name.Namespace;
        Assert.AreEqual("Template", nuspec.Descendants(ns + "packageType").Single().Attribute("name")!.Value);
        Assert.IsFalse(zip.Entries.Any(e => e.FullName.StartsWith("lib/", StringComparison.Ordinal)), "a template package carries no assembly");
        foreach (var template in new[] { "mlflow-trainer", "mlflow-tests" })
        {
            using var reader = new StreamReader(zip.GetEntry($"content/{template}/.template.config/template.json")!.Open());
            var json = reader.ReadToEnd();
            StringAssert.Contains(json, $"\"shortName\": \"{template}\"");
            StringAssert.Contains(json, $"\"defaultValue\": \"{AssemblySetup.Package.Version}\"", "the MlflowMsBuild version is stamped at pack time");
            Assert.DoesNotContain("$MLFLOW_MSBUILD_VERSION$", json);
            Assert.DoesNotContain("$MSTEST_VERSION$", json);
        }
    }

    /// <summary>
    /// <c>dotnet pack MlflowMsBuild.sln</c>, as a release would run it: exactly the shipping packages, each with the
    /// metadata nuget.org shows (license expression, project and repository URLs, readme and icon inside the package).
    /// </summary>
    [TestMethod]
    public void PackingTheSolutionGivesExactlyTheShippingPackagesEachWithItsMetadata()
    {
        var output = Directory.CreateTempSubdirectory("mlflow-e2e-sln-pack-").FullName;
        try
        {
            var version = AssemblySetup.Package.Version + ".sln";
            var pack = DotNet.Run(Repository.Root, new Dictionary<string, string?>(), "pack", Repository.Path("MlflowMsBuild.sln"), "-c", "Release", "-o", output, $"-p:Version={version}");
            Assert.AreEqual(0, pack.ExitCode, pack.ToString());

            var packages = Directory.GetFiles(output, "*.nupkg").Select(Path.GetFileName).Order().ToList();
            CollectionAssert.AreEqual(
                new[] { "MlflowMsBuild", "MlflowMsBuild.Cli", "MlflowMsBuild.Models", "MlflowMsBuild.Templates" }.Select(id => $"{id}.{version}.nupkg").ToList(),
                packages,
                string.Join(", ", packages));
            foreach (var file in Directory.GetFiles(output, "*.nupkg"))
            {
                using var zip = ZipFile.OpenRead(file);
                var id = Path.GetFileName(file)[..^$".{version}.nupkg".Length];
                var nuspec = Nuspec(zip, id);
                var ns = nuspec.Root!.Name.Namespace;
                var metadata = nuspec.Root.Element(ns + "metadata")!;
                var license = metadata.Element(ns + "license");
                Assert.AreEqual("expression", license?.Attribute("type")?.Value, id);
                Assert.AreEqual("MIT", license?.Value, id);
                var projectUrl = metadata.Element(ns + "projectUrl")?.Value;
                Assert.IsTrue(Uri.TryCreate(projectUrl, UriKind.Absolute, out var url) && url.Scheme == "https", $"{id}: projectUrl '{projectUrl}'");
                var repository = metadata.Element(ns + "repository");
                Assert.AreEqual("git", repository?.Attribute("type")?.Value, id);
                Assert.AreEqual(projectUrl, repository?.Attribute("url")?.Value, id);
                Assert.AreEqual("README.md", metadata.Element(ns + "readme")?.Value, id);
                Assert.AreEqual("icon.png", metadata.Element(ns + "icon")?.Value, id);
                Assert.AreEqual(new FileInfo(Repository.Path("README.md")).Length, zip.GetEntry("README.md")?.Length, $"{id}: the repository's README");
                using var icon = new BinaryReader(zip.GetEntry("icon.png")!.Open());
                CollectionAssert.AreEqual(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, icon.ReadBytes(4), $"{id}: the icon is a PNG");
                Assert.IsFalse(string.IsNullOrWhiteSpace(metadata.Element(ns + "description")?.Value), id);
            }
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    private static (Machine Machine, bool ReadyToRun) Image(ZipArchiveEntry assembly)
    {
        using var copy = new MemoryStream();
        using (var stream = assembly.Open())
        {
            stream.CopyTo(copy);
        }

        copy.Position = 0;
        using var pe = new PEReader(copy);
        return (pe.PEHeaders.CoffHeader.Machine, pe.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size > 0);
    }

    private static XDocument Nuspec(ZipArchive zip, string id)
    {
        using var stream = zip.GetEntry(id + ".nuspec")!.Open();
        return XDocument.Load(stream);
    }

    private static List<(string Namespace, string Name)> PublicTypes(ZipArchiveEntry assembly)
    {
        using var copy = new MemoryStream();
        using (var stream = assembly.Open())
        {
            stream.CopyTo(copy);
        }

        copy.Position = 0;
        using var pe = new PEReader(copy);
        var reader = pe.GetMetadataReader();
        return reader.TypeDefinitions.Select(reader.GetTypeDefinition)
            .Where(t => (t.Attributes & System.Reflection.TypeAttributes.VisibilityMask) is System.Reflection.TypeAttributes.Public or System.Reflection.TypeAttributes.NestedPublic)
            .Select(t => (reader.GetString(t.Namespace), reader.GetString(t.Name)))
            .ToList();
    }
}
