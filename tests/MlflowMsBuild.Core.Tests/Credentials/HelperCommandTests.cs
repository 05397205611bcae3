using MlflowMsBuild.Core.Credentials;
using MlflowMsBuild.Core.Credentials.Python;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Tests.TestUtilities;

namespace MlflowMsBuild.Core.Tests.Credentials;

/// <summary><c>helper:</c> values run real /bin/sh scripts written to a temp folder.</summary>
[TestClass]
[OSCondition(OperatingSystems.Linux | OperatingSystems.OSX)]
public sealed class HelperCommandTests
{
    [TestMethod]
    public void Helper_OutputIsTheToken_Stripped()
    {
        using var fixture = new CredentialFixture();
        var script = fixture.WriteScript("token.sh", "printf '  glpat-from-helper \\n\\n'");
        fixture.WriteUserConfig($"[a]\nurl = https://a.example\nprivate_token = helper: {script}\n");

        Assert.AreEqual("glpat-from-helper", Token(fixture, GitLabTokenKind.Private));
    }

    [TestMethod]
    public void Helper_ExpandsVariablesAndTilde_InProgramAndArguments()
    {
        using var fixture = new CredentialFixture();
        fixture.WriteScript("args.sh", "echo \"tok:$1:$2:$3\"");
        fixture.Variables["SCRIPTS"] = Path.Combine(fixture.Root, "scripts");
        fixture.Variables["WHO"] = "alice";
        fixture.WriteUserConfig("[a]\nurl = https://a.example\noauth_token = HELPER: ${SCRIPTS}/args.sh ~/x $WHO '$UNSET lit'\n");

        Assert.AreEqual($"tok:{fixture.Home}/x:alice:$UNSET lit", Token(fixture, GitLabTokenKind.OAuth));
    }

    [TestMethod]
    public void Helper_ProgramUnderHome_WithTilde()
    {
        using var fixture = new CredentialFixture();
        var bin = Path.Combine(fixture.Home, "bin");
        Directory.CreateDirectory(bin);
        var script = fixture.WriteScript("home-token.sh", "echo home-token");
        File.Move(script, Path.Combine(bin, "home-token.sh"));
        fixture.WriteUserConfig("[a]\nurl = https://a.example\njob_token = helper: ~/bin/home-token.sh\n");

        Assert.AreEqual("home-token", Token(fixture, GitLabTokenKind.Job));
    }

    [TestMethod]
    public void Helper_RunsWithoutAShell()
    {
        using var fixture = new CredentialFixture();
        var script = fixture.WriteScript("echo-arg.sh", "printf '%s' \"tok-$1\"");
        var marker = Path.Combine(fixture.Root, "marker");
        fixture.WriteUserConfig($"[a]\nurl = https://a.example\nprivate_token = helper: {script} a;touch {marker}\n");

        Assert.AreEqual($"tok-a;touch", Token(fixture, GitLabTokenKind.Private));
        Assert.IsFalse(File.Exists(marker), "a shell ran the text after ';'");
    }

    [TestMethod]
    public void Helper_FoundThroughPath()
    {
        using var fixture = new CredentialFixture();
        fixture.WriteScript("path-token", "echo from-path");
        fixture.Variables["PATH"] = "/nonexistent:" + Path.Combine(fixture.Root, "scripts");
        fixture.WriteUserConfig("[a]\nurl = https://a.example\nprivate_token = helper: path-token\n");

        Assert.AreEqual("from-path", Token(fixture, GitLabTokenKind.Private));
    }

    [TestMethod]
    public void Helper_ForHttpPassword()
    {
        using var fixture = new CredentialFixture();
        var script = fixture.WriteScript("pw.sh", "echo pw-from-helper");
        fixture.WriteUserConfig($"[a]\nurl = https://a.example\nhttp_username = me\nhttp_password = helper: {script}\n");

        Assert.AreEqual("pw-from-helper", fixture.LoadConfig().GetSection("a")!.GetHttpPassword()!.Reveal());
    }

    [TestMethod]
    public void Helper_NonZeroExit_IsAnError_WithItsErrorOutput_ButNotItsOutput()
    {
        using var fixture = new CredentialFixture();
        var script = fixture.WriteScript("fail.sh", "echo glpat-LEAKED-ON-STDOUT; echo 'vault: entry gitlab not found' >&2; echo 'echo glpat-LEAKED-ON-STDOUT' >&2; exit 3");
        fixture.WriteUserConfig($"[a]\nurl = https://a.example\nprivate_token = helper: {script}\n");

        var exception = MlfAssert.Throws(MlfError.GitLabHelperFailed, () => Token(fixture, GitLabTokenKind.Private));

        Assert.Contains("private_token in section [a]", exception.Message);
        Assert.Contains(fixture.UserConfigPath + " line 3", exception.Message);
        Assert.Contains("exited with code 3", exception.Message);
        Assert.Contains("vault: entry gitlab not found", exception.Message);
        Assert.DoesNotContain("glpat-LEAKED-ON-STDOUT", exception.Message);
    }

    [TestMethod]
    public void Helper_ProgramNotFound_IsAnError()
    {
        using var fixture = new CredentialFixture();
        fixture.WriteUserConfig("[a]\nurl = https://a.example\nprivate_token = helper: $HOME_BIN/no-such-helper --flag\n");
        fixture.Variables["HOME_BIN"] = "/nonexistent";

        var exception = MlfAssert.Throws(MlfError.GitLabHelperFailed, () => Token(fixture, GitLabTokenKind.Private));
        Assert.Contains("'$HOME_BIN/no-such-helper' was not found", exception.Message);
    }

    [TestMethod]
    public void Helper_NotInPath_IsAnError()
    {
        using var fixture = new CredentialFixture();
        fixture.Variables["PATH"] = "/nonexistent";
        fixture.WriteUserConfig("[a]\nurl = https://a.example\nprivate_token = helper: no-such-helper-xyz\n");

        var exception = MlfAssert.Throws(MlfError.GitLabHelperFailed, () => Token(fixture, GitLabTokenKind.Private));
        Assert.Contains("was not found in PATH", exception.Message);
    }

    [TestMethod]
    public void Helper_NotExecutable_IsAnError()
    {
        using var fixture = new CredentialFixture();
        var script = fixture.WriteFile("plain.sh", "#!/bin/sh\necho x\n");
        fixture.WriteUserConfig($"[a]\nurl = https://a.example\nprivate_token = helper: {script}\n");

        var exception = MlfAssert.Throws(MlfError.GitLabHelperFailed, () => Token(fixture, GitLabTokenKind.Private));
        Assert.Contains("permission denied", exception.Message);
    }

    [TestMethod]
    [DataRow("helper:", "no command")]
    [DataRow("helper:   ", "no command")]
    [DataRow("helper: 'unclosed", "No closing quotation")]
    public void Helper_BadCommand_IsAnError(string value, string reason)
    {
        using var fixture = new CredentialFixture();
        fixture.WriteUserConfig($"[a]\nurl = https://a.example\nprivate_token = {value}\n");

        var exception = MlfAssert.Throws(MlfError.GitLabHelperFailed, () => Token(fixture, GitLabTokenKind.Private));
        Assert.Contains(reason, exception.Message);
    }

    [TestMethod]
    public void Helper_PrintingNothing_IsAnError()
    {
        using var fixture = new CredentialFixture();
        var script = fixture.WriteScript("silent.sh", "printf '  \\n'");
        fixture.WriteUserConfig($"[a]\nurl = https://a.example\nprivate_token = helper: {script}\n");

        var exception = MlfAssert.Throws(MlfError.GitLabHelperFailed, () => Token(fixture, GitLabTokenKind.Private));
        Assert.Contains("printed nothing", exception.Message);
    }

    [TestMethod]
    public void Helper_TooSlow_IsStopped()
    {
        using var fixture = new CredentialFixture { HelperTimeout = TimeSpan.FromMilliseconds(300) };
        var script = fixture.WriteScript("slow.sh", "sleep 20; echo late");
        fixture.WriteUserConfig($"[a]\nurl = https://a.example\nprivate_token = helper: {script}\n");

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var exception = MlfAssert.Throws(MlfError.GitLabHelperFailed, () => Token(fixture, GitLabTokenKind.Private));

        Assert.Contains("did not finish within 0.3 seconds", exception.Message);
        Assert.IsLessThan(TimeSpan.FromSeconds(15), watch.Elapsed);
    }

    [TestMethod]
    public void Helper_RunsOnlyForTheTokenUsed()
    {
        using var fixture = new CredentialFixture();
        var marker = Path.Combine(fixture.Root, "ran");
        var script = fixture.WriteScript("marker.sh", $"touch '{marker}'; echo tok");
        fixture.WriteUserConfig($"[global]\ndefault = a\n[a]\nurl = https://a.example\nprivate_token = literal-token\noauth_token = helper: {script}\n");

        var connection = fixture.Resolve();
        Assert.AreEqual("literal-token", connection.Auth!.Token.Reveal());
        Assert.IsFalse(File.Exists(marker));

        fixture.Variables["GITLAB_TOKEN"] = "env-token";
        fixture.WriteUserConfig($"[global]\ndefault = a\n[a]\nurl = https://a.example\nprivate_token = helper: {script}\n");
        Assert.AreEqual("env-token", fixture.Resolve().Auth!.Token.Reveal());
        Assert.IsFalse(File.Exists(marker));
    }

    [TestMethod]
    public void Helper_ThroughResolve_GivesTheConnectionToken()
    {
        using var fixture = new CredentialFixture();
        var script = fixture.WriteScript("token.sh", "echo glpat-resolved");
        fixture.WriteUserConfig($"[global]\ndefault = a\n[a]\nurl = https://a.example\nprivate_token = helper: {script}\n");

        var auth = fixture.Resolve().Auth!;

        Assert.AreEqual(GitLabTokenKind.Private, auth.Kind);
        Assert.AreEqual("glpat-resolved", auth.Token.Reveal());
    }

    private static string Token(CredentialFixture fixture, GitLabTokenKind kind) =>
        fixture.LoadConfig().GetSection("a")!.GetToken(kind)!.Reveal();
}
