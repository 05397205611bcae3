using System.CommandLine;
using MlflowMsBuild.Cli.Output;
using MlflowMsBuild.Core.Cache;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Registry;
using MlflowMsBuild.Core.Restore;

namespace MlflowMsBuild.Cli.Commands;

/// <summary><c>show &lt;uri&gt;</c>: one version's status, params, metrics, tags and files, read from the registry.</summary>
internal static class ShowCommand
{
    public static Command Create(CommandContext context)
    {
        var model = new Argument<string>("model") { Description = "models:/NAME/VERSION or models:/NAME@ALIAS (optionally with ?registry=...)." };
        var command = new Command("show", "Show a model version: params, metrics, tags and files.") { model };
        context.SetAction(command, async (result, cancellationToken) =>
        {
            var uri = ModelArguments.Version(result.GetValue(model)!);
            var settings = context.Settings(result);
            using var registry = settings.OpenRegistry(uri.Registry);
            if (settings.Offline)
            {
                throw new MlflowException(MlfError.OfflineNeedsRegistry, registry.Descriptor.DisplayName, "'show'");
            }

            var version = await RegistryReads.GetVersionAsync(registry, uri.Name, uri.Version!, cancellationToken).ConfigureAwait(false);
            var run = await registry.GetRunDataAsync(version, cancellationToken).ConfigureAwait(false);
            var cached = CachedManifest(settings.OpenCache(), registry.Descriptor, version);
            var files = cached is not null
                ? cached.Files.Select(f => new FileJson(f.Path, f.Size, f.Sha256)).ToList()
                : (await registry.ListFilesAsync(version, cancellationToken).ConfigureAwait(false)).Select(f => new FileJson(f.Path, f.Size, f.Sha256)).ToList();
            var document = new ShowJson(version.Name, version.Version, RegistryJson.From(registry.Descriptor), version.Status, !IncompleteVersions.IsIncomplete(version),
                version.CreationTime, version.RunId, version.Source, version.Description,
                Sorted(version.Tags), Sorted(run.Params),
                run.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal).ThenBy(m => m.Step).Select(m => new MetricJson(m.Key, m.Value, m.Step, m.Timestamp)).ToList(),
                Sorted(run.Tags), files.OrderBy(f => f.Path, StringComparer.Ordinal).ToList(), cached is not null);
            if (context.Json(result))
            {
                JsonOutput.Write(context.Console.Out, document, CliJson.Default.ShowJson);
            }
            else
            {
                WriteText(context.Console.Out, document);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static CacheManifest? CachedManifest(ModelCache cache, RegistryDescriptor registry, ModelVersionInfo version)
    {
        try
        {
            return cache.TryGet(registry, version.Name, version.Version);
        }
        catch (MlflowException)
        {
            // A damaged entry: the registry's listing is shown instead, and the next restore reports the damage.
            return null;
        }
    }

    private static SortedDictionary<string, string> Sorted(IReadOnlyDictionary<string, string> values) => new(values.ToDictionary(), StringComparer.Ordinal);

    private static void WriteText(TextWriter writer, ShowJson model)
    {
        writer.WriteLine($"Model '{model.Name}' version {model.Version}, {model.Registry.DisplayName}");
        writer.WriteLine($"  status   {model.Status}{(model.Complete ? "" : " (incomplete: do not use)")}");
        writer.WriteLine($"  created  {Formats.Time(model.Created)}");
        writer.WriteLine($"  run      {(model.RunId.Length == 0 ? "-" : model.RunId)}");
        writer.WriteLine($"  cached   {(model.Cached ? "yes" : "no")}");
        Section(writer, "Params", model.Params.Select(p => (p.Key, p.Value)));
        Section(writer, "Metrics", model.Metrics.Select(m => (m.Step == 0 ? m.Key : $"{m.Key} (step {m.Step})", Formats.Number(m.Value))));
        Section(writer, "Version tags", model.VersionTags.Select(t => (t.Key, t.Value)));
        Section(writer, "Run tags", model.RunTags.Select(t => (t.Key, t.Value)));
        Section(writer, "Files", model.Files.Select(f => (f.Path, Formats.Size(f.Size) + (f.Sha256 is null ? "" : "  sha256 " + f.Sha256))));
        if (model.Description.Length > 0)
        {
            writer.WriteLine();
            writer.WriteLine("Description");
            writer.WriteLine(model.Description.TrimEnd());
        }
    }

    private static void Section(TextWriter writer, string title, IEnumerable<(string Key, string Value)> entries)
    {
        var list = entries.ToList();
        writer.WriteLine();
        writer.WriteLine($"{title} ({list.Count})");
        var width = list.Count == 0 ? 0 : list.Max(e => e.Key.Length);
        foreach (var (key, value) in list)
        {
            writer.WriteLine($"  {key.PadRight(width)}  {value.ReplaceLineEndings(" ")}");
        }
    }
}
