using System.Text.RegularExpressions;
using NuGetSemVer = NuGet.Versioning.SemanticVersion;

namespace MlflowMsBuild.Core.Versions;

/// <summary>
/// GitLab's model versions are SemVer 2.0.0 (<c>1.2.0</c>, <c>2.0.1-rc.2</c>). A pin is normalised the way NuGet
/// normalises versions: missing minor and patch parts are zero, so <c>4</c> means <c>4.0.0</c>. Acceptance is
/// GitLab's rule (the semver.org expression: no leading zeros, no fourth part, no <c>v</c> prefix); the parsed
/// value comes from NuGet.Versioning's strict SemVer parser, which also caps each numeric part at 2147483647.
/// </summary>
public static partial class SemanticVersion
{
    // https://semver.org regular expression, with minor and patch optional for pins.
    [GeneratedRegex(@"^(0|[1-9]\d*)(?:\.(0|[1-9]\d*))?(?:\.(0|[1-9]\d*))?(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    /// <summary>The full SemVer of a pin (<c>4</c> → <c>4.0.0</c>, <c>1.2-rc.1</c> → <c>1.2.0-rc.1</c>), or null when it is not one.</summary>
    public static string? Normalize(string text) => Parse(text)?.ToFullString();

    /// <summary>True for a complete SemVer (three parts), as GitLab requires on creation.</summary>
    public static bool IsComplete(string text) => Normalize(text) == text.Trim() && text.Count(c => c == '.') >= 2;

    /// <summary>
    /// SemVer 2.0.0 §11 precedence of two versions (pins allowed: <c>4</c> is <c>4.0.0</c>): negative, zero or
    /// positive. Build metadata is ignored, so <c>1.0.0+a</c> and <c>1.0.0+b</c> have the same precedence.
    /// Throws <see cref="ArgumentException"/> when either is not SemVer.
    /// </summary>
    public static int ComparePrecedence(string x, string y) =>
        Precedence.Compare(
            Parse(x) ?? throw new ArgumentException($"'{x}' is not a SemVer 2.0.0 version.", nameof(x)),
            Parse(y) ?? throw new ArgumentException($"'{y}' is not a SemVer 2.0.0 version.", nameof(y)));

    /// <summary>The version a pin or complete SemVer names, or null when GitLab's rule (or NuGet's parser) refuses it.</summary>
    internal static NuGetSemVer? Parse(string text)
    {
        var match = Pattern().Match(text.Trim());
        if (!match.Success)
        {
            return null;
        }

        var core = $"{match.Groups[1].Value}.{Part(match.Groups[2])}.{Part(match.Groups[3])}";
        var pre = match.Groups[4].Success ? "-" + match.Groups[4].Value : "";
        var build = match.Groups[5].Success ? "+" + match.Groups[5].Value : "";
        return NuGetSemVer.TryParse(core + pre + build, out var version) ? version : null;
    }

    private static string Part(Group group) => group.Success ? group.Value : "0";
}
