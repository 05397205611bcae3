using MlflowMsBuild.Core.Credentials;
using MlflowMsBuild.Core.Credentials.Python;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Tests.TestUtilities;

namespace MlflowMsBuild.Core.Tests.Credentials.Python;

/// <summary>Expected values are what Python 3's configparser.ConfigParser() gives for the same text.</summary>
[TestClass]
public sealed class ConfigParserFileTests
{
    [TestMethod]
    public void BothDelimiters_KeysCaseInsensitive_SectionsCaseSensitive()
    {
        var file = Parse("[Main]\n  key with space  =  v  \nURL: https://gitlab.example.com\nPrivate_Token = abc\nk : v = w\n");

        Assert.AreEqual("https://gitlab.example.com", file.Get("Main", "url"));
        Assert.AreEqual("abc", file.Get("Main", "PRIVATE_TOKEN"));
        Assert.AreEqual("v = w", file.Get("Main", "k"));
        Assert.AreEqual("v", file.Get("Main", "key with space"));
        Assert.IsNull(file.Get("main", "url"));
        CollectionAssert.AreEqual(new[] { "Main" }, file.Sections.ToList());
    }

    [TestMethod]
    public void Comments_AreWholeLinesOnly()
    {
        var file = Parse("# top\n; also\n[a]\n  # indented comment\nk = v ; not a comment # nor this\n");

        Assert.AreEqual("v ; not a comment # nor this", file.Get("a", "k"));
        CollectionAssert.AreEqual(new[] { "k" }, file.Keys("a").ToList());
    }

    [TestMethod]
    public void ContinuationLines_KeepInnerBlankLines_DropTrailingOnes_SkipComments()
    {
        var file = Parse("[main]\nmulti = first\n   second\n\n   third\n   # comment in value\n   fourth\n\n\n[next]\nk=1\n");

        Assert.AreEqual("first\nsecond\n\nthird\nfourth", file.Get("main", "multi"));
        Assert.AreEqual("1", file.Get("next", "k"));
    }

    [TestMethod]
    public void ContinuationLine_AfterAnEmptyValue_KeepsTheLeadingNewline()
    {
        Assert.AreEqual("\nj = 2", Parse("[a]\nk =\n  j = 2\n").Get("a", "k"));
    }

    [TestMethod]
    public void IndentedLine_AfterASectionHeader_IsNotAContinuation()
    {
        var file = Parse("[a]\n  [b]\nk=1\n");
        CollectionAssert.AreEqual(new[] { "a", "b" }, file.Sections.ToList());
        Assert.AreEqual("1", file.Get("b", "k"));
    }

    [TestMethod]
    public void IndentedSectionHeader_AfterAKey_IsAContinuation()
    {
        var file = Parse("[a]\nk=1\n  [b]\n");
        Assert.AreEqual("1\n[b]", file.Get("a", "k"));
        Assert.IsFalse(file.HasSection("b"));
    }

    [TestMethod]
    public void SectionHeader_RunsToTheLastBracket()
    {
        var file = Parse("[sec] trailing\nk=1\n[a]]\nj=2\n[ spaced ]\ni=3\n");
        CollectionAssert.AreEqual(new[] { "sec", "a]", " spaced " }, file.Sections.ToList());
    }

    [TestMethod]
    public void CrLfAndCr_LineEndings()
    {
        Assert.AreEqual("1\nmore", Parse("[a]\r\nk=1\r\n  more\r\n").Get("a", "k"));
        Assert.AreEqual("1", Parse("[a]\rk=1\r").Get("a", "k"));
    }

    [TestMethod]
    public void DefaultSection_IsInheritedAndNotListed()
    {
        var file = Parse("[DEFAULT]\nbase = /srv\n[DEFAULT]\nother = 2\n[a]\nk = %(base)s/x\n[b]\nbase = /opt\n");

        CollectionAssert.AreEqual(new[] { "a", "b" }, file.Sections.ToList());
        Assert.IsFalse(file.HasSection("DEFAULT"));
        Assert.AreEqual("/srv", file.Get("a", "base"));
        Assert.AreEqual("/opt", file.Get("b", "base"));
        Assert.AreEqual("/srv/x", file.Get("a", "k"));
        Assert.AreEqual("2", file.Get("DEFAULT", "other"));
        Assert.IsNull(file.Get("missing", "base"));
    }

    [TestMethod]
    public void Interpolation_NestedCaseInsensitiveAndPercentPercent()
    {
        var file = Parse("[a]\nk=%(x)s\nx=%(Y)s\ny=final\nK2=%(Other)s\nOTHER=1\npct = abc%%def\nlit = 50%%\n");

        Assert.AreEqual("final", file.Get("a", "k"));
        Assert.AreEqual("1", file.Get("a", "k2"));
        Assert.AreEqual("abc%def", file.Get("a", "pct"));
        Assert.AreEqual("50%", file.Get("a", "lit"));
        Assert.AreEqual("abc%%def", file.GetRaw("a", "pct"));
    }

    [TestMethod]
    [DataRow("k=100%", "'%' must be followed")]
    [DataRow("k=%x", "'%' must be followed")]
    [DataRow("k=%(x)", "not followed by name)s")]
    [DataRow("k=%()s", "not followed by name)s")]
    [DataRow("k=%(missing)s", "%(missing)s")]
    [DataRow("k=%(k)s", "more than 10 levels")]
    public void Interpolation_Errors(string line, string reason)
    {
        var file = Parse("[a]\n" + line + "\n");
        var exception = MlfAssert.Throws(MlfError.ConfigValueInvalid, () => file.Get("a", "k"));
        Assert.Contains(reason, exception.Message);
        Assert.Contains("test.cfg line 2", exception.Message);
    }

    [TestMethod]
    public void Interpolation_TenLevelsAreFine()
    {
        var text = "[a]\nv0 = end\n" + string.Concat(Enumerable.Range(1, 9).Select(i => $"v{i} = %(v{i - 1})s\n"));
        Assert.AreEqual("end", Parse(text).Get("a", "v9"));
    }

    [TestMethod]
    [DataRow("k=1\n", 1, "before any [section]")]
    [DataRow("\n# c\n[a]\nk=1\nk=2\n", 5, "the key 'k' appears twice")]
    [DataRow("[a]\n[b]\n[a]\n", 3, "the section [a] appears twice")]
    [DataRow("[a]\njust words\n", 2, "neither a [section] header")]
    [DataRow("[a]\n= v\n", 2, "no key")]
    [DataRow("[DEFAULT]\nx=1\nx=2\n", 3, "the key 'x' appears twice")]
    public void ParseErrors_NameFileAndLine(string text, int line, string reason)
    {
        var exception = MlfAssert.Throws(MlfError.ConfigFileInvalid, () => Parse(text));
        Assert.Contains($"'test.cfg' cannot be read as an INI file at line {line}:", exception.Message);
        Assert.Contains(reason, exception.Message);
    }

    [TestMethod]
    public void LaterText_OverridesKeysAndMayRepeatSections()
    {
        var file = new ConfigParserFile();
        file.ReadText("[a]\nk = 1\nj = 1\n", "first.cfg");
        file.ReadText("[a]\nk = 2\n[b]\nx = 3\n", "second.cfg");

        Assert.AreEqual("2", file.Get("a", "k"));
        Assert.AreEqual("1", file.Get("a", "j"));
        Assert.AreEqual("second.cfg line 2", file.SourceOf("a", "k"));
        Assert.AreEqual("first.cfg line 3", file.SourceOf("a", "j"));
        CollectionAssert.AreEqual(new[] { "a", "b" }, file.Sections.ToList());
        CollectionAssert.AreEqual(new[] { "first.cfg", "second.cfg" }, file.Sources.ToList());
    }

    private static ConfigParserFile Parse(string text) => ConfigParserFile.Parse(text, "test.cfg");
}
