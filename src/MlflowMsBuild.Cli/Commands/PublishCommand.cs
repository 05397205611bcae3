using System.CommandLine;
using MlflowMsBuild.Cli.Output;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Naming;
using MlflowMsBuild.Core.Publishing;
using MlflowMsBuild.Core.Restore;

namespace MlflowMsBuild.Cli.Commands;

/// <summary>
/// <c>publish</c>: what <c>dotnet build -t:PublishModel</c> does after the evaluation, for pipelines without MSBuild. The same
/// inputs with the same defaults, read from an <see cref="EvaluationFolder"/>; standard output holds only the version.
/// </summary>
internal static class PublishCommand
{
    public static Command Create(CommandContext context)
    {
        var o = new PublishOptions();
        var command = new Command("publish", "Publish a new model version with its files, metrics and provenance (as the PublishModel target).");
        o.AddTo(command);
        context.SetAction(command, async (result, cancellationToken) =>
        {
            var settings = context.Settings(result);
            var project = settings.FullPath(result.GetValue(o.ProjectDirectory) ?? ".");
            string Full(string path) => Path.GetFullPath(path, project);
            var evaluation = new EvaluationFolder(Full(result.GetValue(o.EvaluationDirectory)!));
            var modelDirectory = result.GetValue(o.ModelDirectory) is { } d ? Full(d) : evaluation.ModelDirectory;
            var metrics = result.GetValue(o.Metrics) is { } m ? Full(m) : evaluation.ExistingMetricsFile();
            var input = new PublishInput(
                result.GetValue(o.Name)!.Trim(),
                modelDirectory,
                Directory.Exists(modelDirectory) ? Directory.EnumerateFiles(modelDirectory, "*", SearchOption.AllDirectories).ToList() : [],
                project,
                metrics,
                result.GetValue(o.CommandLine) ?? evaluation.ReadCommandLine(),
                Params(result.GetValue(o.Params) ?? []),
                ModelNameRules.ParsePrefixes(result.GetValue(o.NamePrefixes)),
                result.GetValue(o.Version),
                result.GetValue(o.Experiment))
            {
                Tables = result.GetValue(o.Tables) is { Length: > 0 } tables ? tables.Select(Full).ToList() : evaluation.Tables(),
                Figures = result.GetValue(o.Figures) is { Length: > 0 } figures ? figures.Select(Full).ToList() : evaluation.Figures(),
                ConfigFiles = (result.GetValue(o.ConfigFiles) ?? []).Select(Full).ToList(),
                Database = result.GetValue(o.Database) ?? evaluation.ReadDatabase(),
                AllowDirty = result.GetValue(o.AllowDirty),
                ForcePublish = result.GetValue(o.Force),
                Warn = warning => context.Console.Error.WriteLine($"warning {warning.Code}: {warning.Message}"),
            };

            using var registry = settings.OpenRegistry();
            if (settings.Offline)
            {
                throw new MlflowException(MlfError.OfflineNeedsRegistry, registry.Descriptor.DisplayName, "'publish'");
            }

            var published = await new ModelPublisher(registry).PublishAsync(input, cancellationToken).ConfigureAwait(false);
            if (context.Json(result))
            {
                JsonOutput.Write(context.Console.Out, new PublishJson(published.ModelName, published.Version, published.AlreadyPublished, published.RunId, published.CommitSha,
                    published.FileCount, published.TotalBytes, published.ContentHash, RegistryJson.From(registry.Descriptor)), CliJson.Default.PublishJson);
            }
            else
            {
                await context.Console.Out.WriteLineAsync(published.Version).ConfigureAwait(false);
            }

            await context.Console.Error.WriteLineAsync(published.AlreadyPublished
                ? $"Model '{published.ModelName}' version {published.Version} in the {registry.Descriptor.DisplayName} already holds this content (commit {Formats.ShortCommit(published.CommitSha)}): nothing was published. Pass --force to publish a new version anyway."
                : $"Published model '{published.ModelName}' version {published.Version} ({Plural.Of(published.FileCount, "file")}, {Formats.Size(published.TotalBytes)}, commit {Formats.ShortCommit(published.CommitSha)}) to the {registry.Descriptor.DisplayName}.").ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Dictionary<string, string> Params(string[] pairs)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new MlflowException(MlfError.CommandValueInvalid, "--param", pair, "write KEY=VALUE");
            }

            result[pair[..equals].Trim()] = pair[(equals + 1)..];
        }

        return result;
    }
}
