using System.Globalization;
using System.Text.RegularExpressions;
using MlflowMsBuild.Core.Errors;

namespace MlflowMsBuild.Cli.Commands;

/// <summary>Durations (<c>30d</c>, <c>12h</c>) and sizes (<c>20GiB</c>, <c>500MB</c>) as a shell user writes them.</summary>
internal static partial class ValueParsers
{
    [GeneratedRegex(@"\A(?<number>[0-9]+(\.[0-9]+)?)\s*(?<unit>[a-zA-Z]*)\z", RegexOptions.CultureInvariant)]
    private static partial Regex NumberWithUnit();

    /// <summary>A duration of at most <see cref="MaxDays"/> days; MLF7008 otherwise.</summary>
    public static TimeSpan Duration(string option, string text)
    {
        var (number, unit) = Split(option, text, "a number with a unit: 90m, 12h, 30d or 2w");
        var days = unit.ToLowerInvariant() switch
        {
            "m" or "min" => number / (24 * 60),
            "h" => number / 24,
            "d" => number,
            "w" => 7 * number,
            _ => throw Invalid(option, text, "the unit is m, h, d or w (90m, 12h, 30d, 2w)"),
        };

        // Longer ones overflowed TimeSpan, or the date they are subtracted from (MLF9999 in a new-user trial, issue 10).
        return days <= MaxDays ? TimeSpan.FromDays(days) : throw Invalid(option, text, $"at most {MaxDays}d (100 years)");
    }

    /// <summary>The longest duration: 100 years.</summary>
    public const int MaxDays = 36_500;

    public static long Size(string option, string text)
    {
        var (number, unit) = Split(option, text, "a size: 500MB, 20GiB or a number of bytes");
        long multiplier = unit.ToUpperInvariant() switch
        {
            "" or "B" => 1,
            "K" or "KB" => 1000,
            "KIB" => 1L << 10,
            "M" or "MB" => 1000_000,
            "MIB" => 1L << 20,
            "G" or "GB" => 1000_000_000,
            "GIB" => 1L << 30,
            "T" or "TB" => 1000_000_000_000,
            "TIB" => 1L << 40,
            _ => throw Invalid(option, text, "the unit is B, KB, MB, GB, TB (powers of 1000) or KiB, MiB, GiB, TiB (powers of 1024)"),
        };
        // Past long.MaxValue the conversion gave a negative limit, which would have pruned everything.
        var bytes = number * multiplier;
        return bytes < long.MaxValue ? (long)bytes : throw Invalid(option, text, "at most 8 EiB");
    }

    private static (double Number, string Unit) Split(string option, string text, string expected)
    {
        var match = NumberWithUnit().Match(text.Trim());
        return match.Success
            ? (double.Parse(match.Groups["number"].Value, CultureInfo.InvariantCulture), match.Groups["unit"].Value)
            : throw Invalid(option, text, "expected " + expected);
    }

    private static MlflowException Invalid(string option, string text, string reason) => new(MlfError.CommandValueInvalid, option, text, reason);
}
