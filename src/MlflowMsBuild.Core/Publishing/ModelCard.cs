using System.Globalization;
using System.Text;

namespace MlflowMsBuild.Core.Publishing;

/// <summary>
/// The markdown description of a version (its model card) and of a new registered model, generated from what
/// is published. Kept within the registry's limit (<see cref="Registry.RegistryDescriptor.MaxDescriptionLength"/>:
/// GitLab 10,000 characters, MLflow's SQL stores 5,000): a card that would be longer loses its last lines
/// (long metric tables first) and says so; the run still holds everything.
/// </summary>
public static class ModelCard
{
    public const int MaxLength = 10_000;
    private const string Truncated = "\n_(shortened to fit the registry's description limit: the run holds every metric, param and file)_\n";

    internal static string ForVersion(string modelName, ProvenanceRecord record, IReadOnlyDictionary<string, double> metrics,
        IReadOnlyList<string> modelFiles, IReadOnlyList<PublishedArtifact> artifacts, string contentHash, int maxLength = MaxLength)
    {
        var git = record.Git;
        var lines = new List<string>
        {
            $"## {modelName}",
            "",
            $"Published by MlflowMsBuild {record.Tools.MlflowMsBuild} on {record.Now.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC.",
            "",
            "| | |",
            "|---|---|",
            $"| Commit | {CommitLink(git.CommitSha, git.CommitWebUrl)}{(git.Branch is null ? "" : " on " + Code(git.Branch))} |",
        };
        if (git.IsDirty)
        {
            lines.Add($"| Working tree | **dirty**: {git.ChangedFiles.Count} changed file(s) not in the commit |");
        }

        if (record.CommandLine is { } commandLine)
        {
            lines.Add($"| Command line | {Code(commandLine)} |");
        }

        if (record.Database is { } database)
        {
            lines.Add($"| Data set | {Code(database)} |");
        }

        if (record.ConfigFiles.Count > 0)
        {
            lines.Add($"| Configuration | {string.Join(", ", record.ConfigFiles.Select(Code))} |");
        }

        lines.Add($"| Content hash | {Code(contentHash[..16])} |");
        if (metrics.Count > 0)
        {
            lines.AddRange(["", "### Metrics", "", "| metric | value |", "|---|---:|"]);
            lines.AddRange(metrics.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => $"| {Cell(m.Key)} | {Number(m.Value)} |"));
        }

        Section(lines, "Tables", artifacts.Where(a => a.ArtifactPath.StartsWith("tables/", StringComparison.Ordinal)).Select(a => Code(a.ArtifactPath)));
        Section(lines, "Figures", artifacts.Where(a => a.ArtifactPath.StartsWith("figures/", StringComparison.Ordinal)).Select(a => Code(a.ArtifactPath)));
        Section(lines, "Model files", modelFiles.Select(Code));
        return Fit(lines, maxLength);
    }

    internal static string ForRegisteredModel(string modelName, ProvenanceRecord record)
    {
        var project = record.Git.RemoteUrl is { } remote ? Provenance.RemoteUrls.ProjectWebUrl(remote) ?? remote : null;
        var from = project is null ? "" : $" from [{project}]({project})";
        return $"Model `{modelName}`, published by MlflowMsBuild{from}. Each version's description is its model card: metrics, commit, command line, data set, configuration and figures; its run holds every param, metric, tag and file.";
    }

    private static void Section(List<string> lines, string title, IEnumerable<string> items)
    {
        var list = items.ToList();
        if (list.Count > 0)
        {
            lines.AddRange(["", "### " + title, ""]);
            lines.AddRange(list.Select(i => "- " + i));
        }
    }

    private static string Fit(List<string> lines, int maxLength)
    {
        var text = string.Join('\n', lines) + "\n";
        if (text.Length <= maxLength)
        {
            return text;
        }

        var kept = new StringBuilder();
        foreach (var line in lines)
        {
            if (kept.Length + line.Length + 1 + Truncated.Length > maxLength)
            {
                break;
            }

            kept.Append(line).Append('\n');
        }

        return kept.Append(Truncated).ToString();
    }

    private static string CommitLink(string sha, string? url) => url is null ? Code(sha) : $"[{Code(sha)}]({url})";

    private static string Number(double value) =>
        double.IsNaN(value) ? "NaN" : double.IsInfinity(value) ? (value > 0 ? "Infinity" : "-Infinity") : value.ToString("G6", CultureInfo.InvariantCulture);

    /// <summary>Text for a table cell: '|' escaped, line breaks flattened.</summary>
    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");

    /// <summary>A code span that survives backticks and '|' in the text (inside tables too).</summary>
    private static string Code(string text)
    {
        var flat = Cell(text);
        var fence = flat.Contains('`', StringComparison.Ordinal) ? "``" : "`";
        var pad = fence.Length > 1 ? " " : "";
        return fence + pad + flat + pad + fence;
    }
}
