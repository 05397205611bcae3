using System.Text;
using MlflowMsBuild.Core.Credentials;
using MlflowMsBuild.Core.Credentials.Python;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Http;
using MlflowMsBuild.Core.Tests.TestUtilities;

namespace MlflowMsBuild.Core.Tests.Credentials;

[TestClass]
public sealed class MlflowCredentialsTests
{
    [TestMethod]
    public void Nothing_GivesNoAuthAndVerifiedTls()
    {
        using var fixture = new CredentialFixture();

        Assert.AreEqual(new MlflowConnectionSettings(null, true, null, null), fixture.ResolveMlflow());
    }

    [TestMethod]
    public void Token_IsBearer()
    {
        using var fixture = new CredentialFixture();
        fixture.Variables["MLFLOW_TRACKING_TOKEN"] = "mlflow-token";

        var auth = fixture.ResolveMlflow().Auth!;

        Assert.AreEqual(MlflowAuthKind.Bearer, auth.Kind);
        Assert.AreEqual("Bearer mlflow-token", auth.AuthorizationValue().Reveal());
        Assert.AreEqual("MLFLOW_TRACKING_TOKEN", auth.Source);
    }

    [TestMethod]
    public void UsernameAndPassword_AreBasic_Utf8()
    {
        using var fixture = new CredentialFixture();
        fixture.Variables["MLFLOW_TRACKING_USERNAME"] = "jürgen";
        fixture.Variables["MLFLOW_TRACKING_PASSWORD"] = "pässword";

        var auth = fixture.ResolveMlflow().Auth!;

        Assert.AreEqual(MlflowAuthKind.Basic, auth.Kind);
        Assert.AreEqual("jürgen", auth.Username);
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("jürgen:pässword"));
        Assert.AreEqual(expected, auth.AuthorizationValue().Reveal());
    }

    [TestMethod]
    public void BasicWinsOverToken_AsInMlflowRestUtils()
    {
        using var fixture = new CredentialFixture();
        fixture.Variables["MLFLOW_TRACKING_USERNAME"] = "u";
        fixture.Variables["MLFLOW_TRACKING_PASSWORD"] = "p";
        fixture.Variables["MLFLOW_TRACKING_TOKEN"] = "t";

        Assert.AreEqual(MlflowAuthKind.Basic, fixture.ResolveMlflow().Auth!.Kind);
    }

    [TestMethod]
    public void HalfOfBasic_WithAToken_UsesTheToken()
    {
        using var fixture = new CredentialFixture();
        fixture.Variables["MLFLOW_TRACKING_USERNAME"] = "u";
        fixture.Variables["MLFLOW_TRACKING_TOKEN"] = "t";

        Assert.AreEqual(MlflowAuthKind.Bearer, fixture.ResolveMlflow().Auth!.Kind);
    }

    [TestMethod]
    public void UsernameWithoutPassword_IsAnError()
    {
        using var fixture = new CredentialFixture();
        fixture.Variables["MLFLOW_TRACKING_USERNAME"] = "u";

        var exception = MlfAssert.Throws(MlfError.MlflowBasicAuthIncomplete, () => fixture.ResolveMlflow());
        Assert.StartsWith("MLFLOW_TRACKING_USERNAME is set but MLFLOW_TRACKING_PASSWORD is not", exception.Message);
    }

    [TestMethod]
    public void PasswordWithoutUsername_IsAnError_WithoutThePassword()
    {
        using var fixture = new CredentialFixture();
        fixture.Variables["MLFLOW_TRACKING_PASSWORD"] = "hunter2-SECRET";

        var exception = MlfAssert.Throws(MlfError.MlflowBasicAuthIncomplete, () => fixture.ResolveMlflow());
        Assert.StartsWith("MLFLOW_TRACKING_PASSWORD is set but MLFLOW_TRACKING_USERNAME is not", exception.Message);
        Assert.DoesNotContain("hunter2-SECRET", exception.Message);
    }

    [TestMethod]
    public void CredentialsFile_SuppliesWhatTheEnvironmentLacks()
    {
        using var fixture = new CredentialFixture();
        fixture.WriteFile("home/.mlflow/credentials",
            "[mlflow]\nmlflow_tracking_username = file-user\nmlflow_tracking_password = file%%pass\n");

        var auth = fixture.ResolveMlflow().Auth!;
        Assert.AreEqual("file-user", auth.Username);
        Assert.AreEqual("file%pass", auth.Secret.Reveal());
        Assert.Contains(".mlflow/credentials", auth.Source);

        fixture.Variables["MLFLOW_TRACKING_USERNAME"] = "env-user";
        auth = fixture.ResolveMlflow().Auth!;
        Assert.AreEqual("env-user", auth.Username);
        Assert.AreEqual("file%pass", auth.Secret.Reveal());
        Assert.Contains("MLFLOW_TRACKING_USERNAME and mlflow_tracking_password in", auth.Source);
    }

    [TestMethod]
    public void CredentialsFile_WithoutMlflowSection_IsIgnored()
    {
        using var fixture = new CredentialFixture();
        fixture.WriteFile("home/.mlflow/credentials", "[other]\nmlflow_tracking_username = u\nmlflow_tracking_password = p\n");

        Assert.IsNull(fixture.ResolveMlflow().Auth);
    }

    [TestMethod]
    [DataRow("true", false)]
    [DataRow("TRUE", false)]
    [DataRow("1", false)]
    [DataRow("false", true)]
    [DataRow("0", true)]
    [DataRow("", true)]
    public void InsecureTls(string value, bool verify)
    {
        using var fixture = new CredentialFixture();
        fixture.Variables["MLFLOW_TRACKING_INSECURE_TLS"] = value;

        Assert.AreEqual(verify, fixture.ResolveMlflow().VerifyTls);
    }

    [TestMethod]
    public void InsecureTls_NotABoolean_IsAnError()
    {
        using var fixture = new CredentialFixture();
        fixture.Variables["MLFLOW_TRACKING_INSECURE_TLS"] = "yes";

        var exception = MlfAssert.Throws(MlfError.EnvironmentBooleanInvalid, () => fixture.ResolveMlflow());
        Assert.StartsWith("MLFLOW_TRACKING_INSECURE_TLS is 'yes'", exception.Message);
    }

    [TestMethod]
    public void InsecureTls_WithAServerCertificate_IsAnError()
    {
        using var fixture = new CredentialFixture();
        fixture.Variables["MLFLOW_TRACKING_INSECURE_TLS"] = "true";
        fixture.Variables["MLFLOW_TRACKING_SERVER_CERT_PATH"] = fixture.WriteFile("ca.pem", "pem");

        MlfAssert.Throws(MlfError.MlflowTlsSettingsConflict, () => fixture.ResolveMlflow());
    }

    [TestMethod]
    public void CertificatePaths_AreFullPaths()
    {
        using var fixture = new CredentialFixture();
        var ca = fixture.WriteFile("certs/ca.pem", "pem");
        var client = fixture.WriteFile("certs/client.pem", "pem");
        fixture.Variables["MLFLOW_TRACKING_SERVER_CERT_PATH"] = "certs/ca.pem";
        fixture.Variables["MLFLOW_TRACKING_CLIENT_CERT_PATH"] = client;

        var settings = fixture.ResolveMlflow();

        Assert.AreEqual(ca, settings.ServerCertificatePath);
        Assert.AreEqual(client, settings.ClientCertificatePath);
        Assert.IsTrue(settings.VerifyTls);
    }

    [TestMethod]
    [DataRow("MLFLOW_TRACKING_SERVER_CERT_PATH")]
    [DataRow("MLFLOW_TRACKING_CLIENT_CERT_PATH")]
    public void CertificatePath_Missing_IsAnError(string variable)
    {
        using var fixture = new CredentialFixture();
        fixture.Variables[variable] = "/no/such/cert.pem";

        var exception = MlfAssert.Throws(MlfError.CertificateFileMissing, () => fixture.ResolveMlflow());
        Assert.StartsWith(variable + " names the certificate '/no/such/cert.pem'", exception.Message);
    }

    [TestMethod]
    public void ApplyTo_SetsAuthorization()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://mlflow.example.com");
        MlflowAuth.Bearer(new Secret("t"), "test").ApplyTo(request.Headers);
        Assert.AreEqual("Bearer t", request.Headers.Authorization!.ToString());

        MlflowAuth.Basic("u", new Secret("p"), "test").ApplyTo(request.Headers);
        Assert.AreEqual("Basic dTpw", request.Headers.Authorization!.ToString());
    }

    [TestMethod]
    public void RequestTimeout_Unset_IsMlflowsDefault()
    {
        using var fixture = new CredentialFixture();

        Assert.AreEqual(TimeSpan.FromSeconds(120), fixture.ResolveMlflow().RequestTimeout);
    }

    [TestMethod]
    [DataRow("300", 300)]
    [DataRow(" +5 ", 5)]
    [DataRow("2147483", 2147483)]
    public void RequestTimeout_IsMlflowHttpRequestTimeoutInSeconds(string value, int seconds)
    {
        using var fixture = new CredentialFixture();
        fixture.Variables["MLFLOW_HTTP_REQUEST_TIMEOUT"] = value;

        Assert.AreEqual(TimeSpan.FromSeconds(seconds), fixture.ResolveMlflow().RequestTimeout);
    }

    [TestMethod]
    [DataRow("0")]
    [DataRow("-1")]
    [DataRow("1.5")]
    [DataRow("2m")]
    [DataRow("2147484")]
    public void RequestTimeout_NotWholeSecondsAboveZero_IsMlf5085(string value)
    {
        using var fixture = new CredentialFixture();
        fixture.Variables["MLFLOW_HTTP_REQUEST_TIMEOUT"] = value;

        var error = MlfAssert.Throws(MlfError.RequestTimeoutInvalid, () => fixture.ResolveMlflow());

        Assert.Contains($"MLFLOW_HTTP_REQUEST_TIMEOUT is '{value}'", error.Message);
        Assert.Contains("default (120 s)", error.Message);
    }

    [TestMethod]
    public void Retry_Unset_KeepsOurDefaults()
    {
        using var fixture = new CredentialFixture();

        Assert.AreEqual(RetrySettings.Default, fixture.ResolveMlflow().Retry);
    }

    [TestMethod]
    [DataRow("0", "0", 1, 0)]
    [DataRow(" 9 ", "119", 10, 119)]
    [DataRow("+2", "3", 3, 3)]
    [DataRow("0_3", "1_0", 4, 10)]
    public void Retry_IsMlflowHttpRequestMaxRetriesAndBackoffFactor(string retries, string factor, int attempts, int seconds)
    {
        using var fixture = new CredentialFixture();
        fixture.Variables["MLFLOW_HTTP_REQUEST_MAX_RETRIES"] = retries;
        fixture.Variables["MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR"] = factor;

        var retry = fixture.ResolveMlflow().Retry;

        Assert.AreEqual(attempts, retry.MaxAttempts);
        Assert.AreEqual(TimeSpan.FromSeconds(seconds), retry.BaseDelay);
    }

    [TestMethod]
    [DataRow("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "10", "from 0 to 9")]
    [DataRow("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "-1", "from 0 to 9")]
    [DataRow("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "two", "from 0 to 9")]
    [DataRow("MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR", "120", "from 0 to 119")]
    [DataRow("MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR", "0.5", "from 0 to 119")]
    public void Retry_OutsideWhatMlflowAccepts_IsMlf5086(string variable, string value, string range)
    {
        using var fixture = new CredentialFixture();
        fixture.Variables[variable] = value;

        var error = MlfAssert.Throws(MlfError.RetrySettingInvalid, () => fixture.ResolveMlflow());

        Assert.Contains($"{variable} is '{value}'", error.Message);
        Assert.Contains(range, error.Message);
    }

    [TestMethod]
    public void TrackingUriWithUserAndPassword_IsMlf1085_WithoutThePassword()
    {
        using var fixture = new CredentialFixture();
        fixture.Variables["MLFLOW_TRACKING_URI"] = "http://alice:s3cret-pw@127.0.0.1:5005/";

        var error = MlfAssert.Throws(MlfError.RegistryAddressHoldsCredentials, () => fixture.ResolveMlflow());

        Assert.Contains("MLFLOW_TRACKING_URI 'http://127.0.0.1:5005/'", error.Message);
        Assert.Contains("set MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD", error.Message);
        Assert.DoesNotContain("s3cret-pw", error.Message);
    }

    [TestMethod]
    public void TrackingUriOfAnotherScheme_WithUserInfo_IsNotJudged()
    {
        using var fixture = new CredentialFixture();
        fixture.Variables["MLFLOW_TRACKING_URI"] = "databricks://scope:prefix@profile";

        Assert.IsNull(fixture.ResolveMlflow().Auth);
    }
}
