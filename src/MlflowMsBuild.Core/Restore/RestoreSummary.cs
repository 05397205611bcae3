using System.Globalization;
using MlflowMsBuild.Core.Cache;
using MlflowMsBuild.Core.Errors;

namespace MlflowMsBuild.Core.Restore;

/// <summary>What one restore did, for its one summary line.</summary>
/// <param name="Bytes">The size of every model restored, cached or not.</param>
/// <param name="FromCache">Models placed without downloading anything.</param>
/// <param name="Downloaded">Models with at least one file downloaded.</param>
public sealed record RestoreSummary(int Models, long Bytes, int FromCache, int Downloaded, long DownloadedBytes, TimeSpan Elapsed)
{
    /// <summary>"3 models, 1.2 GiB: 2 from cache, 1 downloaded in 4.1 s".</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Plural.Of(Models, "model")}, {FormatSize(Bytes)}: {FromCache} from cache, {Downloaded} downloaded in {Elapsed.TotalSeconds:0.0} s");

    /// <summary>Binary units with one decimal: "300 B", "12.5 KiB", "1.2 GiB".</summary>
    public static string FormatSize(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes} B")
            : string.Create(CultureInfo.InvariantCulture, $"{value:0.0} {units[unit]}");
    }
}
