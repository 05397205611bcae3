using System.CommandLine;
using MlflowMsBuild.Cli.Output;
using MlflowMsBuild.Core.Cache;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Resolution;
using MlflowMsBuild.Core.Restore;

namespace MlflowMsBuild.Cli.Commands;

/// <summary><c>cache list|verify|prune</c>: the machine-wide model cache that builds, programs and this tool share.</summary>
internal static class CacheCommands
{
    public static Command Create(CommandContext context) =>
        new("cache", "Inspect, verify and prune the machine-wide model cache.") { List(context), Verify(context), Prune(context) };

    private static Command List(CommandContext context)
    {
        var command = new Command("list", "List the cached model versions: size and last use.");
        context.SetAction(command, (result, _) =>
        {
            var cache = context.Settings(result).OpenCache();
            var entries = new CacheMaintenance(cache).List().Select(e =>
            {
                var folder = SharedModelFolders.PathOf(cache, e.RegistryKey, e.Name, e.Version);
                return new CacheEntryJson(e.RegistryKey, e.Name, e.Version, e.Files, e.Bytes, e.LastUsed, e.ManifestPath, Directory.Exists(folder) ? folder : null, e.Damage);
            }).ToList();
            if (context.Json(result))
            {
                JsonOutput.Write(context.Console.Out, new CacheListJson(cache.Root, entries), CliJson.Default.CacheListJson);
                return Task.FromResult(ExitCodes.Success);
            }

            var table = new TextTable("REGISTRY", "MODEL", "VERSION", "FILES", "SIZE", "LAST USED");
            foreach (var entry in entries)
            {
                var damaged = entry.Damage is not null;
                table.Add(entry.Registry, entry.Name, entry.Version, damaged ? "damaged" : entry.Files.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    damaged ? "-" : Formats.Size(entry.Bytes), Formats.Time(entry.LastUsed));
            }

            table.WriteTo(context.Console.Out);
            foreach (var entry in entries.Where(e => e.Damage is not null))
            {
                context.Console.Error.WriteLine($"Model '{entry.Name}' version {entry.Version} is damaged: {entry.Damage} ('{entry.Manifest}'). " +
                    "The next restore downloads it again; 'mlflow-models cache verify --repair' or 'cache prune' removes it.");
            }

            context.Console.Error.WriteLine($"{Plural.Of(entries.Count, "version")}, {Formats.Size(entries.Sum(e => e.Bytes))} in '{cache.Root}'.");
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }

    private static Command Verify(CommandContext context)
    {
        var repair = new Option<bool>("--repair") { Description = "Delete damaged files and the versions that need them: the next restore downloads them again." };
        var command = new Command("verify", "Hash every cached file and check every version; exit code 4 when something is damaged (and not repaired).") { repair };
        context.SetAction(command, async (result, cancellationToken) =>
        {
            var options = context.ResolverOptions(result);
            var cache = options.ToSettings().OpenCache();
            var maintenance = new CacheMaintenance(cache, options.Mutexes);
            var cached = await maintenance.VerifyAsync(result.GetValue(repair), cancellationToken).ConfigureAwait(false);
            var folders = cached.Repaired > 0 ? await SharedModelFolders.RemoveOrphansAsync(cache, options.Mutexes, cancellationToken).ConfigureAwait(false) : 0;
            var (shared, replaced) = await SharedModelFolders.VerifyAsync(cache, maintenance.List(), result.GetValue(repair), options.Mutexes, cancellationToken).ConfigureAwait(false);
            var report = cached with { Problems = [.. cached.Problems, .. shared] };
            folders += replaced;
            if (context.Json(result))
            {
                JsonOutput.Write(context.Console.Out, new CacheVerifyJson(cache.Root, report.Entries, report.Blobs,
                    report.Problems.Select(p => new CacheProblemJson(p.Path, p.Description)).ToList(), report.Repaired + folders), CliJson.Default.CacheVerifyJson);
            }
            else
            {
                foreach (var problem in report.Problems)
                {
                    await context.Console.Out.WriteLineAsync($"{problem.Path}: {problem.Description}").ConfigureAwait(false);
                }
            }

            await context.Console.Error.WriteLineAsync($"Verified {Plural.Of(report.Entries, "version")} and {Plural.Of(report.Blobs, "file")} in '{cache.Root}': " +
                $"{Plural.Of(report.Problems.Count, "problem")}{(result.GetValue(repair) ? $", {Plural.Of(report.Repaired + folders, "file or folder", "files and folders")} removed" : "")}.").ConfigureAwait(false);
            return report.Problems.Count > 0 && !result.GetValue(repair) ? ExitCodes.Cache : ExitCodes.Success;
        });
        return command;
    }

    private static Command Prune(CommandContext context)
    {
        var unusedFor = new Option<string?>("--unused-for") { Description = "Remove versions no restore used for this long: 90m, 12h, 30d, 2w." };
        var maxSize = new Option<string?>("--max-size") { Description = "Then remove the least recently used versions until the cache takes at most this much: 500MB, 20GiB." };
        var command = new Command("prune", "Remove old or least recently used versions, then every file no version needs.") { unusedFor, maxSize };
        context.SetAction(command, async (result, cancellationToken) =>
        {
            var age = result.GetValue(unusedFor) is { } text ? ValueParsers.Duration("--unused-for", text) : (TimeSpan?)null;
            var size = result.GetValue(maxSize) is { } limit ? ValueParsers.Size("--max-size", limit) : (long?)null;
            var options = context.ResolverOptions(result);
            var cache = options.ToSettings().OpenCache();
            var report = await new CacheMaintenance(cache, options.Mutexes).PruneAsync(age, size, DateTimeOffset.UtcNow, cancellationToken).ConfigureAwait(false);
            var folders = await SharedModelFolders.RemoveOrphansAsync(cache, options.Mutexes, cancellationToken).ConfigureAwait(false);
            if (context.Json(result))
            {
                JsonOutput.Write(context.Console.Out, new CachePruneJson(cache.Root, report.EntriesRemoved, report.BlobsRemoved, report.BytesFreed, folders), CliJson.Default.CachePruneJson);
            }

            await context.Console.Error.WriteLineAsync($"Removed {Plural.Of(report.EntriesRemoved, "version")} and {Plural.Of(report.BlobsRemoved, "file")} ({Formats.Size(report.BytesFreed)}) " +
                $"and {Plural.Of(folders, "model folder")} from '{cache.Root}'.").ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }
}
