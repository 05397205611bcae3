using MlflowMsBuild.EndToEnd.Tests.TestUtilities;

namespace MlflowMsBuild.EndToEnd.Tests;

/// <summary>
/// The README's "Use it in your own repository", followed literally: its files written into a fresh git repository,
/// its commands run by the shell, with the packed packages. Only the feed's folder and the version change.
/// </summary>
[TestClass]
public sealed class OwnRepositoryGuideTests
{
    private const string Section = "Use it in your own repository";
    private const string ReadmeFeed = "/srv/nuget-feed";
    private const string ReadmeVersion = "Version=\"0.1.0\"";

    [TestMethod]
    public void GuideGivesAPublishedModelTestedOnEveryTargetFrameworkAndACleanTree()
    {
        var guide = ReadmeGuide.Read(Section);
        CollectionAssert.AreEquivalent(
            new[] { "nuget.config", "Directory.Packages.props", "src/LinearFit/LinearFit.csproj", "src/LinearFit/Program.cs", "tests/LinearFit.Tests/LinearFit.Tests.csproj", "tests/LinearFit.Tests/ModelTests.cs", ".gitignore" },
            guide.Files.Select(f => f.Path).ToList());
        Assert.HasCount(1, guide.Scripts);

        using var workspace = new Workspace(AssemblySetup.Package, withPackageSetup: false);
        foreach (var (path, content) in guide.Files)
        {
            workspace.WriteFile(path, Adapt(path, content));
        }

        // This machine may have only the newest runtime: the net8.0 tests then run on it (what CI images without .NET 8 do too).
        var environment = new Dictionary<string, string?>(workspace.Environment);
        if (!HasRuntime("8."))
        {
            environment["DOTNET_ROLL_FORWARD"] = "Major";
        }

        var run = DotNet.Exec("bash", workspace.Root, environment, "-e", "-x", "-c", guide.Scripts[0]);

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        StringAssert.Contains(run.Output, "Published model 'test-linear-fit' version 1");
        foreach (var framework in new[] { "net8.0", "net10.0" })
        {
            var model = workspace.PathOf("tests", "LinearFit.Tests", "bin", "Debug", framework, "models", "test-linear-fit", "1", "model.json");
            Assert.IsTrue(File.Exists(model), $"{framework}: {model} is missing\n{run}");
            StringAssert.Matches(run.Output, new System.Text.RegularExpressions.Regex($@"Passed!.*LinearFit\.Tests\.dll \({framework}\)"), run.ToString());
        }

        var status = DotNet.Exec("git", workspace.Root, workspace.Environment, "status", "--porcelain", "--untracked-files=all");
        Assert.AreEqual("", status.Output.Trim(), "the guide's .gitignore must keep every file a build writes out of git");
    }

    /// <summary>The two values that differ on this machine: the feed's folder and the packages' version.</summary>
    private static string Adapt(string path, string content)
    {
        var needle = path switch
        {
            "nuget.config" => ReadmeFeed,
            "Directory.Packages.props" => ReadmeVersion,
            _ => null,
        };
        if (needle is null)
        {
            return content;
        }

        Assert.Contains(needle, content, $"the README's {path} no longer holds {needle}: adapt this test to the guide");
        return path == "nuget.config"
            ? content.Replace(ReadmeFeed, AssemblySetup.Package.Feed, StringComparison.Ordinal)
            : content.Replace("Include=\"MlflowMsBuild\" " + ReadmeVersion, $"Include=\"MlflowMsBuild\" Version=\"{AssemblySetup.Package.Version}\"", StringComparison.Ordinal)
                .Replace("Include=\"MlflowMsBuild.Models\" " + ReadmeVersion, $"Include=\"MlflowMsBuild.Models\" Version=\"{AssemblySetup.Package.Version}\"", StringComparison.Ordinal);
    }

    private static bool HasRuntime(string versionPrefix) =>
        DotNet.Run(Repository.Root, new Dictionary<string, string?>(), "--list-runtimes").Output
            .Split('\n').Any(l => l.StartsWith("Microsoft.NETCore.App " + versionPrefix, StringComparison.Ordinal));
}
