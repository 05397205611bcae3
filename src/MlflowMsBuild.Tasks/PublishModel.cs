using Microsoft.Build.Framework;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Naming;
using MlflowMsBuild.Core.Publishing;
using MlflowMsBuild.Core.Restore;
using MlflowMsBuild.Core.Settings;

namespace MlflowMsBuild.Tasks;

/// <summary>
/// Registers a new version of a model with its files, metrics and provenance. Each input left empty is read from
/// <see cref="EvaluationDirectory"/> as <see cref="EvaluationFolder"/> lays it out.
/// </summary>
public sealed class PublishModel : MlflowTask
{
    [Required]
    public string ModelName { get; set; } = "";

    /// <summary>The folder the evaluation wrote (<c>MlflowEvaluationDirectory</c>); empty for <see cref="EvaluationFolder.DefaultName"/> in the project's folder.</summary>
    public string? EvaluationDirectory { get; set; }

    /// <summary>Folder holding the model; file paths inside the version are relative to it. Empty: the evaluation folder's.</summary>
    public string? ModelDirectory { get; set; }

    /// <summary>The files to publish; all files under the model folder when empty.</summary>
    public ITaskItem[] ModelFiles { get; set; } = [];

    /// <summary>JSON metrics of the evaluation. Empty: the evaluation folder's, when it exists.</summary>
    public string? MetricsFile { get; set; }

    /// <summary>The command that produced the model. Wins over <see cref="CommandLineFile"/>.</summary>
    public string? CommandLine { get; set; }

    /// <summary>A file whose text is the command that produced the model. Empty: the evaluation folder's.</summary>
    public string? CommandLineFile { get; set; }

    /// <summary>Extra params: item spec is the key, metadata <c>Value</c> the value.</summary>
    public ITaskItem[] Params { get; set; } = [];

    /// <summary>The version to create where the registry lets the client choose (GitLab SemVer, e.g. 1.3.0); empty to let it number.</summary>
    public string? RequestedVersion { get; set; }

    /// <summary>The experiment that holds the run on an MLflow server; empty for the model's name.</summary>
    public string? ExperimentName { get; set; }

    /// <summary>Tables (markdown, CSV, TSV, text) stored as text artifacts under <c>tables/</c>. Empty: the evaluation folder's.</summary>
    public ITaskItem[] Tables { get; set; } = [];

    /// <summary>Figures (PNG, SVG, PDF, JPEG) stored as image artifacts under <c>figures/</c>. Empty: the evaluation folder's.</summary>
    public ITaskItem[] Figures { get; set; } = [];

    /// <summary>Configuration files the evaluation used: the param <c>config_file</c>, stored under <c>config/</c>.</summary>
    public ITaskItem[] ConfigFiles { get; set; } = [];

    /// <summary>The database or data set name: the param <c>database</c>. Wins over <see cref="DatabaseFile"/>.</summary>
    public string? Database { get; set; }

    /// <summary>A file whose text is the data set's name. Empty: the evaluation folder's.</summary>
    public string? DatabaseFile { get; set; }

    /// <summary>Publish from a working tree with uncommitted changes (then tagged dirty) instead of failing.</summary>
    public bool AllowDirty { get; set; }

    /// <summary>Publish a new version even when an existing one holds the same content.</summary>
    public bool ForcePublish { get; set; }

    /// <summary>
    /// Allowed model name prefixes, ';'-separated; not set for <see cref="ModelNameRules.DefaultPrefixes"/>, <c>;</c> to allow
    /// any name (MSBuild does not pass an empty value).
    /// </summary>
    public string? NamePrefixes { get; set; }

    /// <summary>The version registered, e.g. <c>3</c>.</summary>
    [Output]
    public string PublishedVersion { get; private set; } = "";

    /// <summary>True when nothing was published because <see cref="PublishedVersion"/> already holds the same content.</summary>
    [Output]
    public bool AlreadyPublished { get; private set; }

    protected override async Task ExecuteCoreAsync(CancellationToken cancellationToken)
    {
        var settings = CreateSettings();
        using var registry = settings.OpenRegistry();
        var evaluation = new EvaluationFolder(FullPath(settings, EvaluationDirectory) ?? settings.FullPath(EvaluationFolder.DefaultName));
        var modelDirectory = FullPath(settings, ModelDirectory) ?? evaluation.ModelDirectory;
        var files = ModelFiles.Length > 0
            ? FullPaths(settings, ModelFiles)
            : Directory.Exists(modelDirectory) ? Directory.EnumerateFiles(modelDirectory, "*", SearchOption.AllDirectories).ToList() : [];

        var input = new PublishInput(
            ModelName.Trim(),
            modelDirectory,
            files,
            settings.BaseDirectory,
            FullPath(settings, MetricsFile) ?? evaluation.ExistingMetricsFile(),
            string.IsNullOrWhiteSpace(CommandLine) ? EvaluationFolder.ReadText(FullPath(settings, CommandLineFile) ?? evaluation.CommandLineFile) : CommandLine,
            ReadParams(),
            ModelNameRules.ParsePrefixes(NamePrefixes),
            string.IsNullOrWhiteSpace(RequestedVersion) ? null : RequestedVersion.Trim(),
            string.IsNullOrWhiteSpace(ExperimentName) ? null : ExperimentName.Trim())
        {
            Tables = Tables.Length > 0 ? FullPaths(settings, Tables) : evaluation.Tables(),
            Figures = Figures.Length > 0 ? FullPaths(settings, Figures) : evaluation.Figures(),
            ConfigFiles = FullPaths(settings, ConfigFiles),
            Database = string.IsNullOrWhiteSpace(Database) ? EvaluationFolder.ReadText(FullPath(settings, DatabaseFile) ?? evaluation.DatabaseFile) : Database.Trim(),
            AllowDirty = AllowDirty,
            ForcePublish = ForcePublish,
            Warn = LogWarning,
        };

        var result = await new ModelPublisher(registry).PublishAsync(input, cancellationToken).ConfigureAwait(false);
        PublishedVersion = result.Version;
        AlreadyPublished = result.AlreadyPublished;
        if (result.AlreadyPublished)
        {
            LogFromResources(MessageImportance.High, "AlreadyPublished",
                result.ModelName, result.Version, registry.Descriptor.DisplayName, result.ContentHash[..16], result.CommitSha[..12]);
            return;
        }

        LogFromResources(MessageImportance.High, "Published",
            result.ModelName, result.Version, RestoreSummary.Count(result.FileCount, "file"), RestoreSummary.FormatSize(result.TotalBytes), result.CommitSha[..12], registry.Descriptor.DisplayName);
    }

    private static List<string> FullPaths(MlflowSettings settings, ITaskItem[] items) => items.Select(i => settings.FullPath(i.ItemSpec)).ToList();

    /// <summary>The setting as a full path (relative to the project's folder); null when it is empty.</summary>
    private static string? FullPath(MlflowSettings settings, string? setting) => string.IsNullOrWhiteSpace(setting) ? null : settings.FullPath(setting);

    private Dictionary<string, string> ReadParams()
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in Params)
        {
            var value = item.GetMetadata("Value");
            if (parameters.TryGetValue(item.ItemSpec, out var earlier) && earlier != value)
            {
                throw new MlflowException(MlfError.ParamInvalid, item.ItemSpec, $"two MlflowParam items give it different values ('{earlier}' and '{value}'); keep one");
            }

            parameters[item.ItemSpec] = value;
        }

        return parameters;
    }
}
