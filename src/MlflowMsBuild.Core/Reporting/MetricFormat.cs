using System.Globalization;
using MlflowMsBuild.Core.Errors;

namespace MlflowMsBuild.Core.Reporting;

/// <summary>
/// How a results page writes a metric value: a .NET numeric format string (standard, e.g. <c>G6</c>, <c>F3</c>,
/// <c>P1</c>, or custom, e.g. <c>0.000</c>) with the invariant culture, so the page reads the same on every machine.
/// NaN and infinities are written as MLflow's JSON writes them (<c>NaN</c>, <c>Infinity</c>, <c>-Infinity</c>).
/// </summary>
public sealed class MetricFormat
{
    /// <summary>Six significant digits, as the model card writes metrics.</summary>
    public const string Default = "G6";

    private readonly string format;

    private MetricFormat(string format) => this.format = format;

    /// <summary>Checks <paramref name="format"/>: MLF1070 when .NET refuses it or it writes no digit of a number.</summary>
    public static MetricFormat Parse(string? format)
    {
        var text = string.IsNullOrWhiteSpace(format) ? Default : format.Trim();
        string sample;
        try
        {
            sample = 1234.5678.ToString(text, CultureInfo.InvariantCulture);
        }
        catch (FormatException e)
        {
            throw new MlflowException(MlfError.ReportNumberFormatInvalid, e, text, e.Message);
        }

        return sample.Any(char.IsAsciiDigit)
            ? new MetricFormat(text)
            : throw new MlflowException(MlfError.ReportNumberFormatInvalid, text, $"it writes 1234.5678 as '{sample}'.");
    }

    public string Format(double value) =>
        double.IsNaN(value) ? "NaN"
        : double.IsInfinity(value) ? (value > 0 ? "Infinity" : "-Infinity")
        : value.ToString(format, CultureInfo.InvariantCulture);

    public override string ToString() => format;
}
