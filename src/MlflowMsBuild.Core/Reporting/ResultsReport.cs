using System.Text;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.IO;
using MlflowMsBuild.Core.Registry;
using MlflowMsBuild.Core.Uris;

namespace MlflowMsBuild.Core.Reporting;

/// <param name="PagePath">The page's full path.</param>
/// <param name="Written">Files written (new or changed), '/'-separated and relative to the output folder.</param>
/// <param name="Unchanged">Files that already held the right bytes: not touched, so their times stay.</param>
/// <param name="Deleted">Files under <c>figures/</c> no version holds any more.</param>
/// <param name="Versions">The versions shown, in the page's order.</param>
public sealed record ReportResult(string PagePath, IReadOnlyList<string> Written, IReadOnlyList<string> Unchanged, IReadOnlyList<string> Deleted,
    IReadOnlyList<ReportedVersion> Versions);

/// <summary>
/// A results page generated from exact registered versions (the <c>doc-</c> models: one per result shown in the
/// documentation), and the check that a committed page still matches them. The page owns its file and everything
/// under the <c>figures/</c> folder beside it; nothing else in the output folder is read or written.
/// </summary>
/// <param name="openRegistry">Opens the registry a URI's <c>?registry=</c> names (null: the configured one), e.g. <c>MlflowSettings.OpenRegistry</c>.</param>
public sealed class ResultsReport(Func<string?, IModelRegistry> openRegistry)
{
    /// <summary>
    /// Writes the page and its figures; a file that already holds the same bytes is not touched, so a regeneration
    /// with nothing new changes nothing (not even a file's time).
    /// </summary>
    /// <exception cref="MlflowException">MLF1070, MLF1071, MLF1072, MLF1073, and the registry's errors.</exception>
    public async Task<ReportResult> WriteAsync(IReadOnlyList<ModelUri> models, ReportOptions options, CancellationToken cancellationToken = default)
    {
        var (root, versions, expected) = await RenderAsync(models, options, cancellationToken).ConfigureAwait(false);
        var written = new List<string>();
        var unchanged = new List<string>();
        foreach (var (relative, content) in expected)
        {
            var path = FullPath(root, relative);
            if (File.Exists(path) && File.ReadAllBytes(path).AsSpan().SequenceEqual(content))
            {
                unchanged.Add(relative);
                continue;
            }

            AtomicFile.WriteBytes(path, content);
            written.Add(relative);
        }

        var deleted = ExistingFigures(root).Where(f => !expected.ContainsKey(f)).ToList();
        foreach (var relative in deleted)
        {
            File.Delete(FullPath(root, relative));
        }

        DeleteEmptyFolders(Path.Combine(root, ResultsPage.FiguresFolder));
        return new ReportResult(FullPath(root, options.PageFileName), written, unchanged, deleted, versions);
    }

    /// <summary>
    /// Compares the page and its figures with what the registry holds for the pinned versions, writing nothing.
    /// A newer version of a pinned model is only a warning (MLF2071, through <see cref="ReportOptions.Warn"/>).
    /// </summary>
    /// <exception cref="MlflowException">MLF2070 listing every difference; MLF1070, MLF1071, MLF1072 and the registry's errors.</exception>
    public async Task<ReportResult> CheckAsync(IReadOnlyList<ModelUri> models, ReportOptions options, CancellationToken cancellationToken = default)
    {
        var (root, versions, expected) = await RenderAsync(models, options, cancellationToken).ConfigureAwait(false);
        var differences = new List<string>();
        foreach (var (relative, content) in expected)
        {
            var path = FullPath(root, relative);
            if (!File.Exists(path))
            {
                differences.Add($"{relative}: missing");
            }
            else if (File.ReadAllBytes(path) is var actual && !actual.AsSpan().SequenceEqual(content))
            {
                differences.Add($"{relative}: {Difference(relative, actual, content)}");
            }
        }

        differences.AddRange(ExistingFigures(root).Where(f => !expected.ContainsKey(f)).Select(f => $"{f}: no pinned version has this figure"));
        var pagePath = FullPath(root, options.PageFileName);
        if (differences.Count > 0)
        {
            throw new MlflowException(MlfError.ReportOutOfDate, pagePath, Plural.Of(differences.Count, "difference"), string.Concat(differences.Select(d => "\n  - " + d)));
        }

        return new ReportResult(pagePath, [], expected.Keys.ToList(), [], versions);
    }

    private async Task<(string Root, IReadOnlyList<ReportedVersion> Versions, SortedDictionary<string, byte[]> Files)> RenderAsync(
        IReadOnlyList<ModelUri> models, ReportOptions options, CancellationToken cancellationToken)
    {
        MetricFormat.Parse(options.NumberFormat);
        if (options.PageFileName != Path.GetFileName(options.PageFileName) || options.PageFileName.Length == 0 || options.PageFileName == ResultsPage.FiguresFolder)
        {
            throw new ArgumentException($"The page's file name '{options.PageFileName}' must be a file name without a folder.", nameof(options));
        }

        var root = Path.GetFullPath(options.OutputDirectory);
        if (models.Count == 0)
        {
            throw new MlflowException(MlfError.ReportWithoutModels, FullPath(root, options.PageFileName));
        }

        var versions = await ReportReader.ReadAsync(models, openRegistry, options.Warn, cancellationToken).ConfigureAwait(false);
        return (root, versions, ResultsPage.Render(versions, options));
    }

    /// <summary>For a text file the first line that differs; for a figure the sizes and hashes.</summary>
    private static string Difference(string relative, byte[] actual, byte[] expected)
    {
        if (!relative.EndsWith(".md", StringComparison.OrdinalIgnoreCase))
        {
            return $"differs from the registry's figure ({actual.Length:N0} bytes, sha256 {Sha256Hex.Of(actual)[..12]}…; the registry: {expected.Length:N0} bytes, sha256 {Sha256Hex.Of(expected)[..12]}…)";
        }

        var found = Encoding.UTF8.GetString(actual).Split('\n');
        var wanted = Encoding.UTF8.GetString(expected).Split('\n');
        for (var i = 0; i < Math.Max(found.Length, wanted.Length); i++)
        {
            var a = i < found.Length ? found[i] : null;
            var b = i < wanted.Length ? wanted[i] : null;
            if (a != b)
            {
                return $"line {i + 1} is {Quote(a)}, the registry gives {Quote(b)}";
            }
        }

        return "differs";
    }

    private static string Quote(string? line) => line is null ? "(no line)" : "'" + (line.Length > 160 ? line[..160] + "…" : line).TrimEnd('\r') + "'";

    private static IEnumerable<string> ExistingFigures(string root)
    {
        var folder = Path.Combine(root, ResultsPage.FiguresFolder);
        return Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(root, f).Replace(Path.DirectorySeparatorChar, '/'))
                .Order(StringComparer.Ordinal)
                .ToList()
            : [];
    }

    private static void DeleteEmptyFolders(string folder)
    {
        if (!Directory.Exists(folder))
        {
            return;
        }

        foreach (var child in Directory.EnumerateDirectories(folder))
        {
            DeleteEmptyFolders(child);
        }

        if (!Directory.EnumerateFileSystemEntries(folder).Any())
        {
            Directory.Delete(folder);
        }
    }

    private static string FullPath(string root, string relative) => Path.Combine(root, relative.Replace('/', Path.DirectorySeparatorChar));
}
