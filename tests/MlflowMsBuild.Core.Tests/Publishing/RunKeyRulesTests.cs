using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Publishing;
using MlflowMsBuild.Core.Tests.TestUtilities;

namespace MlflowMsBuild.Core.Tests.Publishing;

[TestClass]
public sealed class RunKeyRulesTests
{
    [TestMethod]
    [DataRow("test/auc")]
    [DataRow("train/log_loss")]
    [DataRow("a-b.c d:e")]
    [DataRow("mlflow.source.git.commit")]
    [DataRow("größe")]
    public void Problem_AcceptsWhatMlflowAccepts(string key)
    {
        Assert.IsNull(RunKeyRules.Problem(key));
    }

    [TestMethod]
    [DataRow("", "empty")]
    [DataRow("/test/auc", "leading or trailing")]
    [DataRow("test/auc/", "leading or trailing")]
    [DataRow("test//auc", "'//'")]
    [DataRow("test/../auc", "'..'")]
    [DataRow("./auc", "'.'")]
    [DataRow("auc%", "'%'")]
    [DataRow("a,b", "','")]
    public void Problem_RefusesWhatMlflowRefuses(string key, string expected)
    {
        var problem = RunKeyRules.Problem(key);

        Assert.IsNotNull(problem, key);
        Assert.Contains(expected, problem);
    }

    [TestMethod]
    public void Problem_KeyLongerThan250_IsRefused()
    {
        Assert.IsNull(RunKeyRules.Problem(new string('k', 250)));
        Assert.Contains("251 characters", RunKeyRules.Problem(new string('k', 251))!);
    }

    [TestMethod]
    public void ThrowIfInvalidKey_NamesKindKeyAndOrigin()
    {
        var error = MlfAssert.Throws(MlfError.RunKeyInvalid, () => RunKeyRules.ThrowIfInvalidKey("metric", "test/a|b", "the metrics file 'm.json'"));

        Assert.Contains("metric key 'test/a|b'", error.Message);
        Assert.Contains("the metrics file 'm.json'", error.Message);
        Assert.Contains("'|'", error.Message);
    }

    [TestMethod]
    public void ThrowIfInvalidParam_ValueOver6000_FailsWithParamValueTooLong()
    {
        RunKeyRules.ThrowIfInvalidParam("command_line", new string('x', 6000), "here");

        var error = MlfAssert.Throws(MlfError.ParamValueTooLong, () => RunKeyRules.ThrowIfInvalidParam("command_line", new string('x', 6001), "MlflowCommandLine"));

        Assert.Contains("6001", error.Message);
        Assert.Contains("MlflowConfigFile", error.Message);
    }
}
