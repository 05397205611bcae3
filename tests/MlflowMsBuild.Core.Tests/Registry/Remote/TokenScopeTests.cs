using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Tests.TestUtilities;
using MlflowMsBuild.TestServer;

namespace MlflowMsBuild.Core.Tests.Registry.Remote;

/// <summary>
/// A token goes only to the server the configuration names for it (MLFLOW_TRACKING_URI for the MLFLOW_* credentials,
/// CI_SERVER_URL for the GitLab variables): a project whose MlflowRegistry names another server sends it nothing, and
/// gets a coded error saying how to give that server credentials. The test server's request log shows what was sent.
/// </summary>
[TestClass]
public sealed class TokenScopeTests
{
    private const string MlflowToken = "LEAK-mlflow-scope-token-0101";
    private const string GitLabToken = "glpat-LEAK-scope-token-0102";

    [TestMethod]
    public async Task MlflowToken_ForAnotherTrackingUri_IsNotSentToTheRegistrySetting()
    {
        await using var fixture = await RemoteFixture.StartAsync(RegistryFlavor.Mlflow, o => o.MlflowBearerToken = MlflowToken);
        fixture.Variables["MLFLOW_TRACKING_URI"] = "http://127.0.0.1:5005";
        fixture.Variables["MLFLOW_TRACKING_TOKEN"] = MlflowToken;

        var error = await MlfAssert.ThrowsAsync(MlfError.CredentialsForAnotherServer, () => fixture.RestoreAsync("test-model", "1"));

        Assert.IsNotEmpty(fixture.Server.RequestLog.Entries);
        Assert.IsTrue(fixture.Server.RequestLog.Entries.All(e => !e.Headers.ContainsKey("Authorization")), "no request carried the token");
        Assert.Contains("MLFLOW_TRACKING_TOKEN is for http://127.0.0.1:5005 (MLFLOW_TRACKING_URI) only", error.Message);
        Assert.Contains("set MLFLOW_TRACKING_URI to " + fixture.Server.BaseAddress.GetLeftPart(UriPartial.Authority), error.Message);
        Assert.Contains("HTTP 401", error.Message);
        Assert.DoesNotContain(MlflowToken, error.ToString());
    }

    [TestMethod]
    public async Task MlflowToken_ForTheSameServer_IsSent_WhateverThePath()
    {
        await using var fixture = await RemoteFixture.StartAsync(RegistryFlavor.Mlflow, o => o.MlflowBearerToken = MlflowToken);
        fixture.Variables["MLFLOW_TRACKING_URI"] = fixture.Server.BaseAddress.GetLeftPart(UriPartial.Authority).ToUpperInvariant() + "/other/";
        fixture.Variables["MLFLOW_TRACKING_TOKEN"] = MlflowToken;

        var result = await fixture.PublishAsync();

        Assert.AreEqual("1", result.Version);
        Assert.IsTrue(fixture.Server.RequestLog.Entries.All(e => e.Headers["Authorization"] == "Bearer " + MlflowToken));
    }

    [TestMethod]
    public async Task MlflowBasicCredentials_ForAnotherTrackingUri_AreNotSent()
    {
        await using var fixture = await RemoteFixture.StartAsync(RegistryFlavor.Mlflow, o =>
        {
            o.MlflowUsername = "alice";
            o.MlflowPassword = "LEAK-p4ss";
        });
        fixture.Variables["MLFLOW_TRACKING_URI"] = "https://mlflow.example.org";
        fixture.Variables["MLFLOW_TRACKING_USERNAME"] = "alice";
        fixture.Variables["MLFLOW_TRACKING_PASSWORD"] = "LEAK-p4ss";

        var error = await MlfAssert.ThrowsAsync(MlfError.CredentialsForAnotherServer, () => fixture.PublishAsync());

        Assert.IsTrue(fixture.Server.RequestLog.Entries.All(e => !e.Headers.ContainsKey("Authorization")));
        Assert.AreEqual(0, fixture.Server.RequestLog.Count("POST runs/create"));
        Assert.DoesNotContain("LEAK", error.ToString());
    }

    [TestMethod]
    public async Task GitLabToken_ForTheCiServer_IsNotSentToAnotherGitLab()
    {
        await using var fixture = await RemoteFixture.StartAsync(RegistryFlavor.GitLab);
        fixture.Server.AddToken(GitLabToken, "api");
        fixture.Variables["GITLAB_TOKEN"] = GitLabToken;
        fixture.Variables["CI_SERVER_URL"] = "https://gitlab.example.org";
        fixture.Variables["GITLAB_CI"] = "true";
        fixture.Variables["CI_JOB_TOKEN"] = "LEAK-job-token";

        var error = await MlfAssert.ThrowsAsync(MlfError.CredentialsForAnotherServer, () => fixture.RestoreAsync("test-model", "1.0.0"));

        Assert.IsTrue(fixture.Server.RequestLog.Entries.All(e => !e.Headers.ContainsKey("PRIVATE-TOKEN") && !e.Headers.ContainsKey("JOB-TOKEN")
            && !e.Headers.ContainsKey("Authorization")), "no request carried a token");
        Assert.Contains("GITLAB_TOKEN is for https://gitlab.example.org/ (CI_SERVER_URL) only", error.Message);
        Assert.Contains("url = " + fixture.Server.BaseAddress.GetLeftPart(UriPartial.Authority) + "/", error.Message);
        Assert.DoesNotContain(GitLabToken, error.ToString());
        Assert.DoesNotContain("LEAK", error.ToString());
    }

    [TestMethod]
    public async Task GitLabToken_ForTheCiServer_IsSentToIt()
    {
        await using var fixture = await RemoteFixture.StartAsync(RegistryFlavor.GitLab);
        fixture.Variables["CI_SERVER_URL"] = fixture.Server.BaseAddress.GetLeftPart(UriPartial.Authority);

        var published = await fixture.PublishAsync();

        Assert.IsNotNull(published.Version);
        Assert.IsTrue(fixture.Server.RequestLog.Entries.All(e => e.Headers.TryGetValue("Authorization", out var sent) && sent == "Bearer " + RemoteFixture.Token
            && !e.Headers.ContainsKey("PRIVATE-TOKEN")));
    }

    [TestMethod]
    public async Task GitLabSectionToken_GoesToItsUrl_EvenWhenCiServerUrlNamesAnother()
    {
        await using var fixture = await RemoteFixture.StartAsync(RegistryFlavor.GitLab);
        fixture.Variables.Remove("GITLAB_TOKEN");
        fixture.Variables["CI_SERVER_URL"] = "https://gitlab.example.org";
        File.WriteAllText(fixture.Home.Combine(".python-gitlab.cfg"),
            $"[local]\nurl = {fixture.Server.BaseAddress.GetLeftPart(UriPartial.Authority)}\nprivate_token = {RemoteFixture.Token}\n");

        var published = await fixture.PublishAsync();

        Assert.IsNotNull(published.Version);
    }
}
