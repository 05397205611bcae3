using MlflowMsBuild.Core.Naming;

namespace MlflowMsBuild.Core.Tests.Naming;

[TestClass]
public sealed class ModelFolderNameTests
{
    [TestMethod]
    [DataRow("test-classifier")]
    [DataRow("doc-layout_v2.1+onnx")]
    [DataRow("test-x a")]
    [DataRow("modèle")]
    public void PortableNames_AreTheirOwnFolder(string name) => Assert.AreEqual(name, ModelFolderName.Of(name));

    [TestMethod]
    [DataRow("test-x/b", "test-x%2Fb")]
    [DataRow("test-x:c", "test-x%3Ac")]
    [DataRow("test-x%2Fb", "test-x%252Fb")]
    [DataRow("a*b?c\"d<e>f|g\\h", "a%2Ab%3Fc%22d%3Ce%3Ef%7Cg%5Ch")]
    [DataRow("..", ".%2E")]
    [DataRow(".", "%2E")]
    [DataRow("test-x.", "test-x%2E")]
    [DataRow("aux", "%61ux")]
    [DataRow("CON.model", "%43ON.model")]
    public void NamesWindowsOrLinuxCannotHold_ArePercentEscaped(string name, string folder) => Assert.AreEqual(folder, ModelFolderName.Of(name));

    [TestMethod]
    public void TheMapping_IsOneToOne()
    {
        string[] names = ["test-x/b", "test-x%2Fb", "test-x%252Fb", "test-x:b", "test-x%3Ab"];
        Assert.HasCount(names.Length, names.Select(ModelFolderName.Of).Distinct(StringComparer.Ordinal).ToList());
    }

    [TestMethod]
    public void LongNames_AreCutAndEndWithAHashOfTheWholeName()
    {
        var a = ModelFolderName.Of("test-" + new string('/', 100) + "a");
        var b = ModelFolderName.Of("test-" + new string('/', 100) + "b");

        Assert.HasCount(ModelFolderName.MaxLength, a);
        Assert.AreNotEqual(a, b);
        Assert.StartsWith("test-%2F%2F", a);
    }

    [TestMethod]
    [DataRow("CON")]
    [DataRow("aux.txt")]
    [DataRow("Lpt1.log")]
    [DataRow("com\u00b9")]
    [DataRow("a:b")]
    [DataRow("x*")]
    [DataRow("trailing.")]
    [DataRow("trailing ")]
    [DataRow("tab\there")]
    public void WindowsNames_RefuseWhatWindowsCannotHold(string segment) => Assert.IsNotNull(WindowsNames.WhyNotAllowed(segment));

    [TestMethod]
    [DataRow("console.txt")]
    [DataRow("auxiliary")]
    [DataRow("com10")]
    [DataRow("plus+semi;colon #hash %41 é.txt")]
    public void WindowsNames_AcceptTheRest(string segment) => Assert.IsNull(WindowsNames.WhyNotAllowed(segment));
}
