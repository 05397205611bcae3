using System.Reflection;

namespace MlflowMsBuild.EndToEnd.Tests.TestUtilities;

/// <summary>Where this repository's sources are.</summary>
public static class Repository
{
    public static string Root { get; } = System.IO.Path.GetFullPath(
        typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepoRoot").Value!);

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);
}
