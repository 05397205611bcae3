using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Tasks.Tests.TestUtilities;

namespace MlflowMsBuild.Tasks.Tests;

/// <summary>Model references the registry cannot satisfy fail the build with a coded error that says what exists.</summary>
[TestClass]
public sealed class RestoreErrorTests
{
    [TestMethod]
    public async Task UnknownVersion_FailsWithMLF2002_NamingTheExistingVersions()
    {
        using var project = new TestProject();
        await RegistrySeeder.PublishAsync(project.Home, "test-x", RegistrySeeder.SampleFiles(1));
        await RegistrySeeder.PublishAsync(project.Home, "test-x", RegistrySeeder.SampleFiles(2));
        project.References.Add(("test-x", "7"));

        var run = project.Build("Build");

        var error = run.AssertFailedWith("MLF2002");
        Assert.Contains("'test-x'", error.Message);
        Assert.Contains("Existing versions: 1, 2.", error.Message);
        Assert.AreEqual(project.ProjectFile, error.File);
        Assert.IsFalse(File.Exists(project.PathOf("obj/models/.restored")), "A failed restore must run again next build.");
    }

    [TestMethod]
    public async Task SeveralReferencesFailing_EachIsReportedWithItsOwnCode_InReferenceOrder()
    {
        using var project = new TestProject();
        await RegistrySeeder.PublishAsync(project.Home, "test-x", RegistrySeeder.SampleFiles());
        await RegistrySeeder.PublishAsync(project.Home, "test-y", RegistrySeeder.SampleFiles());
        project.References.Add(("test-x", "9"));
        project.References.Add(("test-y", "1"));
        project.References.Add(("test-z", "1"));

        var run = project.Build("Build");

        var errors = run.Log.Errors;
        CollectionAssert.AreEqual(new[] { "MLF2002", "MLF2001" }, errors.Select(e => e.Code).ToList(), string.Join("\n", errors.Select(e => e.Message)));
        Assert.Contains("'test-x'", errors[0].Message);
        Assert.Contains("'test-z'", errors[1].Message);
        Assert.IsTrue(File.Exists(project.PathOf("obj/models/test-y/1/model.bin")), "the model that could be restored was");
    }

    [TestMethod]
    public async Task ModelsFolderThatIsAFile_FailsWithMLF1053_WritingNothing()
    {
        using var project = new TestProject();
        await RegistrySeeder.PublishAsync(project.Home, "test-x", RegistrySeeder.SampleFiles());
        project.References.Add(("test-x", "1"));
        Directory.CreateDirectory(project.PathOf("obj"));
        File.WriteAllText(project.PathOf("obj/models"), "not a folder");

        var run = project.Build("Build");

        var error = run.AssertFailedWith("MLF1053");
        Assert.AreEqual(MlflowException.Format(MlfError.ModelsDirectoryIsAFile, project.PathOf("obj/models")), error.Message,
            "The targets' text is MLF1053's message in Messages.resx.");
        Assert.AreEqual("not a folder", File.ReadAllText(project.PathOf("obj/models")), "the file is left as it was");
    }

    [TestMethod]
    public async Task UnknownModel_FailsWithMLF2001_NamingTheRegisteredModels()
    {
        using var project = new TestProject();
        await RegistrySeeder.PublishAsync(project.Home, "test-x", RegistrySeeder.SampleFiles());
        project.References.Add(("test-y", "1"));

        var run = project.Build("Build");

        var error = run.AssertFailedWith("MLF2001");
        Assert.Contains("'test-y'", error.Message);
        Assert.Contains("Registered models: test-x.", error.Message);
    }

    [TestMethod]
    public void UnknownModel_InAnEmptyRegistry_FailsWithMLF2004()
    {
        using var project = new TestProject();
        project.References.Add(("test-x", "1"));

        var run = project.Build("Build");

        var error = run.AssertFailedWith("MLF2004");
        Assert.Contains("'test-x'", error.Message);
        Assert.Contains("holds no models yet", error.Message);
    }

    [TestMethod]
    public void MissingVersionMetadata_FailsWithMLF1008()
    {
        using var project = new TestProject();
        project.References.Add(("test-x", null));

        var run = project.Build("Build");

        var error = run.AssertFailedWith("MLF1008");
        Assert.Contains("MlflowModelReference 'test-x' has no Version", error.Message);
    }

    [TestMethod]
    [DataRow("MlflowUseLockFile", "always")]
    [DataRow("MlflowOffline", "yes")]
    public void BooleanSettingThatIsNotABoolean_FailsWithMLF5012_NamingIt(string property, string value)
    {
        using var project = new TestProject();
        project.References.Add(("test-x", "1"));
        project.Properties[property] = value;

        var run = project.Build("Build");

        var error = run.AssertFailedWith("MLF5012");
        Assert.Contains($"{property} is '{value}'", error.Message);
    }
}
