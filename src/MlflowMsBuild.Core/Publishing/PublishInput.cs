using MlflowMsBuild.Core.Errors;

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
    string? ExperimentName = null)
{
    /// <summary>Text files (markdown, CSV, TSV, text) stored under <c>tables/</c>.</summary>
    public IReadOnlyList<string> Tables { get; init; } = [];

    /// <summary>Images (PNG, SVG, PDF, JPEG) stored under <c>figures/</c>.</summary>
    public IReadOnlyList<string> Figures { get; init; } = [];

    /// <summary>Configuration files the evaluation used: named in the param <c>config_file</c>, stored under <c>config/</c>.</summary>
    public IReadOnlyList<string> ConfigFiles { get; init; } = [];

    /// <summary>The database or data set the model was trained and evaluated on: the param <c>database</c>.</summary>
    public string? Database { get; init; }

    /// <summary>Publish from a working tree with uncommitted changes (tagged dirty) instead of failing.</summary>
    public bool AllowDirty { get; init; }

    /// <summary>Publish a new version even when one with the same content hash exists.</summary>
    public bool ForcePublish { get; init; }

    /// <summary>Receives the coded warnings of the publish (e.g. MLF4010: no git remote, so no commit page); null to drop them.</summary>
    public Action<MlfWarning>? Warn { get; init; }
}

/// <param name="Version">The version published, or the existing one that already holds this content (<paramref name="AlreadyPublished"/>).</param>
/// <param name="AlreadyPublished">True when nothing was published because <paramref name="Version"/> has the same content hash.</param>
public sealed record PublishResult(string ModelName, string Version, string RunId, string CommitSha, int FileCount, long TotalBytes, string ContentHash = "", bool AlreadyPublished = false);
