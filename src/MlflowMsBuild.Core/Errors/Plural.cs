using System.Globalization;

namespace MlflowMsBuild.Core.Errors;

/// <summary>Counts in messages, in English as the messages are: "1 file", "3 files", "1 entry", "2 entries".</summary>
public static class Plural
{
    /// <param name="plural">The plural when it is not <paramref name="singular"/> + "s".</param>
    public static string Of(long count, string singular, string? plural = null) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} {(count == 1 ? singular : plural ?? singular + "s")}");
}
