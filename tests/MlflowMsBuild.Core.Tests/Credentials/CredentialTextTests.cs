using System.Net.Http.Headers;
using MlflowMsBuild.Core.Credentials;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Tests.TestUtilities;

namespace MlflowMsBuild.Core.Tests.Credentials;

/// <summary>Stray characters in credentials: whitespace around a value is dropped everywhere, a control character inside
/// it is a coded error naming where the value came from, never the value.</summary>
[TestClass]
public sealed class CredentialTextTests
{
    private const string Token = "LEAK-stray-token-0042";

    [TestMethod]
    [DataRow("\n")]
    [DataRow("\r\n")]
    [DataRow(" \t")]
    public void MlflowToken_EndingInALineBreak_IsTrimmed_AndMakesAValidHeader(string tail)
    {
        using var fixture = new CredentialFixture();
        fixture.Variables["MLFLOW_TRACKING_TOKEN"] = " " + Token + tail;

        var auth = fixture.ResolveMlflow().Auth!;
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://mlflow.invalid/");
        auth.ApplyTo(request.Headers);

        Assert.AreEqual(Token, auth.Secret.Reveal());
        Assert.AreEqual(new AuthenticationHeaderValue("Bearer", Token), request.Headers.Authorization);
    }

    [TestMethod]
    public void MlflowBasicCredentials_FromTheEnvironmentAndTheFile_AreTrimmed()
    {
        using var fixture = new CredentialFixture();
        fixture.WriteFile("home/.mlflow/credentials", "[mlflow]\nmlflow_tracking_username = alice  \n");
        fixture.Variables["MLFLOW_TRACKING_PASSWORD"] = "p4ss\r\n";

        var auth = fixture.ResolveMlflow().Auth!;

        Assert.AreEqual("alice", auth.Username);
        Assert.AreEqual("p4ss", auth.Secret.Reveal());
    }

    [TestMethod]
    public void OnlyWhitespace_CountsAsUnset()
    {
        using var fixture = new CredentialFixture();
        fixture.Variables["MLFLOW_TRACKING_TOKEN"] = " \n";
        fixture.Variables["GITLAB_TOKEN"] = "\n";

        Assert.IsNull(fixture.ResolveMlflow().Auth);
        Assert.IsNull(fixture.Resolve("https://gitlab.example.com").Auth);
    }

    [TestMethod]
    [DataRow("MLFLOW_TRACKING_TOKEN", "\n", "U+000A")]
    [DataRow("MLFLOW_TRACKING_TOKEN", "\u0007", "U+0007")]
    [DataRow("MLFLOW_TRACKING_PASSWORD", "\u007f", "U+007F")]
    [DataRow("GITLAB_TOKEN", "\r", "U+000D")]
    [DataRow("GITLAB_PRIVATE_TOKEN", "\u0000", "U+0000")]
    public void ControlCharacterInside_IsRefused_NamingTheVariable_NotTheValue(string variable, string control, string shown)
    {
        using var fixture = new CredentialFixture();
        if (variable == "MLFLOW_TRACKING_PASSWORD")
        {
            fixture.Variables["MLFLOW_TRACKING_USERNAME"] = "alice";
        }

        fixture.Variables[variable] = Token[..5] + control + Token[5..] + "\n";

        var error = MlfAssert.Throws(MlfError.CredentialValueInvalid, () =>
        {
            fixture.ResolveMlflow();
            fixture.Resolve("https://gitlab.example.com");
        });

        Assert.StartsWith(variable + " holds a control character (" + shown + ")", error.Message);
        Assert.DoesNotContain(Token[..5], error.ToString());
        Assert.DoesNotContain(Token[5..], error.ToString());
    }

    [TestMethod]
    public void PythonGitLabToken_WithALineBreakInside_IsRefused_NamingTheKeyAndFile()
    {
        using var fixture = new CredentialFixture();
        // A configparser continuation line makes a value of two lines.
        var file = fixture.WriteUserConfig($"[a]\nurl = https://a.example\nprivate_token = {Token}\n  second-line\n");

        var error = MlfAssert.Throws(MlfError.CredentialValueInvalid, () => fixture.Resolve("https://a.example"));

        Assert.Contains("private_token in [a]", error.Message);
        Assert.Contains(file, error.Message);
        Assert.DoesNotContain(Token, error.ToString());
        Assert.DoesNotContain("second-line", error.ToString());
    }

    [TestMethod]
    public void PythonGitLabToken_WithSurroundingWhitespace_IsTrimmed()
    {
        using var fixture = new CredentialFixture();
        fixture.WriteUserConfig($"[a]\nurl = https://a.example\nprivate_token = {Token}\t\n");

        Assert.AreEqual(Token, fixture.Resolve("https://a.example").Auth!.Token.Reveal());
    }

    [TestMethod]
    [OSCondition(OperatingSystems.Linux | OperatingSystems.OSX)]
    public void HelperOutput_WithAControlCharacterInside_IsRefused_NamingTheHelper()
    {
        using var fixture = new CredentialFixture();
        var script = fixture.WriteScript("token.sh", "printf 'LEAK-a\\033b\\n'");
        fixture.WriteUserConfig($"[a]\nurl = https://a.example\nprivate_token = helper: {script}\n");

        var error = MlfAssert.Throws(MlfError.CredentialValueInvalid, () => fixture.Resolve("https://a.example"));

        Assert.Contains("the output of the helper of private_token in [a]", error.Message);
        Assert.Contains("U+001B", error.Message);
        Assert.DoesNotContain("LEAK", error.ToString());
    }
}
