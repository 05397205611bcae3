using MlflowMsBuild.Core.Errors;

namespace MlflowMsBuild.Core.Tests.Errors;

[TestClass]
public sealed class MessageTermsTests
{
    private static readonly MessageTerms Upper = new(Enum.GetValues<MessageSetting>().ToDictionary(s => s, s => "<" + s.ToString().ToUpperInvariant() + ">"));

    [TestMethod]
    public void Message_UsesMSBuildTerms_AsBefore()
    {
        var exception = new MlflowException(MlfError.DirtyWorkingTree, "/repo", "1 file changed");

        StringAssert.EndsWith(exception.Message, "Commit (or stash) the changes and publish again, or set MlflowAllowDirty=true to publish anyway (the version is then tagged mlflow_msbuild.git.dirty=true).");
    }

    [TestMethod]
    public void MessageFor_FillsTheHostsTerms_InTheTemplateAndInArguments()
    {
        var dirty = new MlflowException(MlfError.DirtyWorkingTree, "/repo", "1 file changed");
        var missing = new MlflowException(MlfError.EvaluationOutputMissing, "table", "/x/t.md", MessageSetting.TableItems);

        StringAssert.Contains(dirty.MessageFor(Upper), "or <ALLOWDIRTY> to publish anyway");
        StringAssert.EndsWith(missing.MessageFor(Upper), "or remove it from <TABLEITEMS>.");
        StringAssert.EndsWith(missing.Message, "or remove it from the MlflowTable items.");
    }

    [TestMethod]
    public void EscapedBraces_AreNotPlaceholders()
    {
        var message = MlflowException.Format(MlfError.MetricsFileInvalid, Upper, "m.json", "not JSON");

        StringAssert.Contains(message, "e.g. {\"test\": {\"accuracy\": 0.93}}");
    }

    [TestMethod]
    public void Terms_MustNameEverySetting()
    {
        Assert.ThrowsExactly<ArgumentException>(() => new MessageTerms(new Dictionary<MessageSetting, string> { [MessageSetting.Registry] = "--registry" }));
    }
}
