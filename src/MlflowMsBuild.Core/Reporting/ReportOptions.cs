using MlflowMsBuild.Core.Errors;

namespace MlflowMsBuild.Core.Reporting;

/// <summary>What a results page shows and where it goes.</summary>
public sealed record ReportOptions
{
    /// <summary>The page's file name in <see cref="OutputDirectory"/> when none is set.</summary>
    public const string DefaultPageFileName = "results.md";

    /// <summary>The folder of the page; figures go into its <c>figures/</c> folder. A relative path is relative to the current folder.</summary>
    public required string OutputDirectory { get; init; }

    public string PageFileName { get; init; } = DefaultPageFileName;

    /// <summary>The page's title (its first heading).</summary>
    public string Title { get; init; } = "Results";

    /// <summary>
    /// The metrics of the comparison table and of each model's table, in this order; empty: every metric of the
    /// models, in ordinal order. A selected metric that no model has is MLF1072.
    /// </summary>
    public IReadOnlyList<string> Metrics { get; init; } = [];

    /// <summary>A .NET numeric format string for metric values, formatted with the invariant culture (see <see cref="MetricFormat"/>).</summary>
    public string NumberFormat { get; init; } = MetricFormat.Default;

    /// <summary>Receives coded warnings (MLF2071: a newer version of a pinned model exists).</summary>
    public Action<MlfWarning>? Warn { get; init; }
}
