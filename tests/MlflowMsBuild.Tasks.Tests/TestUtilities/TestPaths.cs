using System.Reflection;

namespace MlflowMsBuild.Tasks.Tests.TestUtilities;

/// <summary>Paths baked into this assembly by the project file (AssemblyMetadata items).</summary>
public static class TestPaths
{
    /// <summary>The MlflowMsBuild.Tasks.dll built from src/, next to its deps.json and dependencies.</summary>
    public static string TasksAssembly { get; } = Metadata("MlflowTasksAssembly");

    public static string RepoRoot { get; } = Metadata("RepoRoot");

    /// <summary>A file of the repository's build/ folder, e.g. <c>MlflowMsBuild.props</c>.</summary>
    public static string BuildFile(string name) => Path.GetFullPath(Path.Combine(RepoRoot, "build", name));

    private static string Metadata(string key) =>
        typeof(TestPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().SingleOrDefault(a => a.Key == key)?.Value
        ?? throw new InvalidOperationException($"The test assembly has no AssemblyMetadata '{key}'.");
}
