using System.Globalization;
using MlflowMsBuild.Core.Cache;
using MlflowMsBuild.Core.Restore;

namespace MlflowMsBuild.Cli.Output;

internal static class Formats
{
    public static string Size(long bytes) => RestoreSummary.FormatSize(bytes);

    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    public static string Number(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    public static string ShortCommit(string? sha) => sha is null ? "-" : sha[..Math.Min(12, sha.Length)];
}
