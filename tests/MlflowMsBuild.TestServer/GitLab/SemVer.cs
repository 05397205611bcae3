using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;

namespace MlflowMsBuild.TestServer.GitLab;

/// <summary>Semantic versions as GitLab's Packages::SemVer parses them, with SemVer 2.0 precedence.</summary>
internal sealed partial record SemVer(BigInteger Major, BigInteger Minor, BigInteger Patch, string? Prerelease, string? Build) : IComparable<SemVer>
{
    [GeneratedRegex(@"\A(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?\z")]
    private static partial Regex Pattern();

    public static SemVer? Parse(string? text)
    {
        if (text is null) return null;
        var m = Pattern().Match(text);
        if (!m.Success) return null;
        return new SemVer(
            BigInteger.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture),
            BigInteger.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture),
            BigInteger.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture),
            m.Groups[4].Success ? m.Groups[4].Value : null,
            m.Groups[5].Success ? m.Groups[5].Value : null);
    }

    /// <summary>The version after <paramref name="highest"/> (1.0.0 when there is none).</summary>
    public static string Next(string? highest, SemVerIncrement increment)
    {
        var current = Parse(highest);
        if (current is null) return "1.0.0";
        return increment == SemVerIncrement.Major
            ? $"{current.Major + 1}.0.0"
            : $"{current.Major}.{current.Minor}.{current.Patch + 1}";
    }

    public int CompareTo(SemVer? other)
    {
        if (other is null) return 1;
        var core = Major != other.Major ? Major.CompareTo(other.Major)
            : Minor != other.Minor ? Minor.CompareTo(other.Minor)
            : Patch.CompareTo(other.Patch);
        if (core != 0) return core;
        if (Prerelease == other.Prerelease) return 0;
        if (Prerelease is null) return 1;
        if (other.Prerelease is null) return -1;
        var a = Prerelease.Split('.');
        var b = other.Prerelease.Split('.');
        for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            var aNumeric = BigInteger.TryParse(a[i], NumberStyles.None, CultureInfo.InvariantCulture, out var an);
            var bNumeric = BigInteger.TryParse(b[i], NumberStyles.None, CultureInfo.InvariantCulture, out var bn);
            var order = (aNumeric, bNumeric) switch
            {
                (true, true) => an.CompareTo(bn),
                (true, false) => -1,
                (false, true) => 1,
                _ => string.CompareOrdinal(a[i], b[i]),
            };
            if (order != 0) return order;
        }
        return a.Length.CompareTo(b.Length);
    }

    /// <summary>Orders version strings by SemVer precedence (unparsable ones first).</summary>
    public static IComparer<string> StringComparer { get; } = Comparer<string>.Create((x, y) =>
        (Parse(x), Parse(y)) switch
        {
            (null, null) => string.CompareOrdinal(x, y),
            (null, _) => -1,
            (_, null) => 1,
            var (a, b) => a.CompareTo(b),
        });
}
