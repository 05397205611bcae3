using MlflowMsBuild.Core.Credentials;
using MlflowMsBuild.Core.Credentials.Python;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Tests.TestUtilities;

namespace MlflowMsBuild.Core.Tests.Credentials;

/// <summary>No token, password or helper output may appear in a ToString or an exception message.</summary>
[TestClass]
public sealed class NoSecretLeakTests
{
    private const string PrivateToken = "glpat-LEAK-private-0001";
    private const string OAuthToken = "LEAK-oauth-0002";
    private const string JobToken = "LEAK-job-0003";
    private const string HttpPassword = "LEAK-http-password-0004";
    private const string EnvToken = "glpat-LEAK-env-0005";
    private const string MlflowToken = "LEAK-mlflow-token-0006";
    private const string MlflowPassword = "LEAK-mlflow-password-0007";

    private static readonly string[] All =
        [PrivateToken, OAuthToken, JobToken, HttpPassword, EnvToken, MlflowToken, MlflowPassword, "LEAK"];

    [TestMethod]
    public void ToString_OfEveryType_ShowsNoSecret()
    {
        using var fixture = new CredentialFixture();
        fixture.WriteUserConfig(
            $"[global]\ndefault = a\n[a]\nurl = https://a.example\nprivate_token = {PrivateToken}\noauth_token = {OAuthToken}\n" +
            $"job_token = {JobToken}\nhttp_username = me\nhttp_password = {HttpPassword}\n");
        var config = fixture.LoadConfig();
        var section = config.GetSection("a")!;
        var connection = fixture.Resolve();
        fixture.Variables["GITLAB_OAUTH_TOKEN"] = EnvToken;
        var oauthConnection = fixture.Resolve();
        fixture.Variables["MLFLOW_TRACKING_TOKEN"] = MlflowToken;
        var bearer = fixture.ResolveMlflow();
        fixture.Variables["MLFLOW_TRACKING_USERNAME"] = "user";
        fixture.Variables["MLFLOW_TRACKING_PASSWORD"] = MlflowPassword;
        var basic = fixture.ResolveMlflow();

        Assert.AreEqual(PrivateToken, connection.Auth!.Token.Reveal(), "the test must hold real secrets");
        Assert.AreEqual(MlflowPassword, basic.Auth!.Secret.Reveal());

        object[] objects =
        [
            config, section, section.Settings, section.GetToken(GitLabTokenKind.OAuth)!, section.GetHttpPassword()!,
            connection, connection.Auth, oauthConnection, oauthConnection.Auth!, oauthConnection.Auth!.HeaderValue(),
            bearer, bearer.Auth!, basic, basic.Auth!, basic.Auth!.AuthorizationValue(), fixture.Environment,
        ];
        foreach (var value in objects)
        {
            AssertNoSecret(value.ToString()!);
            AssertNoSecret($"{value}");
        }
    }

    [TestMethod]
    public void ParseError_OnALineHoldingAToken_DoesNotQuoteIt()
    {
        using var fixture = new CredentialFixture();
        fixture.WriteUserConfig($"[a]\nurl = https://a.example\nprivate_token {PrivateToken}\n");

        AssertNoSecret(MlfAssert.Throws(MlfError.ConfigFileInvalid, () => fixture.LoadConfig()).Message);
    }

    [TestMethod]
    public void ParseError_BeforeAnySection_DoesNotQuoteTheLine()
    {
        AssertNoSecret(MlfAssert.Throws(MlfError.ConfigFileInvalid,
            () => ConfigParserFile.Parse($"private_token = {PrivateToken}\n", "x.cfg")).Message);
    }

    [TestMethod]
    [DataRow("glpat-LEAK-%x")]
    [DataRow("glpat-LEAK-%(missing)s")]
    [DataRow("glpat-LEAK-%(private_token)s")]
    [DataRow("glpat-LEAK-%(x")]
    public void InterpolationError_InAToken_DoesNotQuoteIt(string value)
    {
        using var fixture = new CredentialFixture();
        fixture.WriteUserConfig($"[global]\ndefault = a\n[a]\nurl = https://a.example\nprivate_token = {value}\n");

        AssertNoSecret(MlfAssert.Throws(MlfError.ConfigValueInvalid, () => fixture.Resolve()).Message);
    }

    [TestMethod]
    [OSCondition(OperatingSystems.Linux | OperatingSystems.OSX)]
    public void HelperFailure_DoesNotQuoteItsOutputNorItsArguments()
    {
        using var fixture = new CredentialFixture();
        var script = fixture.WriteScript("leak.sh", $"echo {PrivateToken}; echo \"said {PrivateToken} on stderr\" >&2; exit 1");
        fixture.WriteUserConfig($"[global]\ndefault = a\n[a]\nurl = https://a.example\nprivate_token = helper: {script} --password {HttpPassword}\n");

        var exception = MlfAssert.Throws(MlfError.GitLabHelperFailed, () => fixture.Resolve());

        AssertNoSecret(exception.Message);
        Assert.Contains("said *** on stderr", exception.Message);
    }

    [TestMethod]
    [DataRow("https://oauth2:glpat-LEAK-url@gitlab.example.com/group")]
    [DataRow("https://glpat-LEAK-url@gitlab.example.com")]
    [DataRow("gitlab-ci-token:LEAK-x@gitlab.example.com")]
    [DataRow("https://u:LEAK pw@gitlab.example.com")]
    public void ServerWithUserInfo_IsRefused_WithoutEchoingIt(string setting)
    {
        using var fixture = new CredentialFixture();

        var exception = MlfAssert.Throws(MlfError.GitLabServerInvalid, () => fixture.Resolve(setting));

        AssertNoSecret(exception.Message);
        Assert.Contains("***@gitlab.example.com", exception.Message);
    }

    [TestMethod]
    public void CiServerUrlWithUserInfo_IsRefused_WithoutEchoingIt()
    {
        using var fixture = new CredentialFixture();
        fixture.Variables["CI_SERVER_URL"] = "https://gitlab-ci-token:LEAK-ci@gitlab.example.com";

        AssertNoSecret(MlfAssert.Throws(MlfError.GitLabServerInvalid, () => fixture.Resolve()).Message);
    }

    [TestMethod]
    public void RequireAuthErrors_DoNotQuoteTheToken()
    {
        using var fixture = new CredentialFixture();
        fixture.WriteUserConfig($"[global]\ndefault = a\n[a]\nurl = https://a.example\njob_token = {JobToken}\n");

        AssertNoSecret(MlfAssert.Throws(MlfError.GitLabJobTokenNotAccepted, () => fixture.Resolve().RequireAuth()).Message);
    }

    [TestMethod]
    public void MlflowErrors_DoNotQuoteThePassword()
    {
        using var fixture = new CredentialFixture();
        fixture.WriteFile("home/.mlflow/credentials", $"[mlflow]\nmlflow_tracking_password = {MlflowPassword}%\n");

        AssertNoSecret(MlfAssert.Throws(MlfError.ConfigValueInvalid, () => fixture.ResolveMlflow()).Message);
    }

    private static void AssertNoSecret(string text)
    {
        foreach (var secret in All)
        {
            Assert.DoesNotContain(secret, text);
        }
    }
}
