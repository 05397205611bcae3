using System.CommandLine;
using MlflowMsBuild.Cli.Commands;

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
        return await BuildRootCommand(console).Parse(args).InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
    }

    public static RootCommand BuildRootCommand(CliConsole console)
    {
        var context = new CommandContext(console, new GlobalOptions());
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
        return root;
    }
}
