using MlflowMsBuild.Core.Credentials;
using MlflowMsBuild.Core.Credentials.Python;

namespace MlflowMsBuild.Core.Tests.Credentials.Python;

/// <summary>Expected values are what Python 3 prints for the same input.</summary>
[TestClass]
public sealed class PythonTextTests
{
    private static readonly Dictionary<string, string> Variables = new() { ["A"] = "1", ["B_2"] = "two", ["EMPTY"] = "" };

    [TestMethod]
    [DataRow("a b  c", new[] { "a", "b", "c" })]
    [DataRow("'a b' \"c d\"", new[] { "a b", "c d" })]
    [DataRow("a'b c'd", new[] { "ab cd" })]
    [DataRow("\"a\\\"b\\\\c\\d\"", new[] { "a\"b\\c\\d" })]
    [DataRow("a\\ b", new[] { "a b" })]
    [DataRow("''", new[] { "" })]
    [DataRow("x '' y", new[] { "x", "", "y" })]
    [DataRow("'a\\b'", new[] { "a\\b" })]
    [DataRow("\"$X\" '$Y'", new[] { "$X", "$Y" })]
    [DataRow("a\tb\nc", new[] { "a", "b", "c" })]
    [DataRow("  ", new string[0])]
    public void ShlexSplit_MatchesPython(string text, string[] expected)
    {
        CollectionAssert.AreEqual(expected, PythonText.ShlexSplit(text));
    }

    [TestMethod]
    [DataRow("'abc", "No closing quotation")]
    [DataRow("abc\\", "No escaped character")]
    [DataRow("\"abc\\", "No escaped character")]
    public void ShlexSplit_Errors_MatchPython(string text, string message)
    {
        var exception = Assert.ThrowsExactly<FormatException>(() => PythonText.ShlexSplit(text));
        Assert.AreEqual(message, exception.Message);
    }

    [TestMethod]
    [DataRow("$A/x", "1/x")]
    [DataRow("${A}b", "1b")]
    [DataRow("$UNSET/x", "$UNSET/x")]
    [DataRow("$", "$")]
    [DataRow("${}", "${}")]
    [DataRow("a$A$A", "a11")]
    [DataRow("$B_2-x", "two-x")]
    [DataRow("${B_2}", "two")]
    [DataRow("$A.b", "1.b")]
    [DataRow("x${UNSET}y", "x${UNSET}y")]
    [DataRow("$EMPTY|", "|")]
    [DataRow("${A", "${A")]
    [DataRow("%A%", "%A%")]
    public void ExpandVars_Posix_MatchesPython(string text, string expected)
    {
        Assert.AreEqual(expected, PythonText.ExpandVars(text, Lookup, windowsRules: false));
    }

    [TestMethod]
    [DataRow("%A%\\x", "1\\x")]
    [DataRow("100%%", "100%")]
    [DataRow("$$A", "$A")]
    [DataRow("'$A'", "'$A'")]
    [DataRow("%UNSET%", "%UNSET%")]
    [DataRow("$A-1", "$A-1")]
    [DataRow("${A}", "1")]
    [DataRow("%A", "%A")]
    [DataRow("$", "$")]
    public void ExpandVars_Windows_MatchesPython(string text, string expected)
    {
        Assert.AreEqual(expected, PythonText.ExpandVars(text, Lookup, windowsRules: true));
    }

    [TestMethod]
    [DataRow("~", "/home/u")]
    [DataRow("~/x/y", "/home/u/x/y")]
    [DataRow("~bob/x", "~bob/x")]
    [DataRow("a~/x", "a~/x")]
    [DataRow("/abs", "/abs")]
    public void ExpandUser_Posix(string text, string expected)
    {
        Assert.AreEqual(expected, PythonText.ExpandUser(text, "/home/u/", windowsRules: false));
    }

    [TestMethod]
    public void ExpandUser_WithoutHome_LeavesThePath()
    {
        Assert.AreEqual("~/x", PythonText.ExpandUser("~/x", null, windowsRules: false));
    }

    [TestMethod]
    public void ExpandUser_Windows_AcceptsBackslash()
    {
        Assert.AreEqual(@"C:\Users\u\x", PythonText.ExpandUser(@"~\x", @"C:\Users\u", windowsRules: true));
    }

    [TestMethod]
    public void Strip_AlsoRemovesPythonOnlyWhitespace()
    {
        Assert.AreEqual("a b", PythonText.Strip("\x1c \t a b\r\n\x1f"));
    }

    private static string? Lookup(string name) => Variables.TryGetValue(name, out var value) ? value : null;
}
