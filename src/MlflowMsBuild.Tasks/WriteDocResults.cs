using Microsoft.Build.Framework;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Reporting;
using MlflowMsBuild.Core.Uris;

namespace MlflowMsBuild.Tasks;

/// <summary>
/// Writes the results page of the project's doc- models (<see cref="ResultsReport"/>), or with <see cref="Check"/>
/// compares the committed page with the registry and fails with MLF2070 listing the differences.
/// </summary>
public sealed class WriteDocResults : MlflowTask
{
    /// <summary>The doc- model references: the model's name as the item, the exact version in <c>Version</c> (as the restore takes them). None: MLF1073.</summary>
    public ITaskItem[] Models { get; set; } = [];

    /// <summary>The page's folder (<c>MlflowDocResultsDirectory</c>), relative to the project's folder.</summary>
    [Required]
    public string OutputDirectory { get; set; } = "";

    /// <summary>The page's file name; empty for <see cref="ReportOptions.DefaultPageFileName"/>.</summary>
    public string? PageFileName { get; set; }

    /// <summary>The metrics to show, in order, ';'- or ','-separated; empty for all.</summary>
    public string? Metrics { get; set; }

    /// <summary>A .NET numeric format for metric values; empty for <see cref="MetricFormat.Default"/>.</summary>
    public string? NumberFormat { get; set; }

    public string? Title { get; set; }

    /// <summary>Compare instead of writing.</summary>
    public bool Check { get; set; }

    /// <summary>The files written (full paths); empty when checking or when nothing changed.</summary>
    [Output]
    public ITaskItem[] WrittenFiles { get; private set; } = [];

    /// <summary>Every file of the page (full paths), written or already right; empty when checking. The target lists them in obj/ so that a deleted one reruns the write.</summary>
    [Output]
    public ITaskItem[] PageFiles { get; private set; } = [];

    protected override async Task ExecuteCoreAsync(CancellationToken cancellationToken)
    {
        var settings = CreateSettings();
        var options = new ReportOptions
        {
            OutputDirectory = settings.FullPath(OutputDirectory),
            PageFileName = string.IsNullOrWhiteSpace(PageFileName) ? ReportOptions.DefaultPageFileName : PageFileName.Trim(),
            Metrics = (Metrics ?? "").Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            NumberFormat = string.IsNullOrWhiteSpace(NumberFormat) ? MetricFormat.Default : NumberFormat.Trim(),
            Title = string.IsNullOrWhiteSpace(Title) ? "Results" : Title.Trim(),
            Warn = LogWarning,
        };
        var models = Models.Select(m => new ModelUri(m.ItemSpec.Trim(), m.GetMetadata("Version").Trim() is { Length: > 0 } v ? v : null, null)).ToList();
        var report = new ResultsReport(settings.OpenRegistry);
        if (Check)
        {
            var checkedPage = await report.CheckAsync(models, options, cancellationToken).ConfigureAwait(false);
            LogFromResources(MessageImportance.High, "DocResultsChecked", checkedPage.PagePath, Plural.Of(checkedPage.Versions.Count, "pinned version"));
            return;
        }

        var written = await report.WriteAsync(models, options, cancellationToken).ConfigureAwait(false);
        ITaskItem[] Items(IEnumerable<string> files) => files.Select(f => (ITaskItem)new Microsoft.Build.Utilities.TaskItem(Path.Combine(options.OutputDirectory, f))).ToArray();
        WrittenFiles = Items(written.Written);
        PageFiles = Items(written.Written.Concat(written.Unchanged).Order(StringComparer.Ordinal));
        LogFromResources(MessageImportance.High, "DocResultsWritten", written.PagePath, Plural.Of(written.Versions.Count, "version"), Plural.Of(written.Written.Count, "file"), written.Unchanged.Count, written.Deleted.Count);
    }
}
