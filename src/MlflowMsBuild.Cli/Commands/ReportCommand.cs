using System.CommandLine;
using MlflowMsBuild.Cli.Output;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Reporting;

namespace MlflowMsBuild.Cli.Commands;

/// <summary>
/// <c>report &lt;uri&gt;... -o &lt;folder&gt; [--check]</c>: the results page of exact doc- versions (what
/// <c>dotnet build -t:MlflowDocResults</c> does), or the check that a committed page still matches them.
/// </summary>
internal static class ReportCommand
{
    public static Command Create(CommandContext context)
    {
        var models = new Argument<string[]>("models")
        {
            Description = "Exact versions, models:/NAME/VERSION (optionally with ?registry=...): one row and one section each.",
            Arity = ArgumentArity.OneOrMore,
        };
        var output = new Option<string>("--output", "-o") { Description = "The page's folder; figures go into its figures/ folder.", Required = true };
        var metrics = new Option<string[]>("--metrics")
        {
            Description = "The metrics to show, in this order (comma-separated or repeated). Default: every metric of the models.",
        };
        var format = new Option<string>("--format") { Description = $"A .NET numeric format for metric values (G6, F3, P1, 0.000). Default: {MetricFormat.Default}." };
        var title = new Option<string>("--title") { Description = "The page's heading. Default: Results." };
        var page = new Option<string>("--page") { Description = $"The page's file name in the folder. Default: {ReportOptions.DefaultPageFileName}." };
        var check = new Option<bool>("--check")
        {
            Description = "Write nothing: fail (MLF2070, exit code 8) when the page or its figures differ from what the registry holds for these versions.",
        };
        var command = new Command("report", "Write a results page (metrics, comparison table, tables, figures, links) from exact model versions, or check it.")
        {
            models, output, metrics, format, title, page, check,
        };
        context.SetAction(command, async (result, cancellationToken) =>
        {
            var uris = result.GetValue(models)!.Select(ModelArguments.Version).ToList();
            var settings = context.Settings(result);
            if (settings.Offline)
            {
                using var registry = settings.OpenRegistry(uris[0].Registry);
                throw new MlflowException(MlfError.OfflineNeedsRegistry, registry.Descriptor.DisplayName, "'report'");
            }

            var pageName = result.GetValue(page) ?? ReportOptions.DefaultPageFileName;
            if (pageName != Path.GetFileName(pageName) || !pageName.EndsWith(".md", StringComparison.OrdinalIgnoreCase))
            {
                throw new MlflowException(MlfError.CommandValueInvalid, "The page name", pageName, "give a file name ending in .md, without a folder (the folder is --output)");
            }

            var options = new ReportOptions
            {
                OutputDirectory = settings.FullPath(result.GetValue(output)!),
                Metrics = (result.GetValue(metrics) ?? []).SelectMany(m => m.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList(),
                NumberFormat = result.GetValue(format) ?? MetricFormat.Default,
                Title = result.GetValue(title) ?? "Results",
                PageFileName = pageName,
                Warn = warning => context.Console.Error.WriteLine($"warning {warning.Code}: {warning.Message}"),
            };
            var report = new ResultsReport(settings.OpenRegistry);
            var checking = result.GetValue(check);
            var done = checking
                ? await report.CheckAsync(uris, options, cancellationToken).ConfigureAwait(false)
                : await report.WriteAsync(uris, options, cancellationToken).ConfigureAwait(false);
            if (context.Json(result))
            {
                JsonOutput.Write(context.Console.Out, new ReportJson(done.PagePath, checking, done.Versions.Select(v => v.Uri.ToString()).ToList(),
                    done.Written, done.Unchanged, done.Deleted), CliJson.Default.ReportJson);
            }
            else
            {
                await context.Console.Out.WriteLineAsync(done.PagePath).ConfigureAwait(false);
                await context.Console.Error.WriteLineAsync(checking
                    ? $"The results page matches the registry for {done.Versions.Count} version(s) ({done.Unchanged.Count} file(s) compared)."
                    : $"Results page of {done.Versions.Count} version(s): {done.Written.Count} file(s) written, {done.Unchanged.Count} unchanged, {done.Deleted.Count} deleted.").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
