using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using MlflowMsBuild.Tasks.Tests.TestUtilities;

namespace MlflowMsBuild.Tasks.Tests;

/// <summary>The generated MlflowMsBuild.MlflowModels: typed members, identifiers from names, and where it points.</summary>
[TestClass]
public sealed partial class ModelAccessorTargetTests
{
    [GeneratedRegex(@"public static class (\w+)\r?\n")]
    private static partial Regex ModelClass();

    [TestMethod]
    public async Task TypedMembers_NameVersionDirectoryAndEachFile()
    {
        using var project = new TestProject();
        await RegistrySeeder.PublishAsync(project.Home, "test-x", RegistrySeeder.SampleFiles());
        project.References.Add(("test-x", "1"));

        project.Build("Build").AssertSucceeded();

        var accessor = File.ReadAllText(project.PathOf("obj/MlflowModels.g.cs"));
        Assert.Contains("public static class TestX", accessor);
        Assert.Contains("public const string Name = \"test-x\";", accessor);
        Assert.Contains("public const string Version = \"1\";", accessor);
        Assert.Contains("public static string Directory => global::MlflowMsBuild.MlflowModels.Directory(Name);", accessor);
        Assert.Contains("public static string ModelBin => global::System.IO.Path.Combine(Directory, \"model.bin\");", accessor);
        Assert.Contains("public static string ConfigSettingsJson => global::System.IO.Path.Combine(Directory, \"config\", \"settings.json\");", accessor);
        Assert.Contains("public static string Directory(string name)", accessor, "the string API stays");
    }

    [TestMethod]
    public void Identifiers_FromNames_AreDeterministicAndUnique()
    {
        var text = ModelAccessorSource.Generate(
            [("test-b", "1"), ("doc-2024-model", "1"), ("2024-model", "1"), ("test_b", "2"), ("test-B", "3"), ("files", "1"), ("version", "1"), ("test-class", "1"), ("---", "1")],
            "models",
            files: new Dictionary<string, IReadOnlyList<string>>
            {
                ["test-b"] = ["model.zip", "model/zip", "directory", "files", "2.bin"],
            });

        // Ordinal order of the names decides who keeps the plain identifier: test-B (0x42) before test-b (0x62).
        CollectionAssert.AreEqual(
            new[] { "_", "_2024Model", "Doc2024Model", "Files_2", "TestB", "TestB_2", "TestClass", "TestB_3", "Version_2" },
            ModelClass().Matches(text).Select(m => m.Groups[1].Value).Where(n => n != "Files").ToArray(),
            text);
        Assert.Contains("public static string ModelZip => global::System.IO.Path.Combine(Directory, \"model.zip\");", text);
        Assert.Contains("public static string ModelZip_2 => global::System.IO.Path.Combine(Directory, \"model\", \"zip\");", text);
        Assert.Contains("public static string Directory_2 => ", text);
        Assert.Contains("public static string Files_2 => ", text);
        Assert.Contains("public static string _2Bin => ", text);
        Assert.AreEqual(text, ModelAccessorSource.Generate(
            [("version", "1"), ("2024-model", "1"), ("---", "1"), ("test-class", "1"), ("files", "1"), ("test-B", "3"), ("test_b", "2"), ("doc-2024-model", "1"), ("test-b", "1")],
            "models",
            files: new Dictionary<string, IReadOnlyList<string>> { ["test-b"] = ["2.bin", "files", "directory", "model/zip", "model.zip"] }),
            "The order of the items and files does not change the text.");
        AssertCompiles(text, """
            static class Use
            {
                static string[] All() =>
                [
                    MlflowMsBuild.MlflowModels.TestB_2.Files.ModelZip, MlflowMsBuild.MlflowModels.TestB_2.Files.ModelZip_2,
                    MlflowMsBuild.MlflowModels.TestB_2.Files.Directory_2, MlflowMsBuild.MlflowModels.TestB_2.Files.Files_2,
                    MlflowMsBuild.MlflowModels.TestB_2.Files._2Bin, MlflowMsBuild.MlflowModels.TestB_2.Directory,
                    MlflowMsBuild.MlflowModels.Version_2.Version, MlflowMsBuild.MlflowModels.Files_2.Name,
                    MlflowMsBuild.MlflowModels._.Directory, MlflowMsBuild.MlflowModels._2024Model.Version,
                    MlflowMsBuild.MlflowModels.Directory("test-b"),
                ];
            }
            """);
    }

    /// <summary>Compiles the accessor with <paramref name="use"/> as a library, with warnings as errors.</summary>
    private static void AssertCompiles(string accessor, string use)
    {
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p) is "System.Private.CoreLib.dll" or "System.Runtime.dll" or "System.Collections.dll")
            .Select(p => MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create("Accessor",
            [CSharpSyntaxTree.ParseText(accessor), CSharpSyntaxTree.ParseText(use)],
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, generalDiagnosticOption: ReportDiagnostic.Error));
        var problems = compilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.IsEmpty(problems, string.Join("\n", problems) + "\n" + accessor);
    }

    [TestMethod]
    public async Task CopyModelsToOutputFalse_CopiesNothing_AndTheAccessorPointsAtTheModelsFolder()
    {
        using var project = new TestProject();
        await RegistrySeeder.PublishAsync(project.Home, "test-x", RegistrySeeder.SampleFiles());
        project.References.Add(("test-x", "1"));
        project.Properties["MlflowCopyModelsToOutput"] = "false";

        var build = project.Build("Build");

        build.AssertSucceeded();
        Assert.IsEmpty(build.Items("None"));
        var accessor = File.ReadAllText(project.PathOf("obj/MlflowModels.g.cs"));
        var modelsDirectory = Path.GetFullPath(project.PathOf("obj/models")) + Path.DirectorySeparatorChar;
        Assert.Contains($"private static string Root => \"{modelsDirectory.Replace("\\", "\\\\", StringComparison.Ordinal)}\";", accessor);
        Assert.DoesNotContain("AppContext.BaseDirectory", accessor);

        project.Properties["MlflowCopyModelsToOutput"] = "true";
        var copied = project.Build("Build");

        copied.AssertSucceeded();
        Assert.IsNotEmpty(copied.Items("None"));
        Assert.Contains("AppContext.BaseDirectory", File.ReadAllText(project.PathOf("obj/MlflowModels.g.cs")), "Switching the setting rewrites the accessor.");
    }

    [TestMethod]
    public async Task VersionWithLeadingZeros_IsNormalisedLikeNuGet_InTheFolderAndTheAccessor()
    {
        using var project = new TestProject();
        await RegistrySeeder.PublishAsync(project.Home, "test-x", RegistrySeeder.SampleFiles());
        project.References.Add(("test-x", "01"));

        var build = project.Build("Build");

        build.AssertSucceeded();
        Assert.IsTrue(File.Exists(project.PathOf("obj/models/test-x/1/model.bin")), build.Log.Summary());
        Assert.IsFalse(Directory.Exists(project.PathOf("obj/models/test-x/01")));
        var accessor = File.ReadAllText(project.PathOf("obj/MlflowModels.g.cs"));
        Assert.Contains("[\"test-x\"] = \"1\",", accessor);
        Assert.IsTrue(build.Items("None").Any(i => i.GetMetadataValue("Link").Replace('\\', '/') == "models/test-x/1/model.bin"));
    }
}
