using System.CommandLine;
using MlflowMsBuild.Cli.Output;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Publishing;

namespace MlflowMsBuild.Cli.Commands;

/// <summary>
/// <c>publish</c>: what <c>dotnet build -t:PublishModel</c> does after the evaluation, for pipelines without MSBuild. The same
/// inputs with the same defaults, read from an evaluation folder; standard output holds only the version.
/// </summary>
internal static class PublishCommand
{
    private static readonly string[] TableExtensions = [".md", ".csv", ".tsv", ".txt"];
    private static readonly string[] FigureExtensions = [".png", ".svg", ".pdf", ".jpg", ".jpeg"];

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
            var evaluation = Full(result.GetValue(o.EvaluationDirectory)!);
            var modelDirectory = Full(result.GetValue(o.ModelDirectory) ?? Path.Combine(evaluation, "model"));
            var metrics = result.GetValue(o.Metrics) is { } m ? Full(m) : Existing(Path.Combine(evaluation, "metrics.json"));
            var input = new PublishInput(
                result.GetValue(o.Name)!.Trim(),
                modelDirectory,
                Directory.Exists(modelDirectory) ? Directory.EnumerateFiles(modelDirectory, "*", SearchOption.AllDirectories).ToList() : [],
                project,
                metrics,
                result.GetValue(o.CommandLine) ?? ReadOptional(Path.Combine(evaluation, "command-line.txt")),
                Params(result.GetValue(o.Params) ?? []),
                (result.GetValue(o.NamePrefixes) ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                result.GetValue(o.Version),
                result.GetValue(o.Experiment))
            {
                Tables = Files(result.GetValue(o.Tables), Path.Combine(evaluation, "tables"), TableExtensions, Full),
                Figures = Files(result.GetValue(o.Figures), Path.Combine(evaluation, "figures"), FigureExtensions, Full),
                ConfigFiles = (result.GetValue(o.ConfigFiles) ?? []).Select(Full).ToList(),
                Database = result.GetValue(o.Database) ?? ReadOptional(Path.Combine(evaluation, "database.txt")),
                AllowDirty = result.GetValue(o.AllowDirty),
                ForcePublish = result.GetValue(o.Force),
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
                    published.FileCount, published.TotalBytes, published.ContentHash, registry.Descriptor.DisplayName), CliJson.Default.PublishJson);
            }
            else
            {
                await context.Console.Out.WriteLineAsync(published.Version).ConfigureAwait(false);
            }

            await context.Console.Error.WriteLineAsync(published.AlreadyPublished
                ? $"Model '{published.ModelName}' version {published.Version} in the {registry.Descriptor.DisplayName} already holds this content (commit {Formats.ShortCommit(published.CommitSha)}): nothing was published. Pass --force to publish a new version anyway."
                : $"Published model '{published.ModelName}' version {published.Version} ({published.FileCount} files, {Formats.Size(published.TotalBytes)}, commit {Formats.ShortCommit(published.CommitSha)}) to the {registry.Descriptor.DisplayName}.").ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    private static string? Existing(string path) => File.Exists(path) ? path : null;

    private static string? ReadOptional(string path) => File.Exists(path) && File.ReadAllText(path).Trim() is { Length: > 0 } text ? text : null;

    /// <summary>The files given, else (as the targets' defaults) the evaluation folder's files of those kinds.</summary>
    private static List<string> Files(string[]? given, string folder, string[] extensions, Func<string, string> full) =>
        given is { Length: > 0 }
            ? given.Select(full).ToList()
            : Directory.Exists(folder)
                ? Directory.EnumerateFiles(folder).Where(f => extensions.Contains(Path.GetExtension(f).ToLowerInvariant())).Order(StringComparer.Ordinal).ToList()
                : [];

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
