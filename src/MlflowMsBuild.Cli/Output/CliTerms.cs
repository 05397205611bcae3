using MlflowMsBuild.Core.Errors;

namespace MlflowMsBuild.Cli.Output;

/// <summary>How the tool's messages name settings: by its options, where the build names MSBuild properties and items.</summary>
internal static class CliTerms
{
    public static MessageTerms Instance { get; } = new(new Dictionary<MessageSetting, string>
    {
        [MessageSetting.Registry] = "--registry",
        [MessageSetting.Offline] = "--offline",
        [MessageSetting.AllowDirty] = "pass --allow-dirty",
        [MessageSetting.NamePrefixes] = "--name-prefixes",
        [MessageSetting.ModelDirectory] = "--model-dir",
        [MessageSetting.ModelFiles] = "Write the model there, or name the folder that holds it with --model-dir",
        [MessageSetting.ConfigFile] = "--config-file",
        [MessageSetting.TableItems] = "the --table options",
        [MessageSetting.FigureItems] = "the --figure options",
        [MessageSetting.ConfigFileItems] = "the --config-file options",
        [MessageSetting.ModelVersion] = "--version",
        [MessageSetting.ParamItem] = "--param option",
        [MessageSetting.Experiment] = "--experiment",
        [MessageSetting.PublishCommand] = "mlflow-models publish --name ",
        [MessageSetting.AcceptReplaced] = "pull it once with --refresh --accept-replaced",
        [MessageSetting.BugReportLog] = "the command line that failed (without secrets)",
        [MessageSetting.CacheDirectory] = "--cache-dir",
    });
}
