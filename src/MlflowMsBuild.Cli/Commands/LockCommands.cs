using System.CommandLine;
using MlflowMsBuild.Cli.Output;
using MlflowMsBuild.Core.Cache;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Restore;

namespace MlflowMsBuild.Cli.Commands;

/// <summary><c>lock update</c>: resolves a project's floating references again, as <c>dotnet build -p:MlflowUpdateLockFile=true</c> does.</summary>
internal static class LockCommands
{
    public static Command Create(CommandContext context) =>
        new("lock", "Work with a project's models.lock.json.") { Update(context) };

    private static Command Update(CommandContext context)
    {
        var lockFile = new Option<string>("--lock-file", "-l")
        {
            Description = "The lock file (MlflowLockFile). Default: models.lock.json in the current folder.",
            DefaultValueFactory = _ => ModelsLockFile.DefaultFileName,
        };
        var command = new Command("update",
            "Resolve every floating entry (@alias, latest) of a lock file again, fill the cache, and rewrite the file. " +
            "Give the project's registry with --registry: the lock file does not record it.") { lockFile };
        context.SetAction(command, async (result, cancellationToken) =>
        {
            var options = context.ResolverOptions(result);
            var settings = options.ToSettings();
            var path = settings.FullPath(result.GetValue(lockFile)!);
            var before = ModelsLockFile.Read(path) ?? throw new MlflowException(MlfError.LockFileMissing, path);
            var staging = Directory.CreateTempSubdirectory("mlflow-models-lock-").FullName;
            try
            {
                using var registry = settings.OpenRegistry();
                var progress = context.Progress();
                var restoreOptions = settings.ToRestoreOptions() with
                {
                    UpdateLockFile = true,
                    Log = progress is null ? null : progress.Report,
                    Warn = options.Warn,
                    Mutexes = options.Mutexes,
                };
                var requests = before.Models.Select((m, i) => new ModelRequest(ModelReference.Create(m.Name, m.Requested), Path.Combine(staging, i.ToString(System.Globalization.CultureInfo.InvariantCulture)))).ToList();
                await new ModelRestorer(registry, settings.OpenCache(), restoreOptions).RestoreAllAsync(requests, path, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                DeleteReadOnlyTree(staging);
            }

            var after = ModelsLockFile.Read(path)!;
            var entries = after.Models.Select(m => new LockEntryJson(m.Name, m.Requested, before.Find(m.Name, m.Requested)?.Resolved, m.Resolved)).ToList();
            if (context.Json(result))
            {
                JsonOutput.Write(context.Console.Out, new LockUpdateJson(path, entries), CliJson.Default.LockUpdateJson);
            }
            else
            {
                foreach (var entry in entries)
                {
                    var change = entry.Previous == entry.Resolved ? $"{entry.Resolved} (unchanged)" : $"{entry.Previous ?? "-"} -> {entry.Resolved}";
                    await context.Console.Out.WriteLineAsync($"{entry.Name} {entry.Requested}: {change}").ConfigureAwait(false);
                }
            }

            await context.Console.Error.WriteLineAsync($"Updated '{path}': {entries.Count(e => e.Previous != e.Resolved)} of {Plural.Of(entries.Count, "entry", "entries")} changed.").ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The staged files are read-only hard links into the cache: Windows refuses to delete them until that is cleared.</summary>
    private static void DeleteReadOnlyTree(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
            {
                File.SetAttributes(file, FileAttributes.Normal);
            }
        }

        Directory.Delete(directory, recursive: true);
    }
}
