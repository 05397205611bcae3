using MlflowMsBuild.Core.Credentials;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Tests.TestUtilities;

namespace MlflowMsBuild.Core.Tests.Credentials;

/// <summary>GitLab's MLflow documentation: MLFLOW_TRACKING_URI = the project's tracking URI, MLFLOW_TRACKING_TOKEN = a token.</summary>
[TestClass]
public sealed class GitLabMlflowTrackingTokenTests
{
    private const string TrackingUri = "https://gitlab.example.com/api/v4/projects/42/ml/mlflow";

    [TestMethod]
    public void MlflowTrackingToken_ForTheTrackingUrisServer_IsSentAsBearer()
    {
        using var fixture = new CredentialFixture();
        fixture.Variables["MLFLOW_TRACKING_URI"] = TrackingUri;
        fixture.Variables["MLFLOW_TRACKING_TOKEN"] = " glpat-mlflow\n";

        var auth = fixture.Resolve("https://gitlab.example.com/").Auth!;

        Assert.AreEqual(GitLabTokenKind.OAuth, auth.Kind);
        Assert.AreEqual("MLFLOW_TRACKING_TOKEN", auth.Source);
        Assert.AreEqual("Bearer glpat-mlflow", auth.HeaderValue().Reveal());
        Assert.AreEqual("MLFLOW_TRACKING_TOKEN", fixture.Resolve("https://gitlab.example.com/").RequireAuth().Source, "not a job token: the MLflow endpoints take it");
    }

    [TestMethod]
    public void MlflowTrackingToken_WithoutTrackingUri_GoesToTheServerInUse()
    {
        using var fixture = new CredentialFixture();
        fixture.Variables["MLFLOW_TRACKING_TOKEN"] = "glpat-mlflow";

        Assert.AreEqual("glpat-mlflow", fixture.Resolve("gitlab.example.com").Auth!.Token.Reveal());
    }

    [TestMethod]
    public void GitLabVariables_ComeBeforeTheMlflowToken()
    {
        using var fixture = new CredentialFixture();
        fixture.Variables["MLFLOW_TRACKING_URI"] = TrackingUri;
        fixture.Variables["MLFLOW_TRACKING_TOKEN"] = "glpat-mlflow";
        fixture.Variables["GITLAB_OAUTH_TOKEN"] = "oauth";

        Assert.AreEqual("GITLAB_OAUTH_TOKEN", fixture.Resolve("https://gitlab.example.com/").Auth!.Source);
    }

    [TestMethod]
    public void MlflowToken_ComesBeforePythonGitLabAndTheJobToken()
    {
        using var fixture = new CredentialFixture();
        fixture.WriteUserConfig("[global]\ndefault = main\n[main]\nurl = https://gitlab.example.com\nprivate_token = from-config\n");
        fixture.Variables["GITLAB_CI"] = "true";
        fixture.Variables["CI_SERVER_URL"] = "https://gitlab.example.com";
        fixture.Variables["CI_JOB_TOKEN"] = "job";
        fixture.Variables["MLFLOW_TRACKING_URI"] = TrackingUri;
        fixture.Variables["MLFLOW_TRACKING_TOKEN"] = "glpat-mlflow";

        var connection = fixture.Resolve();

        Assert.AreEqual("MLFLOW_TRACKING_TOKEN", connection.Auth!.Source);
        Assert.IsFalse(connection.IsJobToken);

        fixture.Variables.Remove("MLFLOW_TRACKING_TOKEN");
        Assert.Contains("private_token", fixture.Resolve().Auth!.Source);
        File.Delete(fixture.UserConfigPath);
        Assert.IsTrue(fixture.Resolve("https://gitlab.example.com").IsJobToken);
    }

    [TestMethod]
    [DataRow("https://other.example.com/api/v4/projects/42/ml/mlflow")]
    [DataRow("https://gitlab.example.com:8443/api/v4/projects/42/ml/mlflow")]
    [DataRow("./mlruns")]
    public void MlflowTrackingToken_ForAnotherServer_IsHeldBack(string trackingUri)
    {
        using var fixture = new CredentialFixture();
        fixture.Variables["MLFLOW_TRACKING_URI"] = trackingUri;
        fixture.Variables["MLFLOW_TRACKING_TOKEN"] = "glpat-mlflow";

        var connection = fixture.Resolve("https://gitlab.example.com/");

        Assert.IsNull(connection.Auth);
        var error = MlfAssert.Throws(MlfError.CredentialsForAnotherServer, () => connection.RequireAuth());
        Assert.Contains("MLFLOW_TRACKING_TOKEN is for", error.Message);
        Assert.DoesNotContain("glpat-mlflow", error.Message);
    }
}
