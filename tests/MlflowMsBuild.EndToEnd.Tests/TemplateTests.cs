using MlflowMsBuild.EndToEnd.Tests.TestUtilities;

namespace MlflowMsBuild.EndToEnd.Tests;

/// <summary>
/// The packed template package installed into a template hive of the test's own (the user's is never touched): a
/// trainer and a test project instantiated from it publish a model and test it, with nothing else written by hand.
/// </summary>
[TestClass]
public sealed class TemplateTests
{
    [TestMethod]
    public void TrainerAndTestsFromTheTemplatesPublishAndPass()
    {
        using var workspace = new Workspace(AssemblySetup.Package, withPackageSetup: false);
        var hive = workspace.PathOf(".git", "template-hive");
        workspace.WriteFile("nuget.config", $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="mlflow-e2e" value="{AssemblySetup.Package.Feed}" />
              </packageSources>
            </configuration>
            """);
        workspace.WriteFile(".gitignore", "bin/\nobj/\nevaluation/\n");

        var install = workspace.DotNet("new", "install", AssemblySetup.Package.NupkgOf(PackedPackage.TemplatePackage), "--debug:custom-hive", hive);
        Assert.AreEqual(0, install.ExitCode, install.ToString());
        StringAssert.Contains(install.Output, "mlflow-trainer");
        StringAssert.Contains(install.Output, "mlflow-tests");
        var trainer = workspace.DotNet("new", "mlflow-trainer", "-n", "Fit", "-o", "src/Fit", "--model-name", "test-template-fit", "--debug:custom-hive", hive);
        Assert.AreEqual(0, trainer.ExitCode, trainer.ToString());
        var tests = workspace.DotNet("new", "mlflow-tests", "-n", "Fit.Tests", "-o", "tests/Fit.Tests", "--model-name", "test-template-fit", "--model-version", "1", "--debug:custom-hive", hive);
        Assert.AreEqual(0, tests.ExitCode, tests.ToString());
        var project = File.ReadAllText(workspace.PathOf("tests", "Fit.Tests", "Fit.Tests.csproj"));
        StringAssert.Contains(project, $"<PackageReference Include=\"MlflowMsBuild\" Version=\"{AssemblySetup.Package.Version}\" PrivateAssets=\"all\" />");
        StringAssert.Contains(project, "<MlflowModelReference Include=\"test-template-fit\" Version=\"1\" />");
        workspace.CommitAll("from the templates");

        var publish = workspace.DotNet("build", "src/Fit", "-t:PublishModel");
        Assert.AreEqual(0, publish.ExitCode, publish.ToString());
        StringAssert.Contains(publish.Output, "Published model 'test-template-fit' version 1 (1 file, ");
        var test = workspace.DotNet("test", "tests/Fit.Tests");
        Assert.AreEqual(0, test.ExitCode, test.ToString());
        StringAssert.Matches(test.Output, new System.Text.RegularExpressions.Regex(@"Passed!.*Failed:\s+0, Passed:\s+1"), test.ToString());
        Assert.IsTrue(File.Exists(workspace.PathOf("tests", "Fit.Tests", "obj", "models", "test-template-fit", "1", "model.json")), test.ToString());
    }

    [TestMethod]
    public void UnderCentralPackageManagementTheProjectsLeaveVersionsOut()
    {
        using var workspace = new Workspace(AssemblySetup.Package, withPackageSetup: false);
        var hive = workspace.PathOf(".git", "template-hive");
        Assert.AreEqual(0, workspace.DotNet("new", "install", AssemblySetup.Package.NupkgOf(PackedPackage.TemplatePackage), "--debug:custom-hive", hive).ExitCode);

        var tests = workspace.DotNet("new", "mlflow-tests", "-n", "Fit.Tests", "--central-package-management", "--debug:custom-hive", hive);

        Assert.AreEqual(0, tests.ExitCode, tests.ToString());
        var project = File.ReadAllText(workspace.PathOf("Fit.Tests", "Fit.Tests.csproj"));
        StringAssert.Contains(project, "<PackageReference Include=\"MlflowMsBuild\" PrivateAssets=\"all\" />");
        StringAssert.Contains(project, "<PackageReference Include=\"MSTest\" />");
        Assert.DoesNotContain("Version=\"", project.Replace("<MlflowModelReference Include=\"test-my-model\" Version=\"1\" />", "", StringComparison.Ordinal), project);
        Assert.DoesNotContain("#if", project);
    }
}
