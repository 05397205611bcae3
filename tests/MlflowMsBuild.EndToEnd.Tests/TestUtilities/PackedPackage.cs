namespace MlflowMsBuild.EndToEnd.Tests.TestUtilities;

/// <summary>
/// The MlflowMsBuild package packed once per test run into a temporary folder feed, with a version of its own
/// so that no copy extracted by an earlier run can stand in for it.
/// </summary>
public sealed class PackedPackage
{
    private PackedPackage(string feed, string version)
    {
        Feed = feed;
        Version = version;
    }

    public string Feed { get; }

    public string Version { get; }

    public string NupkgPath => Path.Combine(Feed, $"MlflowMsBuild.{Version}.nupkg");

    public static PackedPackage Pack()
    {
        var feed = Directory.CreateTempSubdirectory("mlflow-e2e-feed-").FullName;
        var version = $"0.0.0-e2e.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
        var result = DotNet.Run(Repository.Root, new Dictionary<string, string?>(),
            "pack", Repository.Path("src", "MlflowMsBuild.Tasks", "MlflowMsBuild.Tasks.csproj"),
            "-c", "Release", "-o", feed, $"-p:Version={version}");
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException("dotnet pack failed: " + result);
        }

        return new PackedPackage(feed, version);
    }

    /// <summary>Removes the feed and the copy NuGet extracted into the global packages folder.</summary>
    public void Delete()
    {
        Directory.Delete(Feed, recursive: true);
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var extracted = Path.Combine(packages, "mlflowmsbuild", Version);
        if (Directory.Exists(extracted))
        {
            Directory.Delete(extracted, recursive: true);
        }
    }
}
