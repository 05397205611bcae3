using System.Security;
using System.Text;
using Microsoft.Build.Evaluation;
using Microsoft.Build.Execution;

namespace MlflowMsBuild.Tasks.Tests.TestUtilities;

/// <summary>
/// A minimal non-SDK project that imports build/MlflowMsBuild.props and .targets and stubs the SDK targets they
/// hook into (AssignTargetPaths, BeforeCompile, CoreClean), in the SDK's order, with its own MlflowHome. Built in-process.
/// </summary>
public sealed class TestProject : IDisposable
{
    private readonly TempDirectory? ownDirectory;
    private readonly TempDirectory home = new();

    /// <param name="directory">The project's folder (e.g. a git repository); a new temporary folder when null.</param>
    public TestProject(string? directory = null)
    {
        if (directory is null)
        {
            ownDirectory = new TempDirectory();
            directory = ownDirectory.Path;
        }

        Directory = directory;
    }

    public string Directory { get; }

    public string ProjectFile => Path.Combine(Directory, "test.proj");

    /// <summary>The MlflowHome of this project: its embedded registry is <c>Home/registry</c>.</summary>
    public string Home => home.Path;

    /// <summary>MlflowModelReference items; a null version leaves the Version metadata out.</summary>
    public List<(string Name, string? Version)> References { get; } = [];

    public Dictionary<string, string> Properties { get; } = new(StringComparer.Ordinal);

    /// <summary>More XML (targets, items) placed before the import of MlflowMsBuild.targets.</summary>
    public string ExtraXml { get; set; } = "";

    /// <summary>The full path of a '/'-separated path relative to the project folder.</summary>
    public string PathOf(string relativePath) => Path.Combine([Directory, .. relativePath.Split('/')]);

    public string Write()
    {
        var properties = new StringBuilder();
        foreach (var (name, value) in Properties)
        {
            properties.Append($"    <{name}>{SecurityElement.Escape(value)}</{name}>\n");
        }

        var references = new StringBuilder();
        foreach (var (name, version) in References)
        {
            var versionAttribute = version is null ? "" : $" Version=\"{SecurityElement.Escape(version)}\"";
            references.Append($"    <MlflowModelReference Include=\"{SecurityElement.Escape(name)}\"{versionAttribute} />\n");
        }

        var xml = $"""
            <Project>
              <PropertyGroup><MlflowMsBuildTasksAssembly>{Escape(TestPaths.TasksAssembly)}</MlflowMsBuildTasksAssembly></PropertyGroup>
              <Import Project="{Escape(TestPaths.BuildFile("MlflowMsBuild.props"))}" />
              <PropertyGroup>
                <BaseIntermediateOutputPath>obj/</BaseIntermediateOutputPath>
                <IntermediateOutputPath>obj/</IntermediateOutputPath>
                <Language>C#</Language>
                <MlflowHome>{Escape(Home)}</MlflowHome>
            {properties}  </PropertyGroup>
              <ItemGroup>
            {references}  </ItemGroup>
              <Target Name="BuildOnlySettings"><PropertyGroup><BuildingProject>true</BuildingProject></PropertyGroup></Target>
              <Target Name="AssignTargetPaths" />
              <Target Name="BeforeCompile" />
              <Target Name="CoreClean" />
              <Target Name="Build" DependsOnTargets="BuildOnlySettings;AssignTargetPaths;BeforeCompile" />
              <Target Name="Clean" DependsOnTargets="CoreClean" />
            {ExtraXml}
              <Import Project="{Escape(TestPaths.BuildFile("MlflowMsBuild.targets"))}" />
            </Project>
            """;
        File.WriteAllText(ProjectFile, xml);
        return ProjectFile;
    }

    /// <summary>Writes the project and builds <paramref name="targets"/> in-process, from a fresh evaluation.</summary>
    public BuildRun Build(params string[] targets) => Build(targets, new Dictionary<string, string>());

    public BuildRun Build(string[] targets, IDictionary<string, string> globalProperties)
    {
        Write();
        var logger = new RecordingLogger();
        using var collection = new ProjectCollection(globalProperties);
        var instance = new ProjectInstance(ProjectFile, globalProperties, null, collection);
        var parameters = new BuildParameters(collection)
        {
            Loggers = [logger.CreateLogger()],
            MaxNodeCount = 1,
            EnableNodeReuse = false,
            DisableInProcNode = false,
            ResetCaches = true,
        };
        var request = new BuildRequestData(instance, targets, null, BuildRequestDataFlags.ProvideProjectStateAfterBuild);
        var result = BuildManager.DefaultBuildManager.Build(parameters, request);
        return new BuildRun(result, logger, result.ProjectStateAfterBuild ?? instance);
    }

    public void Dispose()
    {
        ownDirectory?.Dispose();
        home.Dispose();
    }

    private static string Escape(string value) => SecurityElement.Escape(value);
}
