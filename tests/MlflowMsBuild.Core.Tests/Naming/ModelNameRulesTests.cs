using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Naming;
using MlflowMsBuild.Core.Tests.TestUtilities;

namespace MlflowMsBuild.Core.Tests.Naming;

[TestClass]
public sealed class ModelNameRulesTests
{
    [TestMethod]
    [DataRow("a")]
    [DataRow("test-classifier")]
    [DataRow("doc-layout_v2.1+onnx")]
    [DataRow("0model")]
    [DataRow("Model-With.All_Allowed+Chars")]
    [DataRow("test-x a")]
    [DataRow("test-x/b")]
    [DataRow("test-x:c")]
    [DataRow("test-x%d")]
    [DataRow("test-x@e")]
    [DataRow("-model")]
    [DataRow("..")]
    [DataRow("modèle")]
    [DataRow("test-model*")]
    public void ThrowIfInvalid_AcceptsWhatSomeRegistryAccepts(string name)
    {
        ModelNameRules.ThrowIfInvalid(name);
        ModelNameRules.ThrowIfBreaksConvention(name, []);
    }

    [TestMethod]
    [DataRow("test-model\n")]
    [DataRow("test\tmodel")]
    [DataRow("test\u0000model")]
    [DataRow(" test-model")]
    [DataRow("test-model ")]
    [DataRow("   ")]
    public void ThrowIfInvalid_RefusesControlCharactersAndOuterWhiteSpace(string name)
    {
        var error = MlfAssert.Throws(MlfError.ModelNameInvalid, () => ModelNameRules.ThrowIfInvalid(name));
        Assert.Contains($"'{name}'", error.Message);
    }

    [TestMethod]
    public void ThrowIfInvalid_RefusesEmptyName()
    {
        var error = MlfAssert.Throws(MlfError.ModelNameInvalid, () => ModelNameRules.ThrowIfInvalid(""));
        Assert.Contains("empty", error.Message);
    }

    [TestMethod]
    public void ThrowIfInvalid_AcceptsExactly256Characters()
    {
        ModelNameRules.ThrowIfInvalid("test-" + new string('x', 251));
    }

    [TestMethod]
    public void ThrowIfInvalid_Refuses257Characters()
    {
        var error = MlfAssert.Throws(MlfError.ModelNameInvalid, () => ModelNameRules.ThrowIfInvalid("test-" + new string('x', 252)));
        Assert.Contains("256", error.Message);
    }

    [TestMethod]
    [DataRow("doc-manual")]
    [DataRow("test-classifier")]
    public void DefaultConvention_AcceptsDocAndTestPrefixes(string name)
    {
        ModelNameRules.ThrowIfBreaksConvention(name, ModelNameRules.DefaultPrefixes);
    }

    [TestMethod]
    [DataRow("classifier")]
    [DataRow("Test-classifier")]
    [DataRow("tests-classifier")]
    [DataRow("doc_manual")]
    [DataRow("my-test-model")]
    public void DefaultConvention_RefusesOtherNamesAndNamesThePrefixes(string name)
    {
        var error = MlfAssert.Throws(MlfError.ModelNameConvention,
            () => ModelNameRules.ThrowIfBreaksConvention(name, ModelNameRules.DefaultPrefixes));
        Assert.AreEqual("MLF1001", error.Code);
        Assert.Contains($"'{name}'", error.Message);
        Assert.Contains("'doc-'", error.Message);
        Assert.Contains("'test-'", error.Message);
    }

    [TestMethod]
    [DataRow("doc-")]
    [DataRow("test-")]
    public void DefaultConvention_RefusesANameThatIsOnlyThePrefix(string name)
    {
        MlfAssert.Throws(MlfError.ModelNameConvention, () => ModelNameRules.ThrowIfBreaksConvention(name, ModelNameRules.DefaultPrefixes));
    }

    [TestMethod]
    public void DefaultPrefixes_AreDocAndTest()
    {
        CollectionAssert.AreEqual(new[] { "doc-", "test-" }, ModelNameRules.DefaultPrefixes.ToArray());
    }

    [TestMethod]
    public void ParsePrefixes_NotSet_GivesTheDefaults_WrittenAsDocTest()
    {
        Assert.AreSame(ModelNameRules.DefaultPrefixes, ModelNameRules.ParsePrefixes(null));
        Assert.AreEqual("doc-;test-", ModelNameRules.DefaultPrefixesSetting);
    }

    [TestMethod]
    [DataRow("", new string[0])]
    [DataRow(";", new string[0])]
    [DataRow(" prod. ; exp+;", new[] { "prod.", "exp+" })]
    public void ParsePrefixes_SplitsOnSemicolons_AndAnEmptySettingAllowsAnyName(string setting, string[] expected)
    {
        CollectionAssert.AreEqual(expected, ModelNameRules.ParsePrefixes(setting).ToArray());
    }

    [TestMethod]
    public void CustomPrefixes_ReplaceTheDefaults()
    {
        string[] prefixes = ["prod.", "exp+"];
        ModelNameRules.ThrowIfBreaksConvention("prod.classifier", prefixes);
        ModelNameRules.ThrowIfBreaksConvention("exp+classifier", prefixes);

        var error = MlfAssert.Throws(MlfError.ModelNameConvention, () => ModelNameRules.ThrowIfBreaksConvention("test-classifier", prefixes));
        Assert.Contains("'prod.' or 'exp+'", error.Message);
        Assert.DoesNotContain("'doc-'", error.Message);
    }

    [TestMethod]
    public void CustomPrefixes_RefuseANameThatIsOnlyThePrefix()
    {
        MlfAssert.Throws(MlfError.ModelNameConvention, () => ModelNameRules.ThrowIfBreaksConvention("prod.", ["prod."]));
    }

    [TestMethod]
    public void NoPrefixes_DisableTheConventionButNotTheCharacterRule()
    {
        ModelNameRules.ThrowIfBreaksConvention("classifier", []);
        MlfAssert.Throws(MlfError.ModelNameInvalid, () => ModelNameRules.ThrowIfBreaksConvention("bad\nname", []));
    }

    [TestMethod]
    public void Convention_ChecksCharactersFirst()
    {
        MlfAssert.Throws(MlfError.ModelNameInvalid, () => ModelNameRules.ThrowIfBreaksConvention("test-a\tb", ModelNameRules.DefaultPrefixes));
    }
}
