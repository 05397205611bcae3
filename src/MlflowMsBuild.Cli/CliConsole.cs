using MlflowMsBuild.Core.Credentials;
using MlflowMsBuild.Core.Credentials.Python;

namespace MlflowMsBuild.Cli;

/// <summary>What a command reads and writes outside its arguments, so tests can run the tool in-process.</summary>
/// <param name="Out">Results only: what a script captures with <c>$(...)</c> or parses with <c>--json</c>.</param>
/// <param name="Error">Messages, progress and errors.</param>
/// <param name="IsErrorTerminal">Whether <paramref name="Error"/> is a terminal: progress is shown only then.</param>
/// <param name="Environment">Environment variables, the home folder and the working folder.</param>
internal sealed record CliConsole(TextWriter Out, TextWriter Error, bool IsErrorTerminal, CredentialEnvironment Environment)
{
    /// <summary>Whether Ctrl+C is caught to cancel the command (only for the real process).</summary>
    public bool HandlesInterrupts { get; init; }

    public static CliConsole FromProcess() =>
        new(Console.Out, Console.Error, !Console.IsErrorRedirected, CredentialEnvironment.FromProcess()) { HandlesInterrupts = true };
}
