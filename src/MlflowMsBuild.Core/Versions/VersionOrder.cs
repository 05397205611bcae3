using System.Globalization;

namespace MlflowMsBuild.Core.Versions;

/// <summary>
/// Orders exact versions as registries number them: whole numbers numerically (MLflow, the embedded registry),
/// SemVer by precedence (GitLab: 1.10.0 after 1.9.0, 2.0.0-rc1 before 2.0.0).
/// </summary>
internal sealed class VersionOrder : IComparer<string>
{
    public static VersionOrder Instance { get; } = new();

    public int Compare(string? x, string? y)
    {
        if (x is null || y is null)
        {
            return string.CompareOrdinal(x, y);
        }

        var (xCore, xPre) = Split(x);
        var (yCore, yPre) = Split(y);
        for (var i = 0; i < Math.Max(xCore.Length, yCore.Length); i++)
        {
            var a = i < xCore.Length ? xCore[i] : 0;
            var b = i < yCore.Length ? yCore[i] : 0;
            if (a != b)
            {
                return a.CompareTo(b);
            }
        }

        // A release follows its pre-releases.
        return (xPre, yPre) switch
        {
            (null, null) => string.CompareOrdinal(x, y),
            (null, _) => 1,
            (_, null) => -1,
            _ => string.CompareOrdinal(xPre, yPre),
        };
    }

    private static (long[] Core, string? PreRelease) Split(string version)
    {
        var text = version.Split('+')[0];
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        var core = dash < 0 ? text : text[..dash];
        var numbers = core.Split('.').Select(p => long.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1).ToArray();
        return (numbers, dash < 0 ? null : text[(dash + 1)..]);
    }
}
