using System.CommandLine;

namespace MlflowMsBuild.Cli;

/// <summary>Options every command takes, with the names and defaults of the MSBuild properties they mirror.</summary>
internal sealed class GlobalOptions
{
    public Option<string?> Registry { get; } = new("--registry", "-r")
    {
        Description = "The registry of URIs without ?registry= (an MlflowRegistry value: gitlab:group/project, an MLflow URL, a folder). " +
            "Default: MLFLOW_TRACKING_URI when it is an http(s) URL, else the embedded registry.",
        Recursive = true,
    };

    public Option<string?> Home { get; } = new("--home")
    {
        Description = "MlflowMsBuild's home folder (registry/ and cache/). Default: MLFLOW_MSBUILD_HOME, else ~/.mlflow-msbuild.",
        Recursive = true,
    };

    public Option<string?> CacheDirectory { get; } = new("--cache-dir")
    {
        Description = "The model cache (MlflowCacheDirectory). Default: <home>/cache.",
        Recursive = true,
    };

    public Option<bool> Offline { get; } = new("--offline")
    {
        Description = "Never contact a registry: models must be in the cache. Default: MLFLOW_MSBUILD_OFFLINE.",
        Recursive = true,
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Write the result (or the error) as JSON on standard output.",
        Recursive = true,
    };

    public void AddTo(Command root)
    {
        root.Add(Registry);
        root.Add(Home);
        root.Add(CacheDirectory);
        root.Add(Offline);
        root.Add(Json);
    }
}
