using MlflowMsBuild.Cli;

return await CliApp.RunAsync(args, CliConsole.FromProcess());
