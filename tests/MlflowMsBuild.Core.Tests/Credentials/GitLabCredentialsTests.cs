using System.Net.Http.Headers;
using MlflowMsBuild.Core.Credentials;
using MlflowMsBuild.Core.Credentials.Python;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Tests.TestUtilities;

namespace MlflowMsBuild.Core.Tests.Credentials;

[TestClass]
public sealed class GitLabCredentialsTests
{
    private const string TwoServers =
        "[global]\ndefault = main\ntimeout = 20\n" +
        "[main]\nurl = https://gitlab.example.com\nprivate_token = main-private\ntimeout = 7\n" +
        "[work]\nurl = https://git.work.example:8443/gitlab\noauth_token = work-oauth\nssl_verify = false\n";

    // ---- server ----

    [TestMethod]
    public void Server_FromTheSetting_BareHost_TakesTheMatchingSectionsUrl()
    {
        using var fixture = new CredentialFixture();
        fixture.WriteUserConfig(TwoServers);

        var connection = fixture.Resolve("git.work.example");

        Assert.AreEqual(new Uri("https://git.work.example:8443/gitlab/"), connection.Server);
        Assert.AreEqual("work-oauth", connection.Auth!.Token.Reveal());
        Assert.IsFalse(connection.VerifyTls);
        Assert.AreEqual(TimeSpan.FromSeconds(20), connection.Timeout);
    }

    [TestMethod]
    public void Server_FromTheSetting_BareHostWithoutSection_IsHttps()
    {
        using var fixture = new CredentialFixture();

        var connection = fixture.Resolve("gitlab.other.example:8080");

        Assert.AreEqual(new Uri("https://gitlab.other.example:8080/"), connection.Server);
        Assert.IsNull(connection.Auth);
        Assert.IsTrue(connection.VerifyTls);
        Assert.AreEqual(TimeSpan.FromSeconds(60), connection.Timeout);
        Assert.Contains("server from the MlflowRegistry setting", connection.Source);
        Assert.Contains("no token found", connection.Source);
    }

    [TestMethod]
    public void Server_FromTheSetting_Url_IsKeptWithATrailingSlash()
    {
        using var fixture = new CredentialFixture();
        fixture.WriteUserConfig(TwoServers);

        var connection = fixture.Resolve("http://gitlab.example.com:80/sub");

        Assert.AreEqual(new Uri("http://gitlab.example.com/sub/"), connection.Server);
        Assert.IsNull(connection.Auth, "port 80 is not the https section's port 443");
    }

    [TestMethod]
    public void Server_FromTheDefaultSection()
    {
        using var fixture = new CredentialFixture();
        fixture.WriteUserConfig(TwoServers);
        fixture.Variables["CI_SERVER_URL"] = "https://ci.example.com";

        var connection = fixture.Resolve();

        Assert.AreEqual(new Uri("https://gitlab.example.com/"), connection.Server);
        Assert.AreEqual("main-private", connection.Auth!.Token.Reveal());
        Assert.AreEqual(TimeSpan.FromSeconds(7), connection.Timeout);
        Assert.Contains("url in [main]", connection.Source);
    }

    [TestMethod]
    public void Server_FromCiServerUrl_WhenNothingElse()
    {
        using var fixture = new CredentialFixture();
        fixture.Variables["CI_SERVER_URL"] = "https://ci.example.com";

        Assert.AreEqual(new Uri("https://ci.example.com/"), fixture.Resolve().Server);
    }

    [TestMethod]
    public void Server_Unknown_IsAnError()
    {
        using var fixture = new CredentialFixture();
        fixture.WriteUserConfig("[a]\nurl = https://a.example\n");

        var exception = MlfAssert.Throws(MlfError.GitLabServerUnknown, () => fixture.Resolve(" "));
        Assert.Contains("sets [global] default", exception.Message);
    }

    [TestMethod]
    [DataRow("ftp://gitlab.example.com", "scheme")]
    [DataRow("https://gitlab.example.com/?x=1", "query")]
    [DataRow("https://", "neither")]
    public void Server_Invalid_IsAnError(string setting, string reason)
    {
        using var fixture = new CredentialFixture();

        var exception = MlfAssert.Throws(MlfError.GitLabServerInvalid, () => fixture.Resolve(setting));
        Assert.Contains(reason, exception.Message);
        Assert.Contains("the MlflowRegistry setting", exception.Message);
    }

    [TestMethod]
    public void Server_DefaultSectionUrlInvalid_IsAnError()
    {
        using var fixture = new CredentialFixture();
        fixture.WriteUserConfig("[global]\ndefault = a\n[a]\nurl = ftp://a.example\n");

        var exception = MlfAssert.Throws(MlfError.GitLabServerInvalid, () => fixture.Resolve());
        Assert.Contains("url in [a] of " + fixture.UserConfigPath, exception.Message);
    }

    // ---- token precedence ----

    [TestMethod]
    public void GitLabToken_WinsOverEverything()
    {
        using var fixture = new CredentialFixture();
        fixture.WriteUserConfig(TwoServers);
        fixture.Variables["GITLAB_TOKEN"] = "env-token";
        fixture.Variables["GITLAB_PRIVATE_TOKEN"] = "env-private";
        fixture.Variables["GITLAB_OAUTH_TOKEN"] = "env-oauth";
        InCi(fixture, "https://gitlab.example.com");

        var connection = fixture.Resolve();

        Assert.AreEqual(GitLabTokenKind.Private, connection.Auth!.Kind);
        Assert.AreEqual("env-token", connection.Auth.Token.Reveal());
        Assert.AreEqual("GITLAB_TOKEN", connection.Auth.Source);
        Assert.AreEqual(TimeSpan.FromSeconds(7), connection.Timeout, "settings still come from the matching section");
    }

    [TestMethod]
    public void GitLabPrivateToken_ThenGitLabOAuthToken()
    {
        using var fixture = new CredentialFixture();
        fixture.Variables["GITLAB_TOKEN"] = string.Empty;
        fixture.Variables["GITLAB_PRIVATE_TOKEN"] = "env-private";
        fixture.Variables["GITLAB_OAUTH_TOKEN"] = "env-oauth";

        Assert.AreEqual("env-private", fixture.Resolve("h.example").Auth!.Token.Reveal());

        fixture.Variables.Remove("GITLAB_PRIVATE_TOKEN");
        var auth = fixture.Resolve("h.example").Auth!;
        Assert.AreEqual(GitLabTokenKind.OAuth, auth.Kind);
        Assert.AreEqual("Bearer env-oauth", auth.HeaderValue().Reveal());
    }

    [TestMethod]
    public void Config_DefaultSectionFirst_WhenItMatches()
    {
        using var fixture = new CredentialFixture();
        fixture.WriteUserConfig(
            "[global]\ndefault = second\n" +
            "[first]\nurl = https://gitlab.example.com\nprivate_token = first-token\n" +
            "[second]\nurl = https://GitLab.Example.com/\nprivate_token = second-token\n");

        Assert.AreEqual("second-token", fixture.Resolve("gitlab.example.com").Auth!.Token.Reveal());
    }

    [TestMethod]
    public void Config_OtherMatchingSections_InFileOrder_FirstWithAToken()
    {
        using var fixture = new CredentialFixture();
        fixture.WriteUserConfig(
            "[global]\ndefault = elsewhere\n" +
            "[elsewhere]\nurl = https://elsewhere.example\nprivate_token = wrong\n" +
            "[anonymous]\nurl = https://gitlab.example.com\ntimeout = 9\n" +
            "[b]\nurl = https://gitlab.example.com\njob_token = b-job\n" +
            "[c]\nurl = https://gitlab.example.com\nprivate_token = c-private\n");

        var connection = fixture.Resolve("gitlab.example.com");

        Assert.AreEqual("b-job", connection.Auth!.Token.Reveal());
        Assert.AreEqual(GitLabTokenKind.Job, connection.Auth.Kind);
        Assert.AreEqual(TimeSpan.FromSeconds(60), connection.Timeout, "settings come from the section the token came from");
        Assert.Contains("job_token in [b]", connection.Source);
    }

    [TestMethod]
    public void Config_SectionOfAnotherServer_IsNeverUsed()
    {
        using var fixture = new CredentialFixture();
        fixture.WriteUserConfig(TwoServers);

        var connection = fixture.Resolve("gitlab.unrelated.example");

        Assert.IsNull(connection.Auth);
        Assert.AreEqual(TimeSpan.FromSeconds(20), connection.Timeout, "[global] still applies");
    }

    [TestMethod]
    public void Config_PortMustMatch_WhenTheSettingGivesOne()
    {
        using var fixture = new CredentialFixture();
        fixture.WriteUserConfig(TwoServers);

        Assert.IsNull(fixture.Resolve("git.work.example:9999").Auth);
        Assert.AreEqual("work-oauth", fixture.Resolve("git.work.example:8443").Auth!.Token.Reveal());
    }

    [TestMethod]
    [DataRow("private_token = p\noauth_token = o\njob_token = j\n", GitLabTokenKind.Private, "p")]
    [DataRow("oauth_token = o\njob_token = j\n", GitLabTokenKind.OAuth, "o")]
    [DataRow("job_token = j\n", GitLabTokenKind.Job, "j")]
    [DataRow("private_token =\noauth_token = o\n", GitLabTokenKind.OAuth, "o")]
    public void Config_WithinASection_PrivateThenOAuthThenJob(string tokens, GitLabTokenKind kind, string value)
    {
        using var fixture = new CredentialFixture();
        fixture.WriteUserConfig("[global]\ndefault = a\n[a]\nurl = https://a.example\n" + tokens);

        var auth = fixture.Resolve().Auth!;

        Assert.AreEqual(kind, auth.Kind);
        Assert.AreEqual(value, auth.Token.Reveal());
    }

    [TestMethod]
    public void Config_BeatsTheCiJobToken()
    {
        using var fixture = new CredentialFixture();
        fixture.WriteUserConfig(TwoServers);
        InCi(fixture, "https://gitlab.example.com");

        Assert.AreEqual("main-private", fixture.Resolve().Auth!.Token.Reveal());
    }

    // ---- CI job token ----

    [TestMethod]
    [DataRow("GITLAB_CI")]
    [DataRow("CI")]
    public void CiJobToken_InGitLabCi_ForTheCiServer(string flag)
    {
        using var fixture = new CredentialFixture();
        fixture.Variables[flag] = "true";
        fixture.Variables["CI_SERVER_URL"] = "https://gitlab.example.com";
        fixture.Variables["CI_JOB_TOKEN"] = "job-token-value";

        var connection = fixture.Resolve();

        Assert.AreEqual(GitLabTokenKind.Job, connection.Auth!.Kind);
        Assert.AreEqual("Authorization", connection.Auth.HeaderName);
        Assert.AreEqual("job-token-value", connection.Auth.Token.Reveal());
        Assert.IsTrue(connection.IsJobToken);
        Assert.IsTrue(connection.Auth.IsJobToken);
        Assert.Contains("CI_JOB_TOKEN", connection.Source);
    }

    [TestMethod]
    public void CiJobToken_NotOutsideCi()
    {
        using var fixture = new CredentialFixture();
        fixture.Variables["CI_SERVER_URL"] = "https://gitlab.example.com";
        fixture.Variables["CI_JOB_TOKEN"] = "job-token-value";
        fixture.Variables["CI"] = "false";

        Assert.IsNull(fixture.Resolve().Auth);
    }

    [TestMethod]
    public void CiJobToken_NeverSentToAnotherServer()
    {
        using var fixture = new CredentialFixture();
        InCi(fixture, "https://gitlab.example.com");

        Assert.IsNull(fixture.Resolve("gitlab.other.example").Auth);
        Assert.IsNotNull(fixture.Resolve("GITLAB.example.com").Auth);
        Assert.IsNotNull(fixture.Resolve("https://gitlab.example.com/").Auth);
    }

    // ---- using the result ----

    [TestMethod]
    public void RequireAuth_RefusesJobTokens_UnlessAllowed()
    {
        using var fixture = new CredentialFixture();
        InCi(fixture, "https://gitlab.example.com");
        var connection = fixture.Resolve();

        var exception = MlfAssert.Throws(MlfError.GitLabJobTokenNotAccepted, () => connection.RequireAuth());
        Assert.Contains("CI_JOB_TOKEN", exception.Message);
        Assert.AreSame(connection.Auth, connection.RequireAuth(allowJobToken: true));
    }

    [TestMethod]
    public void RequireAuth_WithoutToken_SaysHowToGetOne()
    {
        using var fixture = new CredentialFixture();
        var connection = fixture.Resolve("https://gitlab.example.com/sub");

        var exception = MlfAssert.Throws(MlfError.GitLabTokenMissing, () => connection.RequireAuth());
        Assert.Contains("https://gitlab.example.com", exception.Message);
        Assert.Contains("GITLAB_TOKEN", exception.Message);
    }

    [TestMethod]
    [DataRow(GitLabTokenKind.Private, "Authorization", "Bearer tok")]
    [DataRow(GitLabTokenKind.OAuth, "Authorization", "Bearer tok")]
    [DataRow(GitLabTokenKind.Job, "Authorization", "Bearer tok")]
    public void ApplyTo_SetsTheRightHeader(GitLabTokenKind kind, string header, string value)
    {
        var auth = new GitLabAuth(kind, new Secret("tok"), "test");
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://gitlab.example.com/api/v4/user");

        auth.ApplyTo(request.Headers);
        auth.ApplyTo(request.Headers);

        Assert.AreEqual(header, auth.HeaderName);
        Assert.AreEqual(value, auth.HeaderValue().Reveal());
        CollectionAssert.AreEqual(new[] { value }, request.Headers.GetValues(header).ToList());
    }

    [TestMethod]
    public void CaPathAndTimeout_ReachTheConnection()
    {
        using var fixture = new CredentialFixture();
        var ca = fixture.WriteFile("ca.pem", "pem");
        fixture.WriteUserConfig($"[global]\ndefault = a\nssl_verify = {ca}\n[a]\nurl = https://a.example\ntimeout = 3\n");

        var connection = fixture.Resolve();

        Assert.IsTrue(connection.VerifyTls);
        Assert.AreEqual(ca, connection.CaCertificatePath);
        Assert.AreEqual(TimeSpan.FromSeconds(3), connection.Timeout);
    }

    [TestMethod]
    public void FromProcess_Works()
    {
        var environment = CredentialEnvironment.FromProcess();
        Assert.IsFalse(string.IsNullOrEmpty(environment.WorkingDirectory));
        Assert.AreEqual("/etc/python-gitlab.cfg", environment.SystemConfigPath);
    }

    [TestMethod]
    public void FromVariables_ReadsOnlyTheDictionary_EmptyCountsAsUnset()
    {
        var environment = CredentialEnvironment.FromVariables(
            new Dictionary<string, string> { ["GITLAB_TOKEN"] = "t", ["EMPTY"] = "" }, homeDirectory: null, workingDirectory: "/w");

        Assert.AreEqual("t", environment.GetVariable("GITLAB_TOKEN"));
        Assert.IsNull(environment.GetVariable("EMPTY"));
        Assert.AreEqual(string.Empty, environment.GetRawVariable("EMPTY"));
        Assert.IsNull(environment.GetVariable("PATH"));
        Assert.IsNull(environment.HomeDirectory);
        Assert.AreEqual("/w", environment.WorkingDirectory);
        Assert.AreEqual("secret from GITLAB_TOKEN", "secret from " + GitLabCredentials.Resolve("h.example", environment).Auth!.Source);
    }

    private static void InCi(CredentialFixture fixture, string server)
    {
        fixture.Variables["GITLAB_CI"] = "true";
        fixture.Variables["CI"] = "true";
        fixture.Variables["CI_SERVER_URL"] = server;
        fixture.Variables["CI_JOB_TOKEN"] = "ci-job-token";
    }
}
