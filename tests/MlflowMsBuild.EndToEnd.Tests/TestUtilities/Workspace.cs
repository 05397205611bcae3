using System.Xml.Linq;

namespace MlflowMsBuild.EndToEnd.Tests.TestUtilities;

/// <summary>
/// A temporary git repository whose projects get MlflowMsBuild by PackageReference from the packed package,
/// with its own MLFLOW_MSBUILD_HOME.
/// </summary>
public sealed class Workspace : IDisposable
{
    /// <param name="package">The packed packages the workspace's projects reference.</param>
    /// <param name="withPackageSetup">
    /// False for an empty repository whose files a test writes itself (nuget.config, Directory.Packages.props,
    /// .gitignore): the home folder is then outside it, so that git never sees it.
    /// </param>
    public Workspace(PackedPackage package, bool withPackageSetup = true)
    {
        Root = Directory.CreateTempSubdirectory("mlflow-e2e-").FullName;
        Home = withPackageSetup ? Path.Combine(Root, ".mlflow-home") : Directory.CreateTempSubdirectory("mlflow-e2e-home-").FullName;
        Environment = new Dictionary<string, string?> { ["MLFLOW_MSBUILD_HOME"] = Home };
        if (withPackageSetup)
        {
            WritePackageSetup(package);
        }

        Git("init", "-q", "-b", "main");
        Git("config", "user.email", "e2e@example.org");
        Git("config", "user.name", "End To End");
        Git("remote", "add", "origin", "git@gitlab.example.org:group/sub/project.git");
    }

    public string Root { get; }

    public string Home { get; }

    public Dictionary<string, string?> Environment { get; }

    public string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    public ProcessResult DotNet(params string[] arguments) => TestUtilities.DotNet.Run(Root, Environment, arguments);

    public void Git(params string[] arguments)
    {
        var result = TestUtilities.DotNet.Exec("git", Root, Environment, arguments);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"git {string.Join(' ', arguments)} failed: {result}");
        }
    }

    public void CommitAll(string message)
    {
        Git("add", "-A");
        Git("commit", "-q", "--allow-empty", "-m", message);
    }

    public void WriteFile(string relativePath, string content)
    {
        var path = PathOf(relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    /// <summary>Copies a sample project from the repository, without its build outputs.</summary>
    public void CopySample(string name)
    {
        var source = Repository.Path("samples", name);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            var first = relative.Split(Path.DirectorySeparatorChar)[0];
            if (first is "bin" or "obj" or "evaluation")
            {
                continue;
            }

            var target = PathOf("samples", name, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
            if (!Home.StartsWith(Root, StringComparison.Ordinal) && Directory.Exists(Home))
            {
                Directory.Delete(Home, recursive: true);
            }
        }
        catch (IOException)
        {
            // A build server may still hold a file; the temp folder is cleaned by the OS eventually.
        }
    }

    private void WritePackageSetup(PackedPackage package)
    {
        File.WriteAllText(Path.Combine(Root, ".gitignore"), "bin/\nobj/\nevaluation/\n.mlflow-home/\n");
        File.WriteAllText(Path.Combine(Root, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="mlflow-e2e" value="{package.Feed}" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(Root, "Directory.Build.props"), """
            <Project>
              <PropertyGroup>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="MlflowMsBuild" PrivateAssets="all" />
              </ItemGroup>
            </Project>
            """);
        var packages = XDocument.Load(Repository.Path("Directory.Packages.props"));
        packages.Root!.Add(new XElement("ItemGroup",
            new XElement("PackageVersion", new XAttribute("Include", PackedPackage.BuildPackage), new XAttribute("Version", package.Version)),
            new XElement("PackageVersion", new XAttribute("Include", PackedPackage.RuntimePackage), new XAttribute("Version", package.Version))));
        packages.Save(Path.Combine(Root, "Directory.Packages.props"));
    }
}
