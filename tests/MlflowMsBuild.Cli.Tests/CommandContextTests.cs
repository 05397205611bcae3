using MlflowMsBuild.Core.Credentials;

namespace MlflowMsBuild.Cli.Tests;

[TestClass]
public sealed class CommandContextTests
{
    [TestMethod]
    [DataRow("mlflow-models cache list", "cache", "list", "--json")]
    [DataRow("mlflow-models pull", "pull", "models:/test-x/1")]
    [DataRow("mlflow-models lock update", "--offline", "lock", "update")]
    public void CommandLine_NamesTheSubcommandAsTheUserTypesIt(string expected, params string[] args)
    {
        // An internal error (MLF9999) names the command that failed: "cache list", not "list" (new-user trial, issue 10).
        var console = new CliConsole(TextWriter.Null, TextWriter.Null, false, new CredentialEnvironment(_ => null, Path.GetTempPath(), null));

        var result = CliApp.BuildRootCommand(console).Parse(args);

        Assert.AreEqual(expected, CommandContext.CommandLine(result));
    }
}
