using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Publishing;
using MlflowMsBuild.Core.Registry.GitLab;
using MlflowMsBuild.Core.Registry.Local;
using MlflowMsBuild.Core.Registry.MlflowServer;
using MlflowMsBuild.Core.RestApi;
using MlflowMsBuild.Core.Tests.TestUtilities;

namespace MlflowMsBuild.Core.Tests.Publishing;

/// <summary>What a publish refuses before the evaluation runs, per registry, without a request.</summary>
[TestClass]
public sealed class PublishPreflightTests
{
    private static MlflowRestClient NoConnection() => throw new AssertFailedException("The check connected.");

    [TestMethod]
    public void RequestedVersion_OnRegistriesThatNumberVersions_IsMLF1051()
    {
        using var folder = new TempDirectory();
        using var local = new LocalRegistry(folder.Path);
        using var mlflow = new MlflowServerRegistry(new Uri("http://127.0.0.1:9/"), NoConnection);

        var fromLocal = MlfAssert.Throws(MlfError.RequestedVersionNotSupported, () => PublishPreflight.CheckSettings(local, "test-x", null, "2", []));
        MlfAssert.Throws(MlfError.RequestedVersionNotSupported, () => PublishPreflight.CheckSettings(mlflow, "test-x", null, "2", []));
        PublishPreflight.CheckSettings(local, "test-x", null, null, ["learning_rate"]);

        Assert.Contains("'2'", fromLocal.Message);
        Assert.Contains("embedded registry", fromLocal.Message);
    }

    [TestMethod]
    public void GitLab_TakesASemVer_RefusesOthers_AndChecksItsCredentials()
    {
        var credentialChecks = 0;
        using var gitlab = new GitLabRegistry("key", "group/project", _ => Task.FromResult(NoConnection()), checkCredentials: () => credentialChecks++);

        PublishPreflight.CheckSettings(gitlab, "test-x", null, "1.3.0", []);
        MlfAssert.Throws(MlfError.VersionSpecInvalid, () => PublishPreflight.CheckSettings(gitlab, "test-x", null, "1.3.0.1", []));

        Assert.AreEqual(1, credentialChecks);
    }

    [TestMethod]
    [DataRow("commit")]
    [DataRow("commit_url")]
    [DataRow("config_file")]
    [DataRow("database")]
    [DataRow("date")]
    [DataRow("command_line")]
    public void ParamNamedLikeOneTheProductSets_IsMLF1052(string key)
    {
        using var folder = new TempDirectory();
        using var local = new LocalRegistry(folder.Path);

        var error = MlfAssert.Throws(MlfError.ParamReserved, () => PublishPreflight.CheckSettings(local, "test-x", null, null, ["learning_rate", key]));

        Assert.Contains($"'{key}'", error.Message);
    }
}
