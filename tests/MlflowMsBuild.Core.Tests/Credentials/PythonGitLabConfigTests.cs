using MlflowMsBuild.Core.Credentials;
using MlflowMsBuild.Core.Credentials.Python;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Tests.TestUtilities;

namespace MlflowMsBuild.Core.Tests.Credentials;

[TestClass]
public sealed class PythonGitLabConfigTests
{
    [TestMethod]
    public void PythonGitLabCfg_MissingFile_IsAnError()
    {
        using var fixture = new CredentialFixture();
        fixture.WriteUserConfig("[global]\ndefault = x\n");
        fixture.Variables["PYTHON_GITLAB_CFG"] = fixture.Root + "/nowhere.cfg";

        var exception = MlfAssert.Throws(MlfError.GitLabConfigFileMissing, () => fixture.LoadConfig());
        Assert.Contains(fixture.Root + "/nowhere.cfg", exception.Message);
        Assert.Contains("does not exist", exception.Message);
    }

    [TestMethod]
    public void PythonGitLabCfg_Folder_IsAnError()
    {
        using var fixture = new CredentialFixture();
        fixture.Variables["PYTHON_GITLAB_CFG"] = fixture.Home;

        var exception = MlfAssert.Throws(MlfError.GitLabConfigFileMissing, () => fixture.LoadConfig());
        Assert.Contains("folder", exception.Message);
    }

    [TestMethod]
    public void PythonGitLabCfg_IsTheOnlyFileRead_RelativeToTheWorkingFolder()
    {
        using var fixture = new CredentialFixture();
        fixture.WriteSystemConfig("[global]\ndefault = system\n");
        fixture.WriteUserConfig("[global]\ndefault = user\n");
        var named = fixture.WriteFile("cfg/named.cfg", "[global]\ndefault = named\n[named]\nurl = https://named.example.com\n");
        fixture.Variables["PYTHON_GITLAB_CFG"] = "cfg/named.cfg";

        var config = fixture.LoadConfig();

        CollectionAssert.AreEqual(new[] { named }, config.Files.ToList());
        Assert.AreEqual("named", config.DefaultSectionName);
    }

    [TestMethod]
    public void PythonGitLabCfg_Empty_CountsAsUnset()
    {
        using var fixture = new CredentialFixture();
        fixture.WriteUserConfig("[global]\ndefault = user\n");
        fixture.Variables["PYTHON_GITLAB_CFG"] = string.Empty;

        Assert.AreEqual("user", fixture.LoadConfig().DefaultSectionName);
    }

    [TestMethod]
    public void SystemThenUserFile_LaterWinsKeyByKey()
    {
        using var fixture = new CredentialFixture();
        fixture.WriteSystemConfig("[global]\ndefault = corp\ntimeout = 30\n[corp]\nurl = https://gitlab.corp.example\nssl_verify = false\n");
        fixture.WriteUserConfig("[global]\ntimeout = 45\n[corp]\nprivate_token = user-token\n[other]\nurl = https://other.example\n");

        var config = fixture.LoadConfig();
        var corp = config.GetDefaultSection()!;

        CollectionAssert.AreEqual(new[] { fixture.SystemConfigPath, fixture.UserConfigPath }, config.Files.ToList());
        Assert.AreEqual("corp", corp.Name);
        Assert.AreEqual("https://gitlab.corp.example", corp.Url);
        Assert.IsFalse(corp.Settings.VerifyTls);
        Assert.AreEqual(TimeSpan.FromSeconds(45), corp.Settings.Timeout);
        Assert.AreEqual("user-token", corp.GetToken(GitLabTokenKind.Private)!.Reveal());
        CollectionAssert.AreEqual(new[] { "corp", "other" }, config.ServerSectionNames.ToList());
    }

    [TestMethod]
    public void NoFiles_GiveAnEmptyConfiguration()
    {
        using var fixture = new CredentialFixture();

        var config = fixture.LoadConfig();

        Assert.IsEmpty(config.Files);
        Assert.IsNull(config.DefaultSectionName);
        Assert.IsNull(config.GetDefaultSection());
        Assert.AreEqual(new GitLabServerSettings(true, null, TimeSpan.FromSeconds(60), "4", null), config.GlobalSettings);
    }

    [TestMethod]
    public void Default_NamingAMissingSection_IsAnError()
    {
        using var fixture = new CredentialFixture();
        fixture.WriteUserConfig("[global]\ndefault = nope\n");

        var exception = MlfAssert.Throws(MlfError.GitLabDefaultSectionInvalid, () => fixture.LoadConfig().GetDefaultSection());
        Assert.Contains("[nope]", exception.Message);
        Assert.Contains("does not exist", exception.Message);
    }

    [TestMethod]
    public void Default_NamingASectionWithoutUrl_IsAnError()
    {
        using var fixture = new CredentialFixture();
        fixture.WriteUserConfig("[global]\ndefault = bare\n[bare]\nprivate_token = x\n");

        var exception = MlfAssert.Throws(MlfError.GitLabDefaultSectionInvalid, () => fixture.LoadConfig().GetDefaultSection());
        Assert.Contains("has no url", exception.Message);
    }

    [TestMethod]
    [DataRow("false", false)]
    [DataRow("No", false)]
    [DataRow("off", false)]
    [DataRow("0", false)]
    [DataRow("TRUE", true)]
    [DataRow("yes", true)]
    [DataRow("on", true)]
    [DataRow("1", true)]
    public void SslVerify_BooleanWords(string word, bool expected)
    {
        using var fixture = new CredentialFixture();
        fixture.WriteUserConfig($"[global]\nssl_verify = {word}\n[s]\nurl = https://x.example\n");

        var settings = fixture.LoadConfig().GetSection("s")!.Settings;

        Assert.AreEqual(expected, settings.VerifyTls);
        Assert.IsNull(settings.CaCertificatePath);
    }

    [TestMethod]
    public void SslVerify_SectionOverridesGlobal()
    {
        using var fixture = new CredentialFixture();
        fixture.WriteUserConfig("[global]\nssl_verify = false\n[a]\nurl = https://a.example\nssl_verify = true\n[b]\nurl = https://b.example\n");

        var config = fixture.LoadConfig();

        Assert.IsTrue(config.GetSection("a")!.Settings.VerifyTls);
        Assert.IsFalse(config.GetSection("b")!.Settings.VerifyTls);
    }

    [TestMethod]
    public void SslVerify_CaPath_IsAFullPath()
    {
        using var fixture = new CredentialFixture();
        var ca = fixture.WriteFile("certs/ca.pem", "-----BEGIN CERTIFICATE-----\n");
        fixture.WriteUserConfig("[global]\nssl_verify = certs/ca.pem\n[a]\nurl = https://a.example\n");

        var settings = fixture.LoadConfig().GetSection("a")!.Settings;

        Assert.IsTrue(settings.VerifyTls);
        Assert.AreEqual(ca, settings.CaCertificatePath);
    }

    [TestMethod]
    public void SslVerify_MissingCaPath_IsAnError()
    {
        using var fixture = new CredentialFixture();
        fixture.WriteUserConfig("[a]\nurl = https://a.example\nssl_verify = /no/such/ca.pem\n");

        var exception = MlfAssert.Throws(MlfError.CertificateFileMissing, () => fixture.LoadConfig().GetSection("a"));
        Assert.Contains("ssl_verify in [a]", exception.Message);
        Assert.Contains("/no/such/ca.pem", exception.Message);
    }

    [TestMethod]
    public void Timeout_DefaultGlobalAndSection()
    {
        using var fixture = new CredentialFixture();
        fixture.WriteUserConfig("[global]\ntimeout = 30\n[a]\nurl = https://a.example\ntimeout = 5\n[b]\nurl = https://b.example\n[c]\nurl = https://c.example\ntimeout = 1_0\n");

        var config = fixture.LoadConfig();

        Assert.AreEqual(TimeSpan.FromSeconds(5), config.GetSection("a")!.Settings.Timeout);
        Assert.AreEqual(TimeSpan.FromSeconds(30), config.GetSection("b")!.Settings.Timeout);
        Assert.AreEqual(TimeSpan.FromSeconds(10), config.GetSection("c")!.Settings.Timeout);
    }

    [TestMethod]
    [DataRow("timeout = abc", "timeout")]
    [DataRow("timeout = 0", "timeout")]
    [DataRow("timeout = 1.5", "timeout")]
    [DataRow("api_version = 3", "api_version")]
    [DataRow("per_page = 101", "per_page")]
    [DataRow("per_page = -1", "per_page")]
    public void InvalidSettings_AreErrors(string line, string key)
    {
        using var fixture = new CredentialFixture();
        fixture.WriteUserConfig($"[a]\nurl = https://a.example\n{line}\n");

        var exception = MlfAssert.Throws(MlfError.ConfigValueInvalid, () => fixture.LoadConfig().GetSection("a"));
        Assert.Contains($"'{key}' in section [a]", exception.Message);
        Assert.Contains(fixture.UserConfigPath + " line 3", exception.Message);
    }

    [TestMethod]
    public void ApiVersionAndPerPage_AreRead()
    {
        using var fixture = new CredentialFixture();
        fixture.WriteUserConfig("[global]\nper_page = 50\napi_version = 4\n[a]\nurl = https://a.example\n");

        var settings = fixture.LoadConfig().GetSection("a")!.Settings;

        Assert.AreEqual("4", settings.ApiVersion);
        Assert.AreEqual(50, settings.PerPage);
    }

    [TestMethod]
    public void Tokens_AreReadWithInterpolation_AndEmptyMeansUnset()
    {
        using var fixture = new CredentialFixture();
        fixture.WriteUserConfig("[DEFAULT]\nprefix = glpat-\n[a]\nurl = https://a.example\nprivate_token = %(prefix)sabc%%\noauth_token =\nhttp_username = me\nhttp_password = pw\n");

        var section = fixture.LoadConfig().GetSection("a")!;

        Assert.AreEqual("glpat-abc%", section.GetToken(GitLabTokenKind.Private)!.Reveal());
        Assert.IsNull(section.GetToken(GitLabTokenKind.OAuth));
        Assert.IsNull(section.GetToken(GitLabTokenKind.Job));
        Assert.AreEqual("me", section.HttpUsername);
        Assert.AreEqual("pw", section.GetHttpPassword()!.Reveal());
        Assert.AreEqual("private_token in [a] of " + fixture.UserConfigPath + " line 5", section.Describe("private_token"));
    }

    [TestMethod]
    public void GetSection_UnknownOrGlobal_IsNull()
    {
        using var fixture = new CredentialFixture();
        fixture.WriteUserConfig("[global]\ndefault = a\n[a]\nurl = https://a.example\n");

        var config = fixture.LoadConfig();

        Assert.IsNull(config.GetSection("global"));
        Assert.IsNull(config.GetSection("b"));
        Assert.IsNotNull(config.GetSection("a"));
    }

    [TestMethod]
    public void ParseError_InTheUserFile_IsReported()
    {
        using var fixture = new CredentialFixture();
        fixture.WriteUserConfig("[a]\nurl = https://a.example\nurl = https://b.example\n");

        var exception = MlfAssert.Throws(MlfError.ConfigFileInvalid, () => fixture.LoadConfig());
        Assert.Contains(fixture.UserConfigPath, exception.Message);
        Assert.Contains("line 3", exception.Message);
    }
}
