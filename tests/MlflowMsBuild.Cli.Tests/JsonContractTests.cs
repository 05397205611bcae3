using System.CommandLine;
using System.Text.Json;
using System.Text.RegularExpressions;
using MlflowMsBuild.Cli.Output;
using MlflowMsBuild.Cli.Tests.TestUtilities;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Tests.TestUtilities;

namespace MlflowMsBuild.Cli.Tests;

/// <summary>What scripts rely on (README, "The command-line tool"): one JSON document on standard output, the documented exit codes.</summary>
[TestClass]
public sealed partial class JsonContractTests
{
    [GeneratedRegex(@"--[a-z][a-z-]*")]
    private static partial Regex OptionName();

    [TestMethod]
    [DataRow("--json", "bogus")]
    [DataRow("--json")]
    [DataRow("pull", "--json")]
    [DataRow("pull", "models:/test-x/1", "--json", "--no-such-option")]
    [DataRow("--json", "cache", "prune", "--max-size")]
    [DataRow("cache", "verify", "--json", "--repair", "yes")]
    [DataRow("pull", "--json", "--bogus-opt")]
    [DataRow("pull", "--bogus-opt", "x", "--json")]
    [DataRow("pull", "--bogus-opt", "--json", "x")]
    [DataRow("show", "--json", "--bogus-opt")]
    [DataRow("show", "--bogus-opt", "models:/test-x/1", "--json")]
    [DataRow("list", "--json", "--bogus-opt")]
    [DataRow("list", "--bogus-opt", "test-x", "--json")]
    [DataRow("report", "models:/test-x/1", "--bogus-opt", "-o", "page", "--json")]
    [DataRow("list", "test-x", "--metric", "--json")]
    [DataRow("pull", "models:/test-x/1", "-o", "--json")]
    public async Task UsageErrors_WithJson_AreAnErrorDocument_WithTheUsageExitCode(params string[] args)
    {
        using var home = new TempDirectory();

        var result = await new CliRunner(home.Path).RunAsync(args);

        Assert.AreEqual(ExitCodes.Usage, result.ExitCode, result.ToString());
        using var json = JsonDocument.Parse(result.Out);
        var error = json.RootElement.GetProperty("error");
        Assert.AreEqual("MLF7060", error.GetProperty("code").GetString());
        Assert.AreEqual(ExitCodes.Usage, error.GetProperty("exit_code").GetInt32());
        StringAssert.StartsWith(error.GetProperty("message").GetString(), "The command line is not valid: ");
        StringAssert.StartsWith(result.Error, "error MLF7060: ");
        Assert.DoesNotContain("Usage:", result.Out);
    }

    [TestMethod]
    [DataRow("pull", "--bogus-opt")]
    [DataRow("show", "--bogus-opt")]
    [DataRow("list", "--bogus-opt")]
    [DataRow("report", "--bogus-opt", "-o", "page")]
    public async Task UnknownOption_WhereAModelArgumentFits_IsNamedAsAnOption(params string[] args)
    {
        using var home = new TempDirectory();
        var cli = new CliRunner(home.Path, workingDirectory: home.Path);

        var text = await cli.RunAsync(args);
        var json = await cli.RunAsync([.. args, "--json"]);

        Assert.AreEqual(ExitCodes.Usage, text.ExitCode, text.ToString());
        StringAssert.Contains(text.Out, "Usage:");
        StringAssert.Contains(text.Error, "Unrecognized option '--bogus-opt'.");
        Assert.AreEqual(ExitCodes.Usage, json.ExitCode, json.ToString());
        using var document = JsonDocument.Parse(json.Out);
        StringAssert.Contains(document.RootElement.GetProperty("error").GetProperty("message").GetString(), "Unrecognized option '--bogus-opt'.");
        Assert.IsFalse(Directory.Exists(home.Combine("--bogus-opt")));
    }

    [TestMethod]
    public async Task OptionName_GivenAsAnOptionsValue_IsAUsageError()
    {
        using var home = new TempDirectory();

        var result = await new CliRunner(home.Path).RunAsync("list", "test-x", "--metric", "--json");

        Assert.AreEqual(ExitCodes.Usage, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Error, "Option '--metric' needs a value before '--json'.");
    }

    [TestMethod]
    public async Task ModelFolder_StartingWithADash_IsGivenAsARelativePath()
    {
        using var home = new TempDirectory();
        Directory.CreateDirectory(home.Combine("-model"));

        var result = await new CliRunner(home.Path, workingDirectory: home.Path).RunAsync("pull", "./-model", "--json");

        Assert.AreEqual(0, result.ExitCode, result.ToString());
    }

    [TestMethod]
    public async Task UsageError_NamesTheCommandsHelp_WithoutEscapingQuotes()
    {
        using var home = new TempDirectory();

        var result = await new CliRunner(home.Path).RunAsync("cache", "prune", "--json", "--max-size");

        StringAssert.Contains(result.Out, "Run 'mlflow-models cache prune --help'");
        Assert.DoesNotContain(@"\u0027", result.Out);
    }

    [TestMethod]
    public async Task UsageErrors_WithoutJson_StayHelpTextAndErrors()
    {
        using var home = new TempDirectory();

        var result = await new CliRunner(home.Path).RunAsync("pull");

        Assert.AreEqual(ExitCodes.Usage, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Out, "Usage:");
        StringAssert.Contains(result.Error, "Required argument 'model' missing");
    }

    [TestMethod]
    public void JsonOutput_EscapesOnlyWhatJsonRequires()
    {
        const string Message = "'a' + `b` <c> & é \"d\" \\ \n";
        using var writer = new StringWriter();

        JsonOutput.Write(writer, new ErrorJson(new ErrorDetailJson("MLF0000", 1, Message, [])), CliJson.Default.ErrorJson);

        StringAssert.Contains(writer.ToString(), "'a' + `b` <c> & é \\\"d\\\" \\\\ \\n");
        using var json = JsonDocument.Parse(writer.ToString());
        Assert.AreEqual(Message, json.RootElement.GetProperty("error").GetProperty("message").GetString());
    }

    [TestMethod]
    public void EveryOptionTheMessagesName_ExistsInTheCommandTree()
    {
        using var home = new TempDirectory();
        var root = CliApp.BuildRootCommand(new CliConsole(TextWriter.Null, TextWriter.Null, false, new Core.Credentials.CredentialEnvironment(_ => null, home.Path, home.Path)));
        var options = Commands(root).SelectMany(c => c.Options).SelectMany(o => o.Aliases.Append(o.Name)).ToHashSet();

        var named = Enum.GetValues<MessageSetting>().SelectMany(s => OptionName().Matches(CliTerms.Instance[s]).Select(m => (Setting: s, Option: m.Value))).ToList();

        Assert.IsGreaterThanOrEqualTo(10, named.Count);
        foreach (var (setting, option) in named)
        {
            Assert.Contains(option, options, $"{setting}: {option}");
        }
    }

    [TestMethod]
    public void CliMessages_NameNoMSBuildProperty_WhereTheMSBuildFormDoes()
    {
        foreach (var error in Enum.GetValues<MlfError>())
        {
            var msbuild = MlflowException.Format(error, MessageTerms.MSBuild, "a0", "a1", "a2", "a3", "a4", "a5");
            var cli = MlflowException.Format(error, CliTerms.Instance, "a0", "a1", "a2", "a3", "a4", "a5");
            foreach (var setting in Enum.GetValues<MessageSetting>().Where(s => msbuild.Contains(MessageTerms.MSBuild[s], StringComparison.Ordinal) && msbuild != cli))
            {
                Assert.DoesNotContain(MessageTerms.MSBuild[setting], cli, $"{error}: {cli}");
            }
        }
    }

    private static IEnumerable<Command> Commands(Command command) => command.Subcommands.SelectMany(Commands).Prepend(command);
}
