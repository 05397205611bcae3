using System.CommandLine;
using MlflowMsBuild.Cli.Output;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Publishing;
using MlflowMsBuild.Core.Registry;
using MlflowMsBuild.Core.Versions;

namespace MlflowMsBuild.Cli.Commands;

/// <summary><c>list &lt;model&gt;</c>: every version with its date, commit, status and key metrics.</summary>
internal static class ListCommand
{
    private const int DefaultMetricColumns = 4;

    public static Command Create(CommandContext context)
    {
        var model = new Argument<string>("model") { Description = "A model name, or models:/NAME (with ?registry=... for another registry)." };
        var metrics = new Option<string[]>("--metric", "-m")
        {
            Description = "A metric to show (repeatable). Default: up to four metrics named test/..., else the first four.",
            AllowMultipleArgumentsPerToken = false,
        };
        var command = new Command("list", "List the versions of a model with their date, commit and key metrics.") { model, metrics };
        context.SetAction(command, async (result, cancellationToken) =>
        {
            var uri = ModelArguments.Model(result.GetValue(model)!);
            var settings = context.Settings(result);
            using var registry = settings.OpenRegistry(uri.Registry);
            if (settings.Offline)
            {
                throw new MlflowException(MlfError.OfflineNeedsRegistry, registry.Descriptor.DisplayName, "'list'");
            }

            var versions = await registry.ListModelVersionsAsync(uri.Name, cancellationToken).ConfigureAwait(false);
            var runs = await ReadRunsAsync(registry, versions, cancellationToken).ConfigureAwait(false);
            var document = new ListJson(uri.Name, RegistryJson.From(registry.Descriptor), versions.Select((version, i) => new VersionJson(
                version.Version,
                version.Status,
                !IncompleteVersions.IsIncomplete(version),
                version.CreationTime,
                version.RunId,
                Commit(version, runs[i]),
                LastValues(runs[i])))
                .OrderBy(v => v.Created).ThenBy(v => v.Version, VersionOrder.Instance).ToList());
            if (context.Json(result))
            {
                JsonOutput.Write(context.Console.Out, document, CliJson.Default.ListJson);
                return ExitCodes.Success;
            }

            var columns = result.GetValue(metrics) is { Length: > 0 } chosen ? chosen : DefaultMetrics(document.Versions);
            var table = new TextTable(["VERSION", "CREATED", "COMMIT", "STATUS", .. columns]);
            foreach (var version in document.Versions)
            {
                table.Add([version.Version, Formats.Time(version.Created), Formats.ShortCommit(version.Commit), version.Complete ? version.Status : "INCOMPLETE",
                    .. columns.Select(c => version.Metrics.TryGetValue(c, out var value) ? Formats.Number(value) : "-")]);
            }

            table.WriteTo(context.Console.Out);
            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task<RunData[]> ReadRunsAsync(IModelRegistry registry, IReadOnlyList<ModelVersionInfo> versions, CancellationToken cancellationToken)
    {
        var runs = new RunData[versions.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, versions.Count), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken },
            async (index, token) => runs[index] = await registry.GetRunDataAsync(versions[index], token).ConfigureAwait(false)).ConfigureAwait(false);
        return runs;
    }

    private static string? Commit(ModelVersionInfo version, RunData run) =>
        version.Tags.GetValueOrDefault(PublishTags.GitCommit) ?? run.Tags.GetValueOrDefault(PublishTags.GitCommit);

    /// <summary>Each metric's value at its last step, as MLflow's UI shows it.</summary>
    private static SortedDictionary<string, double> LastValues(RunData run) =>
        new(run.Metrics.GroupBy(m => m.Key).ToDictionary(g => g.Key, g => g.OrderBy(m => m.Step).ThenBy(m => m.Timestamp).Last().Value), StringComparer.Ordinal);

    private static string[] DefaultMetrics(IReadOnlyList<VersionJson> versions)
    {
        var keys = versions.SelectMany(v => v.Metrics.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        var test = keys.Where(k => k.StartsWith("test/", StringComparison.Ordinal)).ToList();
        return (test.Count > 0 ? test : keys).Take(DefaultMetricColumns).ToArray();
    }
}
