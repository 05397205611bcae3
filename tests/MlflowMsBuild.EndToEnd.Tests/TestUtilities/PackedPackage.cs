namespace MlflowMsBuild.EndToEnd.Tests.TestUtilities;

/// <summary>
/// The packages a workspace consumes (the build package MlflowMsBuild, the runtime package MlflowMsBuild.Models and
/// the template package MlflowMsBuild.Templates), packed once per test run into a temporary folder feed, with a
/// version of their own so that no copy extracted by an earlier run can stand in for them.
/// </summary>
public sealed class PackedPackage
{
    public const string BuildPackage = "MlflowMsBuild";
    public const string RuntimePackage = "MlflowMsBuild.Models";
    public const string TemplatePackage = "MlflowMsBuild.Templates";

    private static readonly (string Id, string Project)[] Projects =
    [
        (BuildPackage, "MlflowMsBuild.Tasks"),
        (RuntimePackage, "MlflowMsBuild.Models"),
        (TemplatePackage, "MlflowMsBuild.Templates"),
    ];

    private PackedPackage(string feed, string version)
    {
        Feed = feed;
        Version = version;
    }

    public string Feed { get; }

    public string Version { get; }

    public string NupkgPath => NupkgOf(BuildPackage);

    public string NupkgOf(string id) => Path.Combine(Feed, $"{id}.{Version}.nupkg");

    public static PackedPackage Pack()
    {
        var feed = Directory.CreateTempSubdirectory("mlflow-e2e-feed-").FullName;
        var version = $"0.0.0-e2e.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
        foreach (var (_, project) in Projects)
        {
            var result = DotNet.Run(Repository.Root, new Dictionary<string, string?>(),
                "pack", Repository.Path("src", project, project + ".csproj"), "-c", "Release", "-o", feed, $"-p:Version={version}");
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException($"dotnet pack {project} failed: {result}");
            }
        }

        return new PackedPackage(feed, version);
    }

    /// <summary>Removes the feed and the copies NuGet extracted into the global packages folder.</summary>
    public void Delete()
    {
        Directory.Delete(Feed, recursive: true);
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var (id, _) in Projects)
        {
            var extracted = Path.Combine(packages, id.ToLowerInvariant(), Version);
            if (Directory.Exists(extracted))
            {
                Directory.Delete(extracted, recursive: true);
            }
        }
    }
}
