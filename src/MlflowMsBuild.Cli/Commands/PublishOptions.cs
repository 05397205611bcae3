using System.CommandLine;
using MlflowMsBuild.Core.Naming;
using MlflowMsBuild.Core.Publishing;

namespace MlflowMsBuild.Cli.Commands;

/// <summary>The inputs of <c>publish</c>, named after the MSBuild properties and items they mirror.</summary>
internal sealed class PublishOptions
{
    public Option<string> Name { get; } = new("--name", "-n") { Description = "The model's name (MlflowModelName), e.g. test-classifier.", Required = true };

    public Option<string?> ProjectDirectory { get; } = new("--project-dir")
    {
        Description = "Where the git repository is looked up and what relative paths are relative to. Default: the current folder.",
    };

    public Option<string> EvaluationDirectory { get; } = new("--evaluation-dir")
    {
        Description = "The folder the evaluation wrote (MlflowEvaluationDirectory); the defaults below are read from it.",
        DefaultValueFactory = _ => EvaluationFolder.DefaultName,
    };

    public Option<string?> ModelDirectory { get; } = new("--model-dir") { Description = $"The model's files (MlflowModelDirectory). Default: <evaluation>/{EvaluationFolder.ModelFolderName}." };

    public Option<string?> Metrics { get; } = new("--metrics") { Description = $"Metrics JSON (MlflowMetricsFile). Default: <evaluation>/{EvaluationFolder.MetricsFileName} when it exists." };

    public Option<string?> CommandLine { get; } = new("--command-line") { Description = $"The command that produced the model (MlflowCommandLine). Default: <evaluation>/{EvaluationFolder.CommandLineFileName}." };

    public Option<string?> Database { get; } = new("--database") { Description = $"The data set's name (MlflowDatabase). Default: <evaluation>/{EvaluationFolder.DatabaseFileName}." };

    public Option<string[]> Params { get; } = new("--param", "-p") { Description = "A param KEY=VALUE (MlflowParam), repeatable." };

    public Option<string[]> Tables { get; } = new("--table") { Description = $"A table (MlflowTable), repeatable. Default: {Default(EvaluationFolder.TablesFolderName, EvaluationFolder.TableExtensions)}." };

    public Option<string[]> Figures { get; } = new("--figure") { Description = $"A figure (MlflowFigure), repeatable. Default: {Default(EvaluationFolder.FiguresFolderName, EvaluationFolder.FigureExtensions)}." };

    public Option<string[]> ConfigFiles { get; } = new("--config-file") { Description = "A configuration file the evaluation used (MlflowConfigFile), repeatable." };

    public Option<string?> Version { get; } = new("--version") { Description = "The version to create where the registry lets the client choose: GitLab SemVer, e.g. 1.3.0 (MlflowModelVersion)." };

    public Option<string?> Experiment { get; } = new("--experiment") { Description = "The experiment of the run on an MLflow server (MlflowExperimentName). Default: the model's name." };

    public Option<string?> NamePrefixes { get; } = new("--name-prefixes")
    {
        Description = "Allowed name prefixes, ';'-separated (MlflowModelNamePrefixes); empty allows any name.",
        DefaultValueFactory = _ => ModelNameRules.DefaultPrefixesSetting,
    };

    public Option<bool> AllowDirty { get; } = new("--allow-dirty") { Description = "Publish from a working tree with uncommitted changes, tagged dirty (MlflowAllowDirty)." };

    public Option<bool> Force { get; } = new("--force") { Description = "Publish a new version even when one already holds this content (MlflowForcePublish)." };

    /// <summary>How help names a folder's default files: <c>&lt;evaluation&gt;/tables/*.md|csv</c>.</summary>
    private static string Default(string folder, IReadOnlyList<string> extensions) =>
        $"<evaluation>/{folder}/*.{string.Join('|', extensions.Select(e => e.TrimStart('.')))}";

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Name, ProjectDirectory, EvaluationDirectory, ModelDirectory, Metrics, CommandLine, Database, Params, Tables, Figures, ConfigFiles, Version, Experiment, NamePrefixes, AllowDirty, Force })
        {
            command.Add(option);
        }
    }
}
