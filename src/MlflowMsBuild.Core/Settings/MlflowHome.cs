namespace MlflowMsBuild.Core.Settings;

/// <summary>
/// The product's folder on this machine, as <see cref="MlflowSettings"/> decides it: <c>MlflowHome</c>, else
/// <c>$MLFLOW_MSBUILD_HOME</c>, else <c>~/.mlflow-msbuild</c>. It holds the embedded registry (<c>registry/</c>) and the
/// model cache (<c>cache/</c>).
/// </summary>
public sealed class MlflowHome
{
    public const string EnvironmentVariable = "MLFLOW_MSBUILD_HOME";

    /// <summary>The folder under the user's home folder when neither the setting nor the variable names one.</summary>
    public const string DefaultFolderName = ".mlflow-msbuild";

    /// <param name="root">An absolute path (a relative one is taken against the process's current folder).</param>
    public MlflowHome(string root)
    {
        Root = Path.GetFullPath(root);
    }

    public string Root { get; }

    public string DefaultRegistry => Path.Combine(Root, "registry");

    public string Cache => Path.Combine(Root, "cache");
}
