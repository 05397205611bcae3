using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using MlflowMsBuild.Core.Http;
using MlflowMsBuild.Core.Publishing;
using MlflowMsBuild.Core.Registry.MlflowServer;
using MlflowMsBuild.Core.RestApi;

namespace MlflowMsBuild.Bench;

/// <summary>A temporary folder with a git repository to publish from, generated consumer projects, and process helpers.</summary>
internal sealed partial class BenchWorkspace : IDisposable
{
    public BenchWorkspace(string repoRoot, string tasksAssembly)
    {
        Root = Directory.CreateTempSubdirectory("mlflow-bench-").FullName;
        RepoRoot = repoRoot;
        File.WriteAllText(Path.Combine(Root, ".gitignore"), "models/\nobj/\nbin/\n");
        File.WriteAllText(Path.Combine(Root, "Directory.Build.props"), $"""
            <Project>
              <PropertyGroup>
                <MlflowMsBuildTasksAssembly>{tasksAssembly}</MlflowMsBuildTasksAssembly>
                <MlflowCopyModelsToOutput>false</MlflowCopyModelsToOutput>
              </PropertyGroup>
              <Import Project="{repoRoot}/build/MlflowMsBuild.props" />
            </Project>
            """);
        File.WriteAllText(Path.Combine(Root, "Directory.Build.targets"), $"""
            <Project><Import Project="{repoRoot}/build/MlflowMsBuild.targets" /></Project>
            """);
        Run("git", ["init", "-q", "-b", "main"], Root);
        Run("git", ["-c", "user.email=b@example.org", "-c", "user.name=bench", "add", "-A"], Root);
        Run("git", ["-c", "user.email=b@example.org", "-c", "user.name=bench", "commit", "-q", "-m", "bench"], Root);
    }

    public string Root { get; }

    public string RepoRoot { get; }

    public Dictionary<string, string> Environment { get; } = new() { ["MSBUILDDISABLENODEREUSE"] = "1", ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0" };

    public string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>Publishes files of the given sizes (random content) as a new version of <paramref name="name"/>.</summary>
    public async Task PublishAsync(Uri server, string name, params (string Path, long Size)[] files)
    {
        var (directory, paths) = await WriteModelAsync(name, files);
        await PublishFilesAsync(server, name, directory, paths);
    }

    /// <summary>Writes <c>models/&lt;name&gt;/</c> with files of the given sizes (random content); returns the folder and the files.</summary>
    public async Task<(string Directory, List<string> Paths)> WriteModelAsync(string name, params (string Path, long Size)[] files)
    {
        var directory = PathOf("models", name);
        var paths = new List<string>();
        var random = new Random(name.GetHashCode(StringComparison.Ordinal));
        var buffer = new byte[1 << 20];
        foreach (var (path, size) in files)
        {
            var full = Path.Combine(directory, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            await using var stream = File.Create(full);
            for (long left = size; left > 0; left -= buffer.Length)
            {
                random.NextBytes(buffer);
                await stream.WriteAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)));
            }

            paths.Add(full);
        }

        return (directory, paths);
    }

    /// <summary>Publishes the files in <paramref name="directory"/> as a new version of <paramref name="name"/>, in-process.</summary>
    public async Task PublishFilesAsync(Uri server, string name, string directory, IReadOnlyList<string> paths)
    {
        using var registry = new MlflowServerRegistry(new MlflowRestClient(new RegistryServerOptions { TrackingUri = server, DisplayName = "bench server" }));
        await new ModelPublisher(registry).PublishAsync(new PublishInput(name, directory, paths, Root, CommandLine: "bench"));
    }

    /// <summary>Writes <c>&lt;name&gt;/&lt;name&gt;.csproj</c> referencing the models; returns the project file.</summary>
    public string WriteProject(string name, IEnumerable<(string Model, string Version)> references, string registry)
    {
        var items = string.Join("\n", references.Select(r => $"    <MlflowModelReference Include=\"{r.Model}\" Version=\"{r.Version}\" />"));
        var file = PathOf(name, name + ".csproj");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <MlflowRegistry>{registry}</MlflowRegistry>
              </PropertyGroup>
              <ItemGroup>
            {items}
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(PathOf(name, "Class1.cs"), "namespace Bench; public static class Class1 { }\n");
        return file;
    }

    /// <summary>
    /// Runs the restore target alone; returns the RestoreModels task time, the process's peak RSS and its CPU time
    /// (user and system, seconds, the whole MSBuild process).
    /// </summary>
    public (TimeSpan Task, long PeakRssBytes, string Output, double UserSeconds, double SystemSeconds) RestoreOnly(string project, string cacheDirectory)
    {
        var rss = PathOf("rss.txt");
        var (_, output, _) = Run("/usr/bin/time", ["-f", "%U %S\n%M", "-o", rss, "dotnet", "msbuild", project, "-nologo", "-nr:false", "-m:1",
            "-t:MlflowRestoreModels", "-p:BuildingProject=true", $"-p:MlflowCacheDirectory={cacheDirectory}", "-clp:PerformanceSummary", "-v:m"], Root);
        var match = TaskTime().Match(output);
        if (!match.Success)
        {
            throw new InvalidOperationException("No RestoreModels time in the build output:\n" + output);
        }

        var lines = File.ReadAllText(rss).Trim().Split('\n');
        var (user, system) = CpuSeconds(lines[^2]);
        return (TimeSpan.FromMilliseconds(double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)),
            long.Parse(lines[^1], CultureInfo.InvariantCulture) * 1024, output, user, system);
    }

    /// <summary>Runs a command under GNU time; returns its wall time and CPU time (user and system, seconds).</summary>
    public (TimeSpan Elapsed, double UserSeconds, double SystemSeconds) RunTimed(string file, IEnumerable<string> arguments, string directory)
    {
        var times = PathOf("times.txt");
        var (_, _, elapsed) = Run("/usr/bin/time", ["-f", "%U %S", "-o", times, file, .. arguments], directory);
        var (user, system) = CpuSeconds(File.ReadAllText(times).Trim().Split('\n')[^1]);
        return (elapsed, user, system);
    }

    /// <summary>GNU time's "%U %S": user and system CPU seconds.</summary>
    private static (double User, double System) CpuSeconds(string line)
    {
        var parts = line.Split(' ');
        return (double.Parse(parts[0], CultureInfo.InvariantCulture), double.Parse(parts[1], CultureInfo.InvariantCulture));
    }

    public (int Exit, string Output, TimeSpan Elapsed) Run(string file, IEnumerable<string> arguments, string directory)
    {
        var start = new ProcessStartInfo(file, arguments) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (key, value) in Environment)
        {
            start.Environment[key] = value;
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        clock.Stop();
        var output = new StringBuilder(stdout).Append(stderr.Result).ToString();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({process.ExitCode}):\n{output}");
        }

        return (process.ExitCode, output, clock.Elapsed);
    }

    public void Dispose()
    {
        try
        {
            foreach (var file in Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories))
            {
                File.SetAttributes(file, FileAttributes.Normal);
            }

            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Leave it to the system's temporary-file cleanup.
        }
    }

    [GeneratedRegex(@"(\d+(?:\.\d+)?) ms\s+RestoreModels\s")]
    private static partial Regex TaskTime();
}
