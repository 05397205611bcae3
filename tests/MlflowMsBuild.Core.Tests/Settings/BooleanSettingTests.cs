using MlflowMsBuild.Core.Credentials;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Settings;
using MlflowMsBuild.Core.Tests.TestUtilities;

namespace MlflowMsBuild.Core.Tests.Settings;

[TestClass]
public sealed class BooleanSettingTests
{
    [TestMethod]
    [DataRow("true", true)]
    [DataRow("TRUE", true)]
    [DataRow(" True\t", true)]
    [DataRow("1", true)]
    [DataRow("false", false)]
    [DataRow("False", false)]
    [DataRow(" 0 ", false)]
    public void Parse_AcceptsTrueFalseOneZero_InAnyCase(string text, bool expected) =>
        Assert.AreEqual(expected, BooleanSetting.Parse("MlflowOffline", text));

    [TestMethod]
    [DataRow("yes")]
    [DataRow("on")]
    [DataRow("2")]
    [DataRow("")]
    [DataRow("t")]
    public void Parse_AnythingElse_FailsWithMLF5012_NamingTheSetting(string text)
    {
        var error = MlfAssert.Throws(MlfError.EnvironmentBooleanInvalid, () => BooleanSetting.Parse("MlflowUseLockFile", text));

        Assert.Contains($"MlflowUseLockFile is '{text}'", error.Message);
    }

    [TestMethod]
    public void ParseOptional_BlankIsNotSet()
    {
        Assert.IsNull(BooleanSetting.ParseOptional("X", null));
        Assert.IsNull(BooleanSetting.ParseOptional("X", "  "));
        Assert.IsFalse(BooleanSetting.ParseOptional("X", "0"));
    }

    [TestMethod]
    public void TryParse_RefusesWithoutAnError()
    {
        Assert.IsFalse(BooleanSetting.TryParse("yes", out _));
        Assert.IsFalse(BooleanSetting.TryParse(null, out _));
        Assert.IsTrue(BooleanSetting.TryParse("1", out var value) && value);
    }

    [TestMethod]
    public void Format_IsReadBackByParse()
    {
        Assert.IsTrue(BooleanSetting.Parse("X", BooleanSetting.Format(true)!));
        Assert.IsFalse(BooleanSetting.Parse("X", BooleanSetting.Format(false)!));
        Assert.IsNull(BooleanSetting.Format(null));
    }

    [TestMethod]
    public void EnvironmentIsTrue_UsesTheSameWords_AndIgnoresOthers()
    {
        var environment = CredentialEnvironment.FromVariables(new Dictionary<string, string> { ["A"] = "1", ["B"] = "TRUE", ["C"] = "yes", ["D"] = "false" }, null);

        Assert.IsTrue(environment.IsTrue("A"));
        Assert.IsTrue(environment.IsTrue("B"));
        Assert.IsFalse(environment.IsTrue("C"));
        Assert.IsFalse(environment.IsTrue("D"));
        Assert.IsFalse(environment.IsTrue("unset"));
    }
}
