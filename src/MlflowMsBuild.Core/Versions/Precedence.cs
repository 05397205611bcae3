using NuGet.Versioning;
using NuGetSemVer = NuGet.Versioning.SemanticVersion;

namespace MlflowMsBuild.Core.Versions;

/// <summary>
/// SemVer 2.0.0 §11 precedence (https://semver.org/#spec-item-11). NuGet's own comparer compares pre-release
/// labels ignoring case; SemVer compares them in ASCII order (<c>1.0.0-B</c> before <c>1.0.0-a</c>), so only the
/// version core is left to NuGet.
/// </summary>
internal static class Precedence
{
    public static int Compare(NuGetSemVer x, NuGetSemVer y)
    {
        var core = VersionComparer.Version.Compare(x, y);
        if (core != 0)
        {
            return core;
        }

        // §11.3: a pre-release has lower precedence than its release.
        return (x.IsPrerelease, y.IsPrerelease) switch
        {
            (false, false) => 0,
            (false, true) => 1,
            (true, false) => -1,
            _ => CompareLabels(x.ReleaseLabels.ToList(), y.ReleaseLabels.ToList()),
        };
    }

    /// <summary>§11.4: identifier by identifier; a longer list wins when all before are equal.</summary>
    private static int CompareLabels(List<string> x, List<string> y)
    {
        for (var i = 0; i < Math.Min(x.Count, y.Count); i++)
        {
            var order = CompareIdentifiers(x[i], y[i]);
            if (order != 0)
            {
                return order;
            }
        }

        return x.Count.CompareTo(y.Count);
    }

    /// <summary>§11.4.1–3: numeric identifiers numerically and before alphanumeric ones, those in ASCII order.</summary>
    private static int CompareIdentifiers(string x, string y)
    {
        var xNumeric = IsNumeric(x);
        var yNumeric = IsNumeric(y);
        return (xNumeric, yNumeric) switch
        {
            (true, true) => CompareDigits(x, y),
            (true, false) => -1,
            (false, true) => 1,
            _ => string.CompareOrdinal(x, y),
        };
    }

    private static bool IsNumeric(string identifier) => identifier.All(char.IsAsciiDigit);

    /// <summary>Digit strings without leading zeros, of any length: the longer is the larger.</summary>
    internal static int CompareDigits(string x, string y) =>
        x.Length != y.Length ? x.Length.CompareTo(y.Length) : string.CompareOrdinal(x, y);
}
