using MlflowMsBuild.Core.Naming;

namespace MlflowMsBuild.Core.Tests.Naming;

[TestClass]
public sealed class RelativePathRulesTests
{
    [TestMethod]
    [DataRow("model.onnx")]
    [DataRow("config/settings.json")]
    [DataRow("a b/%41.txt")]
    [DataRow("x%2Fy.bin")]
    [DataRow("...")]
    [DataRow(".hidden/..x")]
    [DataRow("unicodé.txt")]
    public void CanonicalRelativePaths_AreAccepted(string path) => Assert.IsNull(RelativePathRules.Problem(path));

    [TestMethod]
    [DataRow("", "empty")]
    [DataRow("model//tmp/x", "empty segment")]
    [DataRow("x/", "ends with '/'")]
    [DataRow("/tmp/x", "absolute")]
    [DataRow("C:/x", "absolute")]
    [DataRow("c:x", "absolute")]
    [DataRow("..", "'..' segment")]
    [DataRow("a/./b", "'.' segment")]
    [DataRow("a/%2e%2e/b", "'%2e%2e' segment")]
    [DataRow("%252E%252e", "'%252E%252e' segment")]
    [DataRow("a\\b", "backslash")]
    [DataRow("a\0b", "control character")]
    [DataRow("a\nb", "control character")]
    public void NonCanonicalPaths_AreRefusedWithTheReason(string path, string reason) =>
        Assert.Contains(reason, RelativePathRules.Problem(path) ?? "(accepted)");

    [TestMethod]
    public void Printable_WritesControlCharactersAsEscapes() =>
        Assert.AreEqual("a\\u0000b\\u000a", RelativePathRules.Printable("a\0b\n"));
}
