using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Restore;
using MlflowMsBuild.Core.Tests.TestUtilities;

namespace MlflowMsBuild.Core.Tests.Restore;

/// <summary>The one check of a model reference where it enters: name, version spec, and that the spec can name a folder.</summary>
[TestClass]
public sealed class ModelReferenceTests
{
    [TestMethod]
    public void Create_TrimsBothParts()
    {
        var reference = ModelReference.Create("  test-model ", " @champion\t");

        Assert.AreEqual("test-model", reference.Name);
        Assert.AreEqual("@champion", reference.VersionSpec);
        Assert.IsTrue(reference.IsFloating);
        Assert.IsFalse(reference.IsLatest);
    }

    [TestMethod]
    [DataRow("3", false, false)]
    [DataRow("1.2.0", false, false)]
    [DataRow("@champion", true, false)]
    [DataRow("latest", true, true)]
    [DataRow("Latest", true, true)]
    public void FloatingAndLatest(string spec, bool floating, bool latest)
    {
        var reference = ModelReference.Create("test-model", spec);

        Assert.AreEqual(floating, reference.IsFloating);
        Assert.AreEqual(latest, reference.IsLatest);
    }

    [TestMethod]
    [DataRow("")]
    [DataRow("\t")]
    [DataRow("has\nnewline")]
    public void Create_InvalidName_FailsWithMLF1002(string name) =>
        MlfAssert.Throws(MlfError.ModelNameInvalid, () => ModelReference.Create(name, "1"));

    [TestMethod]
    [DataRow("")]
    [DataRow("   ")]
    public void Create_NoVersion_FailsWithMLF1008(string spec)
    {
        var error = MlfAssert.Throws(MlfError.ModelReferenceVersionMissing, () => ModelReference.Create("test-model", spec));

        Assert.Contains("'test-model'", error.Message);
    }

    [TestMethod]
    [DataRow("..")]
    [DataRow(".")]
    [DataRow("1/2")]
    [DataRow("..\\evil")]
    [DataRow("c:1")]
    [DataRow("1\0")]
    public void Create_SpecThatCannotNameAFolder_FailsWithMLF1003(string spec)
    {
        var error = MlfAssert.Throws(MlfError.VersionSpecInvalid, () => ModelReference.Create("test-model", spec));

        Assert.Contains("model reference", error.Message);
    }

    [TestMethod]
    public void Merge_KeepsOneOfEachDuplicate_InFirstSeenOrder()
    {
        var merged = ModelReference.Merge([
            ModelReference.Create("test-b", "1"), ModelReference.Create("test-a", "latest"),
            ModelReference.Create(" test-b ", "1 "), ModelReference.Create("test-a", "LATEST")]);

        CollectionAssert.AreEqual(new[] { "test-b 1", "test-a latest" }, merged.Select(r => r.ToString()).ToArray());
    }

    [TestMethod]
    public void Merge_TwoVersionsOfOneModel_IsACodedErrorNamingBoth()
    {
        var error = MlfAssert.Throws(MlfError.ModelReferenceConflict,
            () => ModelReference.Merge([ModelReference.Create("test-x", "latest"), ModelReference.Create("test-y", "2"), ModelReference.Create("test-x", "1")]));

        Assert.Contains("'test-x'", error.Message);
        Assert.Contains("Version=\"latest\"", error.Message);
        Assert.Contains("Version=\"1\"", error.Message);
    }
}
