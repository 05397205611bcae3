using Microsoft.Build.Evaluation;
using MlflowMsBuild.Tasks.Tests.TestUtilities;

namespace MlflowMsBuild.Tasks.Tests;

/// <summary>
/// Which task assembly build/MlflowMsBuild.targets loads from the package's layout: the ReadyToRun images in
/// tasks/net8.0/linux-x64/ only where they were compiled for (an image for another OS or architecture does not
/// load at all), the IL in tasks/net8.0/ everywhere else. Evaluated against a copy of build/ beside placeholder
/// assemblies; EndToEnd's PackageLayoutTests check the real package and a real build.
/// </summary>
[TestClass]
public sealed class TaskAssemblySelectionTests
{
    [TestMethod]
    [DataRow("linux-x64", "Core", "18.0.2", "linux-x64/MlflowMsBuild.Tasks.dll")]
    [DataRow("linux-x64", "Core", "18.3.0", "linux-x64/MlflowMsBuild.Tasks.dll")]
    [DataRow("linux-x64", "Core", "17.14.8", "MlflowMsBuild.Tasks.dll")]
    [DataRow("linux-musl-x64", "Core", "18.0.2", "MlflowMsBuild.Tasks.dll")]
    [DataRow("linux-arm64", "Core", "18.0.2", "MlflowMsBuild.Tasks.dll")]
    [DataRow("win-x64", "Core", "18.0.2", "MlflowMsBuild.Tasks.dll")]
    [DataRow("osx-arm64", "Core", "18.0.2", "MlflowMsBuild.Tasks.dll")]
    [DataRow("", "Full", "18.0.2", "MlflowMsBuild.Tasks.dll")]
    public void LoadsTheReadyToRunImagesOnlyWhereTheyWereCompiledFor(string sdkRid, string runtimeType, string version, string expected)
    {
        using var package = new FakePackage(withReadyToRun: true);

        Assert.AreEqual(package.Tasks(expected), package.TasksAssembly(sdkRid, runtimeType, version));
    }

    [TestMethod]
    public void PackageBuiltWithoutImages_LoadsTheIL()
    {
        using var package = new FakePackage(withReadyToRun: false);

        Assert.AreEqual(package.Tasks("MlflowMsBuild.Tasks.dll"), package.TasksAssembly("linux-x64", "Core", "18.0.2"));
    }

    [TestMethod]
    public void ProjectsOwnTaskAssembly_Wins()
    {
        using var package = new FakePackage(withReadyToRun: true);

        Assert.AreEqual("/elsewhere/MlflowMsBuild.Tasks.dll", package.TasksAssembly("linux-x64", "Core", "18.0.2", "/elsewhere/MlflowMsBuild.Tasks.dll"));
    }

    /// <summary>build/ copied into a temporary package folder, with empty files where the task assemblies go.</summary>
    private sealed class FakePackage : IDisposable
    {
        private readonly string root = Directory.CreateTempSubdirectory("mlflow-package-").FullName;

        public FakePackage(bool withReadyToRun)
        {
            var build = Directory.CreateDirectory(Path.Combine(root, "build")).FullName;
            foreach (var file in Directory.EnumerateFiles(Path.GetDirectoryName(TestPaths.BuildFile("MlflowMsBuild.targets"))!))
            {
                File.Copy(file, Path.Combine(build, Path.GetFileName(file)));
            }

            Directory.CreateDirectory(Tasks("linux-x64"));
            File.WriteAllBytes(Tasks("MlflowMsBuild.Tasks.dll"), []);
            if (withReadyToRun)
            {
                File.WriteAllBytes(Tasks("linux-x64/MlflowMsBuild.Tasks.dll"), []);
            }
        }

        public string Tasks(string relative) => Path.GetFullPath(Path.Combine(root, "tasks", "net8.0", relative));

        public string TasksAssembly(string sdkRid, string runtimeType, string version, string? own = null)
        {
            var project = Path.Combine(root, "test.proj");
            File.WriteAllText(project, $"""
                <Project>
                  <PropertyGroup>{(own is null ? "" : $"<MlflowMsBuildTasksAssembly>{own}</MlflowMsBuildTasksAssembly>")}</PropertyGroup>
                  <Import Project="build/MlflowMsBuild.props" />
                  <Import Project="build/MlflowMsBuild.targets" />
                </Project>
                """);
            using var collection = new ProjectCollection(new Dictionary<string, string>
            {
                ["NETCoreSdkRuntimeIdentifier"] = sdkRid,
                ["_MlflowHostRuntimeType"] = runtimeType,
                ["_MlflowHostVersion"] = version,
            });
            var value = collection.LoadProject(project).GetPropertyValue("MlflowMsBuildTasksAssembly");
            return own is null ? Path.GetFullPath(value) : value;
        }

        public void Dispose() => Directory.Delete(root, recursive: true);
    }
}
