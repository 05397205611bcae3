using MlflowMsBuild.EndToEnd.Tests.TestUtilities;

namespace MlflowMsBuild.EndToEnd.Tests;

/// <summary>Small generated projects (no ML framework) for the error paths, built with the packed package.</summary>
[TestClass]
public sealed class GeneratedProjectTests
{
    [TestMethod]
    public void NameOutsideTheConventionFailsWithACodedErrorAndPublishesNothing()
    {
        using var workspace = new Workspace(AssemblySetup.Package);
        workspace.WriteFile("Trainer/Trainer.csproj", GeneratedProjects.Trainer);
        workspace.CommitAll("trainer");

        var result = workspace.DotNet("build", "Trainer", "-t:PublishModel", "-p:MlflowModelName=classifier");

        Assert.AreNotEqual(0, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Output, "error MLF1001");
        StringAssert.Contains(result.Output, "'doc-' or 'test-'");
        Assert.IsFalse(Directory.Exists(Path.Combine(workspace.Home, "registry", "models")), "nothing may be written for a refused name");
    }

    [TestMethod]
    public void ReferenceToAMissingVersionFailsNamingTheVersionsThatExist()
    {
        using var workspace = new Workspace(AssemblySetup.Package);
        workspace.WriteFile("Trainer/Trainer.csproj", GeneratedProjects.Trainer);
        workspace.WriteFile("Consumer/Consumer.csproj", GeneratedProjects.Consumer("test-generated", "3"));
        workspace.CommitAll("projects");
        var publish = workspace.DotNet("build", "Trainer", "-t:PublishModel", "-p:MlflowModelName=test-generated");
        Assert.AreEqual(0, publish.ExitCode, publish.ToString());

        var result = workspace.DotNet("build", "Consumer");

        Assert.AreNotEqual(0, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Output, "Consumer.csproj : error MLF2002");
        StringAssert.Contains(result.Output, "Existing versions: 1.");
        Assert.IsFalse(Directory.Exists(workspace.PathOf("Consumer", "obj", "models", "test-generated")));
    }

    [TestMethod]
    public void RestoredModelIsCopiedToTheOutputAndCleanRemovesIt()
    {
        using var workspace = new Workspace(AssemblySetup.Package);
        workspace.WriteFile("Trainer/Trainer.csproj", GeneratedProjects.Trainer);
        workspace.WriteFile("Consumer/Consumer.csproj", GeneratedProjects.Consumer("test-generated", "1"));
        workspace.CommitAll("projects");
        Assert.AreEqual(0, workspace.DotNet("build", "Trainer", "-t:PublishModel", "-p:MlflowModelName=test-generated").ExitCode);

        var build = workspace.DotNet("build", "Consumer");
        Assert.AreEqual(0, build.ExitCode, build.ToString());
        var inOutput = workspace.PathOf("Consumer", "bin", "Debug", "net10.0", "models", "test-generated", "1", "weights.txt");
        Assert.AreEqual(File.ReadAllText(workspace.PathOf("Trainer", "evaluation", "model", "weights.txt")), File.ReadAllText(inOutput));

        var clean = workspace.DotNet("clean", "Consumer");
        Assert.AreEqual(0, clean.ExitCode, clean.ToString());
        Assert.IsFalse(Directory.Exists(workspace.PathOf("Consumer", "obj", "models")), "clean must remove what the restore wrote");
        Assert.IsFalse(File.Exists(inOutput), "clean must remove the copies in the output folder");
    }
}
