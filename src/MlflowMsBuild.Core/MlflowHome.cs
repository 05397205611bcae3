using MlflowMsBuild.Core.IO;

namespace MlflowMsBuild.Core;

/// <summary>
/// The product's folder on this machine: <c>$MLFLOW_MSBUILD_HOME</c>, else <c>~/.mlflow-msbuild</c>.
/// It holds the embedded registry (<c>registry/</c>) and the model cache (<c>cache/</c>).
/// </summary>
public sealed class MlflowHome
{
    public const string EnvironmentVariable = "MLFLOW_MSBUILD_HOME";

    public MlflowHome(string root)
    {
        Root = Path.GetFullPath(root);
    }

    public string Root { get; }

    public string DefaultRegistry => Path.Combine(Root, "registry");

    public string Cache => Path.Combine(Root, "cache");

    /// <summary>The home named by <paramref name="configured"/> if set, else by the environment, else the default.</summary>
    public static MlflowHome Resolve(string? configured = null)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return new MlflowHome(configured);
        }

        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return new MlflowHome(fromEnvironment);
        }

        var profile = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return new MlflowHome(Path.Combine(profile, ".mlflow-msbuild"));
    }
}
