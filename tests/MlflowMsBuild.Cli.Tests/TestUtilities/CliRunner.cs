using MlflowMsBuild.Core.Credentials;
using MlflowMsBuild.Core.Credentials.Python;
using MlflowMsBuild.Core.Tests.TestUtilities;

namespace MlflowMsBuild.Cli.Tests.TestUtilities;

/// <param name="Out">Standard output: what a script captures.</param>
/// <param name="Error">Standard error: messages and progress.</param>
internal sealed record CliResult(int ExitCode, string Out, string Error)
{
    public override string ToString() => $"exit code {ExitCode}\n--- stdout\n{Out}--- stderr\n{Error}";
}

/// <summary>Runs mlflow-models in-process with a home of its own, captured output and only the given variables.</summary>
internal sealed class CliRunner(string home, Dictionary<string, string>? variables = null, string? workingDirectory = null)
{
    public Dictionary<string, string> Variables { get; } = variables ?? new Dictionary<string, string>();

    /// <summary>Whether standard error counts as a terminal (progress is written only then).</summary>
    public bool ErrorIsTerminal { get; init; }

    public static CliRunner For(RemoteFixture fixture) => new(fixture.Home.Path, fixture.Variables, fixture.Repo.Root);

    /// <summary>Publishes the fixture's model to its embedded registry and pulls it; returns the runner and the cache manifest of version 1.</summary>
    public static async Task<(CliRunner Cli, string Manifest)> PulledAsync(PublishFixture fixture)
    {
        await fixture.PublishAsync();
        var cli = new CliRunner(fixture.Home.Path, workingDirectory: fixture.Repo.Root);
        var pulled = await cli.RunAsync("pull", "models:/test-model/1");
        Assert.AreEqual(0, pulled.ExitCode, pulled.ToString());
        return (cli, Directory.GetFiles(Path.Combine(fixture.Home.Path, "cache", "manifests"), "*.json", SearchOption.AllDirectories).Single());
    }

    public async Task<CliResult> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var environment = new CredentialEnvironment(name => Variables.TryGetValue(name, out var value) ? value : null, home, workingDirectory)
        {
            SystemConfigPath = Path.Combine(home, "no-etc-python-gitlab.cfg"),
        };
        var console = new CliConsole(output, error, ErrorIsTerminal, environment);
        var exitCode = await CliApp.RunAsync(["--home", home, .. args], console);
        return new CliResult(exitCode, output.ToString(), error.ToString());
    }
}
