using MlflowMsBuild.Core.Versions;
using NuGetSemVer = NuGet.Versioning.SemanticVersion;

namespace MlflowMsBuild.Core.Tests.Versions;

/// <summary>SemVer 2.0.0 (https://semver.org): precedence by §11, acceptance by GitLab's rule, pins normalised as NuGet does.</summary>
[TestClass]
public sealed class SemanticVersionTests
{
    /// <summary>The examples of §11.2 and §11.4, each list in increasing precedence.</summary>
    public static IEnumerable<object[]> SpecificationChains =>
    [
        [new[] { "1.0.0", "2.0.0", "2.1.0", "2.1.1" }],
        [new[] { "1.0.0-alpha", "1.0.0" }],
        [new[] { "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0" }],
    ];

    [TestMethod]
    [DynamicData(nameof(SpecificationChains))]
    public void Precedence_FollowsEveryExampleOfTheSpecification(string[] chain)
    {
        for (var i = 0; i < chain.Length; i++)
        {
            for (var j = 0; j < chain.Length; j++)
            {
                Assert.AreEqual(i.CompareTo(j), Math.Sign(SemanticVersion.ComparePrecedence(chain[i], chain[j])), $"{chain[i]} against {chain[j]}");
            }
        }

        CollectionAssert.AreEqual(chain, chain.Reverse().Order(VersionOrder.Instance).ToArray());
        CollectionAssert.AreEqual(chain, chain.OrderBy(v => v.Length).ThenByDescending(v => v, StringComparer.Ordinal).Order(VersionOrder.Instance).ToArray());
    }

    [TestMethod]
    [DataRow("2.0.0-rc.2", "2.0.0-rc.10")]
    [DataRow("1.0.0-beta.9", "1.0.0-beta.10")]
    [DataRow("1.0.0-1", "1.0.0-alpha")]
    [DataRow("1.0.0-2.a", "1.0.0-10.a")]
    [DataRow("1.9.0", "1.10.0")]
    [DataRow("1.0.0-alpha.99999999999999999999", "1.0.0-alpha.100000000000000000000")]
    public void NumericIdentifiers_CompareAsNumbers_AndBeforeAlphanumericOnes(string lower, string higher)
    {
        Assert.IsLessThan(0, SemanticVersion.ComparePrecedence(lower, higher));
        Assert.IsGreaterThan(0, SemanticVersion.ComparePrecedence(higher, lower));
    }

    [TestMethod]
    [DataRow("1.0.0-B", "1.0.0-a")]
    [DataRow("1.0.0-RC.1", "1.0.0-rc.1")]
    [DataRow("1.0.0-rc10", "1.0.0-rc2")]
    public void AlphanumericIdentifiers_CompareInAsciiOrder(string lower, string higher) =>
        Assert.IsLessThan(0, SemanticVersion.ComparePrecedence(lower, higher));

    [TestMethod]
    [DataRow("1.0.0-alpha+001", "1.0.0-alpha")]
    [DataRow("1.0.0+20130313144700", "1.0.0")]
    [DataRow("1.0.0-beta+exp.sha.5114f85", "1.0.0-beta")]
    [DataRow("1.0.0+21AF26D3----117B344092BD", "1.0.0+1")]
    public void BuildMetadata_IsIgnoredInPrecedence(string x, string y)
    {
        Assert.AreEqual(0, SemanticVersion.ComparePrecedence(x, y));
        Assert.AreEqual(0, SemanticVersion.ComparePrecedence(y, x));
    }

    [TestMethod]
    [DataRow("4", "4.0.0")]
    [DataRow("1.2", "1.2.0")]
    [DataRow("1.2.3", "1.2.3")]
    [DataRow(" 1.2.3 ", "1.2.3")]
    [DataRow("0", "0.0.0")]
    [DataRow("4-rc.1", "4.0.0-rc.1")]
    [DataRow("1.2+build.7", "1.2.0+build.7")]
    [DataRow("2.0.1-rc2", "2.0.1-rc2")]
    [DataRow("1.0.0-0A.is.legal", "1.0.0-0A.is.legal")]
    [DataRow("2147483647.0.0", "2147483647.0.0")]
    public void Pins_AreNormalisedToThreeParts(string pin, string expected)
    {
        Assert.AreEqual(expected, SemanticVersion.Normalize(pin));
        Assert.AreEqual(0, SemanticVersion.ComparePrecedence(pin, expected));
    }

    [TestMethod]
    [DataRow("")]
    [DataRow("v1.0.0")]
    [DataRow("1.2.3.4")]
    [DataRow("01.0.0")]
    [DataRow("1.00.0")]
    [DataRow("1.0.0-01")]
    [DataRow("1.0.0-alpha..1")]
    [DataRow("1.0.0-")]
    [DataRow("1.0.0+")]
    [DataRow("1.0.0-x_y")]
    [DataRow("1.")]
    [DataRow("+1.0.0")]
    [DataRow("-1.0.0")]
    [DataRow("1. 0.0")]
    [DataRow("latest")]
    [DataRow("@champion")]
    [DataRow("2147483648.0.0")]
    public void NonSemVer_IsRefused(string text)
    {
        Assert.IsNull(SemanticVersion.Normalize(text));
        Assert.ThrowsExactly<ArgumentException>(() => SemanticVersion.ComparePrecedence(text, "1.0.0"));
    }

    [TestMethod]
    [DataRow("1.2.3", true)]
    [DataRow("1.2.3-rc.1+b", true)]
    [DataRow("4", false)]
    [DataRow("1.2", false)]
    [DataRow("1.2-rc.1.2", false)]
    [DataRow("01.2.3", false)]
    public void Complete_MeansThreeParts_AsGitLabRequiresOnCreation(string text, bool complete) =>
        Assert.AreEqual(complete, SemanticVersion.IsComplete(text));

    /// <summary>The acceptance is GitLab's expression; NuGet's strict parser, which gives the value, must agree on complete versions.</summary>
    [TestMethod]
    [DataRow("1.0.0")]
    [DataRow("1.0.0-alpha.1+build.2")]
    [DataRow("1.2.3.4")]
    [DataRow("01.0.0")]
    [DataRow("1.0.0-01")]
    [DataRow("1.0.0-a..b")]
    [DataRow("1.0.0-x_y")]
    [DataRow("1.0.0 ")]
    [DataRow("+1.0.0")]
    [DataRow("1.0.0+build.01")]
    public void NuGetStrictParsing_AgreesWithGitLabsRule(string text) =>
        Assert.AreEqual(NuGetSemVer.TryParse(text, out _), SemanticVersion.Normalize(text) == text);
}
