using System.CommandLine;
using MlflowMsBuild.Cli.Output;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Resolution;
using MlflowMsBuild.Core.Settings;

namespace MlflowMsBuild.Cli;

/// <summary>What every command shares: the console, the global options, and the one place where failures become exit codes.</summary>
internal sealed class CommandContext(CliConsole console, GlobalOptions globals)
{
    public CliConsole Console { get; } = console;

    public GlobalOptions Globals { get; } = globals;

    public ModelResolverOptions ResolverOptions(ParseResult result) => new()
    {
        Registry = result.GetValue(Globals.Registry),
        Home = result.GetValue(Globals.Home),
        CacheDirectory = result.GetValue(Globals.CacheDirectory),
        Offline = result.GetValue(Globals.Offline) ? true : null,
        Environment = Console.Environment,
        ProgressInterval = TimeSpan.FromSeconds(1),
        // Always, not with the progress lines only (those are written to a terminal only): a log must keep them.
        Warn = warning => Console.Error.WriteLine($"warning {warning.Code}: {warning.Message}"),
    };

    /// <summary>The settings the global options give, decided once; relative paths against the working folder.</summary>
    public MlflowSettings Settings(ParseResult result) => ResolverOptions(result).ToSettings();

    /// <summary>
    /// Whether <c>--json</c> was given, also when the rest of the command line did not parse: then also when an option
    /// took it as its value (<c>list X --metric --json</c>), so a script that asked for JSON gets its error document.
    /// </summary>
    public bool Json(ParseResult result) =>
        result.GetValue(Globals.Json) || (result.Errors.Count > 0 && result.Tokens.Any(t => t.Value == Globals.Json.Name));

    /// <summary>Progress lines on standard error when it is a terminal; none when it is redirected (logs, pipes).</summary>
    public IProgress<string>? Progress() => Console.IsErrorTerminal ? new LineProgress(Console.Error) : null;

    /// <summary>Runs <paramref name="action"/> as the command, mapping coded failures to exit codes and messages on standard error.</summary>
    public void SetAction(Command command, Func<ParseResult, CancellationToken, Task<int>> action) =>
        command.SetAction(async (result, cancellationToken) =>
        {
            try
            {
                return await action(result, cancellationToken).ConfigureAwait(false);
            }
            catch (MlflowException e)
            {
                return Fail(result, e);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await Console.Error.WriteLineAsync("Canceled.").ConfigureAwait(false);
                return ExitCodes.Canceled;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return Fail(result, new MlflowException(MlfError.FileOperationFailed, e, e.Message));
            }
#pragma warning disable CA1031 // The tool's last line of defence: a bug must still end with its own exit code, not a usage error.
            catch (Exception e)
#pragma warning restore CA1031
            {
                await Console.Error.WriteLineAsync($"internal error: {e}").ConfigureAwait(false);
                var error = new MlflowException(MlfError.InternalError, e, CommandLine(result), e.GetType().FullName, e.Message.TrimEnd('.'));
                await Console.Error.WriteLineAsync($"error {error.Code}: {error.MessageFor(CliTerms.Instance)}").ConfigureAwait(false);
                WriteJsonError(result, error, ExitCodes.Internal);
                return ExitCodes.Internal;
            }
        });

    /// <summary>The command as a user types it, subcommands included: <c>mlflow-models cache list</c>.</summary>
    internal static string CommandLine(ParseResult result)
    {
        var names = new List<string>();
        for (var command = result.CommandResult; command.Parent is System.CommandLine.Parsing.CommandResult parent; command = parent)
        {
            names.Insert(0, command.Command.Name);
        }

        return string.Join(' ', names.Prepend("mlflow-models"));
    }

    /// <summary>The error on standard error, and with <c>--json</c> as an error document on standard output; returns the exit code.</summary>
    public int Fail(ParseResult result, MlflowException e)
    {
        var exitCode = ExitCodes.For(e.Error);
        var message = e.MessageFor(CliTerms.Instance);
        Console.Error.WriteLine($"error {e.Code}: {message}");
        foreach (var other in e.AlsoFailed)
        {
            Console.Error.WriteLine($"error {other.Code}: {other.MessageFor(CliTerms.Instance)}");
        }

        WriteJsonError(result, e, exitCode);
        return exitCode;
    }

    private void WriteJsonError(ParseResult result, MlflowException e, int exitCode)
    {
        if (Json(result))
        {
            var others = e.AlsoFailed.Select(o => new FailureJson(o.Code, o.MessageFor(CliTerms.Instance))).ToList();
            JsonOutput.Write(Console.Out, new ErrorJson(new ErrorDetailJson(e.Code, exitCode, e.MessageFor(CliTerms.Instance), others)), CliJson.Default.ErrorJson);
        }
    }

    private sealed class LineProgress(TextWriter writer) : IProgress<string>
    {
        public void Report(string value)
        {
            lock (writer)
            {
                writer.WriteLine(value);
            }
        }
    }
}
