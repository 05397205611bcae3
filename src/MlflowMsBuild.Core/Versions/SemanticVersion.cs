using System.Text.RegularExpressions;

namespace MlflowMsBuild.Core.Versions;

/// <summary>
/// GitLab's model versions are SemVer 2.0 (<c>1.2.0</c>, <c>2.0.1-rc2</c>). A pin is normalised the way NuGet
/// normalises versions: missing minor and patch parts are zero, so <c>4</c> means <c>4.0.0</c>.
/// </summary>
public static partial class SemanticVersion
{
    // https://semver.org regular expression, with minor and patch optional for pins.
    [GeneratedRegex(@"^(0|[1-9]\d*)(?:\.(0|[1-9]\d*))?(?:\.(0|[1-9]\d*))?(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    /// <summary>The full SemVer of a pin, or null when it is not one.</summary>
    public static string? Normalize(string text)
    {
        var match = Pattern().Match(text.Trim());
        if (!match.Success)
        {
            return null;
        }

        var core = $"{match.Groups[1].Value}.{Part(match.Groups[2])}.{Part(match.Groups[3])}";
        var pre = match.Groups[4].Success ? "-" + match.Groups[4].Value : "";
        var build = match.Groups[5].Success ? "+" + match.Groups[5].Value : "";
        return core + pre + build;
    }

    /// <summary>True for a complete SemVer (three parts), as GitLab requires on creation.</summary>
    public static bool IsComplete(string text) => Normalize(text) == text.Trim() && text.Count(c => c == '.') >= 2;

    private static string Part(Group group) => group.Success ? group.Value : "0";
}
