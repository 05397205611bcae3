using MlflowMsBuild.EndToEnd.Tests.TestUtilities;

namespace MlflowMsBuild.EndToEnd.Tests;

/// <summary>
/// What restore places is byte for byte what was registered, whatever builds and tests do to the placed files:
/// real `dotnet build` of generated projects with the packed package.
/// </summary>
[TestClass]
public sealed class RestoreIntegrityFlowTests
{
    private const string Model = "test-generated";

    [TestMethod]
    public void SameSizeOverwriteThroughAHardLinkedOutputCopy_IsNeverServedToALaterRestore()
    {
        using var workspace = PublishedWorkspace(files: 0);
        workspace.WriteFile("Consumer/Consumer.csproj", GeneratedProjects.Consumer(Model, "1"));
        workspace.WriteFile("Other/Other.csproj", GeneratedProjects.Consumer(Model, "1"));
        var original = File.ReadAllBytes(workspace.PathOf("Trainer", "evaluation", "model", "weights.txt"));
        var build = workspace.DotNet("build", "Consumer", "-p:CreateHardLinksForCopyFilesToOutputDirectoryIfPossible=true",
            "-p:CreateHardLinksForAdditionalFilesIfPossible=true");
        Assert.AreEqual(0, build.ExitCode, build.ToString());
        var inOutput = workspace.PathOf("Consumer", "bin", "Debug", "net10.0", "models", Model, "1", "weights.txt");

        // What a test that writes into its model folder does (as root, or after MSBuild made the hard link writable).
        OverwriteSameSize(inOutput);

        var other = workspace.DotNet("build", "Other");
        Assert.AreEqual(0, other.ExitCode, other.ToString());
        StringAssert.Contains(other.Output, "warning MLF3009");
        CollectionAssert.AreEqual(original, File.ReadAllBytes(workspace.PathOf("Other", "obj", "models", Model, "1", "weights.txt")));
        CollectionAssert.AreEqual(original, File.ReadAllBytes(workspace.PathOf("Other", "bin", "Debug", "net10.0", "models", Model, "1", "weights.txt")));

        var again = workspace.DotNet("build", "Consumer");
        Assert.AreEqual(0, again.ExitCode, again.ToString());
        CollectionAssert.AreEqual(original, File.ReadAllBytes(workspace.PathOf("Consumer", "obj", "models", Model, "1", "weights.txt")), "the altered placed file is put back");
        CollectionAssert.AreEqual(original, File.ReadAllBytes(inOutput), "and copied to the output again");
    }

    /// <summary>A plain bin/ copy a test wrote to is newer than its source: the next build copies the registered bytes back.</summary>
    [TestMethod]
    public void OutputCopyWrittenTo_IsCopiedBackByTheNextBuild()
    {
        using var workspace = PublishedWorkspace(files: 0);
        workspace.WriteFile("Consumer/Consumer.csproj", GeneratedProjects.Consumer(Model, "1"));
        Assert.AreEqual(0, workspace.DotNet("build", "Consumer").ExitCode);
        var placed = workspace.PathOf("Consumer", "obj", "models", Model, "1", "weights.txt");
        var inOutput = workspace.PathOf("Consumer", "bin", "Debug", "net10.0", "models", Model, "1", "weights.txt");
        var original = File.ReadAllBytes(placed);
        OverwriteSameSize(inOutput);
        File.SetLastWriteTimeUtc(inOutput, DateTime.UtcNow.AddMinutes(1));

        var build = workspace.DotNet("build", "Consumer");

        Assert.AreEqual(0, build.ExitCode, build.ToString());
        CollectionAssert.AreEqual(original, File.ReadAllBytes(inOutput), "the written output copy is replaced by the registered bytes");
        CollectionAssert.AreEqual(original, File.ReadAllBytes(placed), "a plain copy shares nothing with obj/models");
    }

    [TestMethod]
    public void PlacedFileDeletedOrAdded_IsPutRightByTheNextBuild()
    {
        using var workspace = PublishedWorkspace(files: 0);
        workspace.WriteFile("Consumer/Consumer.csproj", GeneratedProjects.Consumer(Model, "1"));
        Assert.AreEqual(0, workspace.DotNet("build", "Consumer").ExitCode);
        var placed = workspace.PathOf("Consumer", "obj", "models", Model, "1", "weights.txt");
        File.Delete(placed);
        var stray = workspace.PathOf("Consumer", "obj", "models", Model, "1", "stray.txt");
        File.WriteAllText(stray, "not part of the version");

        var build = workspace.DotNet("build", "Consumer");

        Assert.AreEqual(0, build.ExitCode, build.ToString());
        Assert.IsTrue(File.Exists(placed), build.Output);
        Assert.IsTrue(File.Exists(workspace.PathOf("Consumer", "bin", "Debug", "net10.0", "models", Model, "1", "weights.txt")));
        Assert.IsFalse(File.Exists(stray), "a file added to a model folder is removed");
        Assert.IsFalse(File.Exists(workspace.PathOf("Consumer", "bin", "Debug", "net10.0", "models", Model, "1", "stray.txt")), "and never copied to the output");
    }

    [TestMethod]
    public void MultiTargetedProject_RestoresOnce_AndEveryTargetFrameworkGetsEveryFile()
    {
        const int files = 1500;
        using var workspace = PublishedWorkspace(files);
        workspace.WriteFile("Consumer/Consumer.csproj", GeneratedProjects.Consumer(Model, "1").Replace(
            "<TargetFramework>net10.0</TargetFramework>", "<TargetFrameworks>net8.0;net10.0</TargetFrameworks>", StringComparison.Ordinal));

        var build = workspace.DotNet("build", "Consumer", "-v:n");

        Assert.AreEqual(0, build.ExitCode, build.ToString());
        foreach (var framework in new[] { "net8.0", "net10.0" })
        {
            var folder = workspace.PathOf("Consumer", "bin", "Debug", framework, "models", Model, "1");
            Assert.HasCount(files + 1, Directory.GetFiles(folder, "*", SearchOption.AllDirectories), framework);
        }

        Assert.AreEqual(1, CountOccurrences(build.Output, "Restored 1 model"), "one restore per project, not per target framework:\n" + build.Output);
    }

    [TestMethod]
    public void PublishModel_OnAMultiTargetedProject_PublishesFromOneTargetFramework()
    {
        using var workspace = new Workspace(AssemblySetup.Package);
        workspace.WriteFile("Trainer/Trainer.csproj", GeneratedProjects.Trainer.Replace(
            "<TargetFramework>net10.0</TargetFramework>", "<TargetFrameworks>net10.0;net8.0</TargetFrameworks>", StringComparison.Ordinal));
        workspace.CommitAll("trainer");

        var publish = workspace.DotNet("build", "Trainer", "-t:PublishModel", $"-p:MlflowModelName={Model}");

        Assert.AreEqual(0, publish.ExitCode, publish.ToString());
        StringAssert.Contains(publish.Output, $"Published model '{Model}' version 1");
    }

    [TestMethod]
    public void SameReferenceTwice_AsAnItemAndAModelUri_IsRestoredOnce()
    {
        using var workspace = PublishedWorkspace(files: 0);
        workspace.WriteFile("Consumer/Consumer.csproj", GeneratedProjects.Consumer(Model, "1").Replace(
            "</ItemGroup>", $"  <MlflowModelReference Include=\"models:/{Model}/1\" />\n    <MlflowModelReference Include=\"{Model}\" Version=\"1\" />\n  </ItemGroup>", StringComparison.Ordinal));

        var build = workspace.DotNet("build", "Consumer");

        Assert.AreEqual(0, build.ExitCode, build.ToString());
        StringAssert.Contains(build.Output, "Restored 1 model,");
    }

    [TestMethod]
    public void TwoVersionsOfOneModel_FailWithACodedErrorNamingBoth()
    {
        using var workspace = PublishedWorkspace(files: 0);
        workspace.WriteFile("Consumer/Consumer.csproj", GeneratedProjects.Consumer(Model, "latest").Replace(
            "</ItemGroup>", $"  <MlflowModelReference Include=\"{Model}\" Version=\"1\" />\n  </ItemGroup>", StringComparison.Ordinal));

        var build = workspace.DotNet("build", "Consumer");

        Assert.AreNotEqual(0, build.ExitCode, build.ToString());
        StringAssert.Contains(build.Output, "error MLF1012");
        StringAssert.Contains(build.Output, "Version=\"latest\" and Version=\"1\"");
        Assert.IsFalse(Directory.Exists(workspace.PathOf("Consumer", "obj", "models", Model)), "nothing is restored");
    }

    /// <summary>A workspace whose trainer published <see cref="Model"/> version 1 with weights.txt and <paramref name="files"/> more.</summary>
    private static Workspace PublishedWorkspace(int files)
    {
        var workspace = new Workspace(AssemblySetup.Package);
        workspace.WriteFile("Trainer/Trainer.csproj", GeneratedProjects.Trainer);
        for (var i = 0; i < files; i++)
        {
            workspace.WriteFile($"Trainer/evaluation/model/parts/part-{i:D4}.txt", $"part {i}\n");
        }

        workspace.CommitAll("projects");
        var publish = workspace.DotNet("build", "Trainer", "-t:PublishModel", $"-p:MlflowModelName={Model}");
        Assert.AreEqual(0, publish.ExitCode, publish.ToString());
        return workspace;
    }

    private static void OverwriteSameSize(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            File.SetAttributes(path, FileAttributes.Normal);
        }
        else
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        var bytes = File.ReadAllBytes(path);
        bytes[0] = bytes[0] == (byte)'9' ? (byte)'8' : (byte)'9';
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Write);
        stream.Write(bytes);
    }

    private static int CountOccurrences(string text, string value)
    {
        var count = 0;
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
