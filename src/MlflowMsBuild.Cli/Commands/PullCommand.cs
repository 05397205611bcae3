using System.CommandLine;
using MlflowMsBuild.Cli.Output;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Resolution;
using MlflowMsBuild.Core.Restore;

namespace MlflowMsBuild.Cli.Commands;

/// <summary><c>pull &lt;model&gt;</c>: the local folder of a model, downloaded through the cache when needed. Standard output holds only the folder.</summary>
internal static class PullCommand
{
    public static Command Create(CommandContext context)
    {
        var model = new Argument<string>("model")
        {
            Description = "models:/NAME/VERSION or models:/NAME@ALIAS (optionally with ?registry=...), or the path of a model folder.",
        };
        var output = new Option<string?>("--output", "-o")
        {
            Description = "Place the files in this folder, replacing what it holds. Default: the cache's shared folder of the version. " +
                "For a models:/ URI only: a model folder is read where it is (MLF7095).",
        };
        var refresh = new Option<bool>("--refresh")
        {
            Description = "Ask the registry whether the cached version was replaced on the server (deleted and registered again under the same number).",
        };
        var acceptReplaced = new Option<bool>("--accept-replaced")
        {
            Description = "With --refresh: accept a version replaced on the server and download its new files.",
        };
        var command = new Command("pull", "Resolve a model to a local folder through the machine-wide cache and print the folder.") { model, output, refresh, acceptReplaced };
        context.SetAction(command, async (result, cancellationToken) =>
        {
            var options = context.ResolverOptions(result) with
            {
                Destination = result.GetValue(output),
                Refresh = result.GetValue(refresh),
                AcceptReplaced = result.GetValue(acceptReplaced),
            };
            var resolved = await new ModelResolver(options).ResolveAsync(result.GetValue(model)!, context.Progress(), cancellationToken).ConfigureAwait(false);
            if (resolved.Uri is null)
            {
                // A folder given by its path: described as a version's files are, read and hashed now.
                resolved = resolved with { Files = await ModelFolderFiles.ListAsync(resolved.Directory, cancellationToken).ConfigureAwait(false) };
            }

            if (context.Json(result))
            {
                JsonOutput.Write(context.Console.Out, new PullJson(resolved.Directory, resolved.Uri?.ToString(), resolved.Uri?.Name, resolved.Version,
                    resolved.Registry is { } registry ? RegistryJson.From(registry) : null, resolved.FromCache, resolved.Files.Select(f => new FileJson(f.Path, f.Size, f.Sha256)).ToList()), CliJson.Default.PullJson);
            }
            else
            {
                await context.Console.Out.WriteLineAsync(resolved.Directory).ConfigureAwait(false);
            }

            if (resolved.Uri is { } uri)
            {
                await context.Console.Error.WriteLineAsync(
                    $"Model '{uri.Name}' version {resolved.Version} ({Plural.Of(resolved.Files.Count, "file")}, {Formats.Size(resolved.Files.Sum(f => f.Size))}) " +
                    $"{(resolved.FromCache ? "from the cache" : "downloaded")}, {resolved.Registry!.DisplayName}.").ConfigureAwait(false);
            }
            else
            {
                await context.Console.Error.WriteLineAsync(
                    $"Model folder ({Plural.Of(resolved.Files.Count, "file")}, {Formats.Size(resolved.Files.Sum(f => f.Size))}), read where it is.").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
