using MlflowMsBuild.Tasks.Tests.TestUtilities;

namespace MlflowMsBuild.Tasks.Tests;

/// <summary>MlflowModelReference items written as model URIs, the syntax the runtime API and the CLI take.</summary>
[TestClass]
public sealed class ModelUriReferenceTests
{
    [TestMethod]
    public async Task UriReference_RestoresLikeTheNameAndVersionForm()
    {
        using var project = new TestProject();
        var files = RegistrySeeder.SampleFiles();
        await RegistrySeeder.PublishAsync(project.Home, "test-x", files);
        project.References.Add(("models:/test-x/1", null));

        var run = project.Build("Build");

        run.AssertSucceeded();
        CollectionAssert.AreEqual(files["model.bin"], File.ReadAllBytes(project.PathOf("obj/models/test-x/1/model.bin")));
        Assert.Contains("[\"test-x\"] = \"1\",", File.ReadAllText(project.PathOf("obj/MlflowModels.g.cs")));
        var reference = run.Items("MlflowModelReference").Single();
        Assert.AreEqual("test-x", reference.EvaluatedInclude);
        Assert.AreEqual("models:/test-x/1", reference.GetMetadataValue("ModelUri"));
    }

    [TestMethod]
    public async Task UriReference_NamingTheProjectsOwnRegistry_IsAccepted()
    {
        using var project = new TestProject();
        await RegistrySeeder.PublishAsync(project.Home, "test-x", RegistrySeeder.SampleFiles());
        var registry = Path.Combine(project.Home, "registry");
        project.Properties["MlflowRegistry"] = registry;
        project.References.Add(("models:/test-x/1%3Fregistry=" + registry, null));

        var run = project.Build("Build");

        run.AssertSucceeded();
        Assert.IsTrue(File.Exists(project.PathOf("obj/models/test-x/1/model.bin")));
    }

    [TestMethod]
    public async Task UriReference_NamingAnotherRegistry_FailsWithMLF7006()
    {
        using var project = new TestProject();
        await RegistrySeeder.PublishAsync(project.Home, "test-x", RegistrySeeder.SampleFiles());
        project.References.Add(("models:/test-x/1%3Fregistry=gitlab:group/project", null));

        var run = project.Build("Build");

        var error = run.AssertFailedWith("MLF7006");
        Assert.Contains("gitlab:group/project", error.Message);
        Assert.IsFalse(Directory.Exists(project.PathOf("obj/models/test-x")));
    }

    [TestMethod]
    [DataRow("models:/test-x", null, "MLF7005")]
    [DataRow("models:/test-x/1", "2", "MLF7007")]
    [DataRow("models://profile/test-x/1", null, "MLF7001")]
    public void MalformedUriReference_FailsWithACode(string include, string? version, string code)
    {
        using var project = new TestProject();
        project.References.Add((include, version));

        var run = project.Build("Build");

        run.AssertFailedWith(code);
    }

    [TestMethod]
    public async Task PlainReferences_DoNotRunTheNormalizingTask()
    {
        using var project = new TestProject();
        await RegistrySeeder.PublishAsync(project.Home, "test-x", RegistrySeeder.SampleFiles());
        project.References.Add(("test-x", "1"));

        var run = project.Build("Build");

        run.AssertSucceeded();
        Assert.IsFalse(run.TaskStarted("NormalizeModelReferences"), run.Log.Summary());
    }
}
