using MlflowMsBuild.Core.Errors;

namespace MlflowMsBuild.Core.Tests.Errors;

[TestClass]
public sealed class PluralTests
{
    [TestMethod]
    [DataRow(0L, "0 files")]
    [DataRow(1L, "1 file")]
    [DataRow(2L, "2 files")]
    [DataRow(12345L, "12345 files")]
    public void Of_AddsAnS_ExceptForOne(long count, string expected) => Assert.AreEqual(expected, Plural.Of(count, "file"));

    [TestMethod]
    public void Of_TakesAnIrregularPlural()
    {
        Assert.AreEqual("1 entry", Plural.Of(1, "entry", "entries"));
        Assert.AreEqual("3 entries", Plural.Of(3, "entry", "entries"));
    }
}
