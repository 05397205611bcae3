namespace MlflowMsBuild.Core.Versions;

/// <summary>
/// Orders exact versions as registries number them: whole numbers numerically (MLflow, the embedded registry:
/// 10 after 9), SemVer by precedence (GitLab: 1.10.0 after 1.9.0, 2.0.0-rc.10 after 2.0.0-rc.2, 2.0.0 after both).
/// A whole number next to a SemVer counts as N.0.0; text that is neither comes last. Versions of equal
/// precedence (<c>1.0.0+a</c>, <c>1.0.0+b</c>) are ordered by their text, so that the order is total.
/// </summary>
public sealed class VersionOrder : IComparer<string>
{
    public static VersionOrder Instance { get; } = new();

    /// <summary>
    /// The candidates for <c>latest</c>, best first: releases by descending precedence, then pre-releases by
    /// descending precedence (as NuGet's floating versions: <c>latest</c> is the highest release when there is one),
    /// then text that is no version.
    /// </summary>
    public static IReadOnlyList<string> LatestFirst(IEnumerable<string> versions) =>
        versions.OrderBy(Kind).ThenByDescending(v => v, Instance).ToList();

    /// <summary>True for a SemVer with a pre-release part (<c>2.0.0-rc.1</c>, not <c>2.0.0+build-7</c>).</summary>
    public static bool IsPrerelease(string version) => Kind(version) == VersionKind.Prerelease;

    private static VersionKind Kind(string version) =>
        WholeNumberVersion.IsWholeNumber(version) ? VersionKind.Release
        : SemanticVersion.Parse(version) is { } semver ? (semver.IsPrerelease ? VersionKind.Prerelease : VersionKind.Release)
        : VersionKind.None;

    public int Compare(string? x, string? y)
    {
        if (x is null || y is null)
        {
            return string.CompareOrdinal(x, y);
        }

        var order = (WholeNumberVersion.IsWholeNumber(x) && WholeNumberVersion.IsWholeNumber(y))
            ? Precedence.CompareDigits(x.TrimStart('0'), y.TrimStart('0'))
            : (SemanticVersion.Parse(x), SemanticVersion.Parse(y)) switch
            {
                ({ } a, { } b) => Precedence.Compare(a, b),
                (null, { }) => 1,
                ({ }, null) => -1,
                _ => 0,
            };
        return order != 0 ? order : string.CompareOrdinal(x, y);
    }

    private enum VersionKind
    {
        Release,
        Prerelease,
        None,
    }
}
