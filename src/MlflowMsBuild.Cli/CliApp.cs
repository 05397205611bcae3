using System.CommandLine;
using System.CommandLine.Parsing;
using MlflowMsBuild.Cli.Commands;
using MlflowMsBuild.Core.Errors;

namespace MlflowMsBuild.Cli;

/// <summary>The <c>mlflow-models</c> command tree: pull, publish, list, show, cache list|verify|prune, lock update, report.</summary>
internal static class CliApp
{
    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken = default)
    {
        var configuration = new InvocationConfiguration
        {
            Output = console.Out,
            Error = console.Error,
            EnableDefaultExceptionHandler = false,
            // Ctrl+C cancels the command's token; the command then exits with 130. Tests run in-process without it.
            ProcessTerminationTimeout = console.HandlesInterrupts ? TimeSpan.FromSeconds(10) : null,
        };
        var context = new CommandContext(console, new GlobalOptions());
        var result = BuildRootCommand(context).Parse(args);
        if (result.Errors.Count > 0 && context.Json(result))
        {
            // Instead of System.CommandLine's errors and help text: scripts that asked for JSON get a document.
            return context.Fail(result, new MlflowException(MlfError.CommandLineInvalid, string.Join(" ", result.Errors.Select(e => e.Message)), CommandLine(result.CommandResult)));
        }

        return await result.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>How help names a command: <c>mlflow-models cache prune</c> (the root's own name is the executable's).</summary>
    private static string CommandLine(CommandResult command)
    {
        var names = new Stack<string>();
        for (var current = command; current.Parent is CommandResult parent; current = parent)
        {
            names.Push(current.Command.Name);
        }

        return string.Join(' ', names.Prepend("mlflow-models"));
    }

    public static RootCommand BuildRootCommand(CliConsole console) => BuildRootCommand(new CommandContext(console, new GlobalOptions()));

    private static RootCommand BuildRootCommand(CommandContext context)
    {
        var root = new RootCommand(
            "mlflow-models: models of an MLflow model registry (a GitLab project, an MLflow server or the embedded registry) " +
            "for scripts and programs, through the machine-wide cache that MlflowMsBuild's restore uses.");
        context.Globals.AddTo(root);
        root.Add(PullCommand.Create(context));
        root.Add(PublishCommand.Create(context));
        root.Add(ListCommand.Create(context));
        root.Add(ShowCommand.Create(context));
        root.Add(CacheCommands.Create(context));
        root.Add(LockCommands.Create(context));
        root.Add(ReportCommand.Create(context));
        MisplacedOptions.RejectIn(root);
        return root;
    }
}
