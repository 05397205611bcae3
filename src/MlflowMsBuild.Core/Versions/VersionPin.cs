using System.Text.RegularExpressions;

namespace MlflowMsBuild.Core.Versions;

/// <summary>
/// A version as a project writes it, before any registry reads it: NuGet's normalisation of the numeric release
/// parts (NuGet.Versioning's <c>NuGetVersion.ToNormalizedString</c>: <c>01</c> → <c>1</c>, <c>1.02.0</c> → <c>1.2.0</c>),
/// so that one version has one folder in <c>obj/models</c>, one key in the lock file and one value in the accessor.
/// Minor and patch parts are not added (<c>4</c> stays <c>4</c>), and anything else (aliases, <c>latest</c>) is kept.
/// </summary>
public static partial class VersionPin
{
    [GeneratedRegex(@"^(?<release>\d+(?:\.\d+)*)(?<rest>[-+].*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Release();

    /// <summary><paramref name="spec"/> with leading zeros dropped from its numeric release parts; otherwise unchanged.</summary>
    public static string Normalize(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var match = Release().Match(spec);
        if (!match.Success)
        {
            return spec;
        }

        var parts = match.Groups["release"].Value.Split('.').Select(p => p.TrimStart('0') is { Length: > 0 } digits ? digits : "0");
        return string.Join('.', parts) + match.Groups["rest"].Value;
    }
}
