namespace MlflowMsBuild.Core.Publishing;

/// <summary>Everything a publish needs, already gathered by the caller (MSBuild task or command line).</summary>
/// <param name="ModelDirectory">Folder holding the model files; their paths inside the version are relative to it.</param>
/// <param name="ModelFiles">Full paths of the files to publish, all under <paramref name="ModelDirectory"/>.</param>
/// <param name="SourceDirectory">Where to look for the git repository (the project's folder).</param>
/// <param name="CommandLine">The command that produced the model; recorded as the param <c>command_line</c>.</param>
/// <param name="Params">Extra params (configuration values) to log on the run.</param>
/// <param name="RequestedVersion">The version to create where the registry lets the client choose (GitLab SemVer).</param>
/// <param name="ExperimentName">The experiment for the run on MLflow servers; null for the model's name.</param>
public sealed record PublishInput(
    string ModelName,
    string ModelDirectory,
    IReadOnlyList<string> ModelFiles,
    string SourceDirectory,
    string? MetricsFile = null,
    string? CommandLine = null,
    IReadOnlyDictionary<string, string>? Params = null,
    IReadOnlyList<string>? NamePrefixes = null,
    string? RequestedVersion = null,
    string? ExperimentName = null);

public sealed record PublishResult(string ModelName, string Version, string RunId, string CommitSha, int FileCount, long TotalBytes);
