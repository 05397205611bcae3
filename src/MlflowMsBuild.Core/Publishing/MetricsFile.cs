using System.Globalization;
using System.Text.Json;
using MlflowMsBuild.Core.Errors;

namespace MlflowMsBuild.Core.Publishing;

/// <summary>
/// Reads an evaluation's metrics from JSON. Nested objects become '/'-joined keys, so
/// <c>{"test": {"auc": 0.9}}</c> is the metric <c>test/auc</c>; leaves must be numbers, <c>NaN</c>, <c>Infinity</c>
/// or <c>-Infinity</c>, bare as Python's <c>json.dump</c> writes them (<see cref="PythonJson"/>) or quoted, or a
/// number in a string. A number beyond a double's range (<c>1e999</c>, which Python reads as <c>inf</c>) is
/// <see cref="MlfError.MetricValueOutOfRange"/> rather than a silent Infinity.
/// </summary>
public static class MetricsFile
{
    public static IReadOnlyDictionary<string, double> Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new MlflowException(MlfError.MetricsFileInvalid, path, "the file does not exist");
        }

        try
        {
            using var document = JsonDocument.Parse(PythonJson.QuoteNamedLiterals(File.ReadAllText(path)));
            return Parse(document.RootElement, path);
        }
        catch (JsonException e)
        {
            throw new MlflowException(MlfError.MetricsFileInvalid, e, path, "it is not valid JSON (" + e.Message + ")");
        }
    }

    internal static IReadOnlyDictionary<string, double> Parse(JsonElement root, string path)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new MlflowException(MlfError.MetricsFileInvalid, path, "the top level is not a JSON object");
        }

        var metrics = new SortedDictionary<string, double>(StringComparer.Ordinal);
        Flatten(root, "", metrics, path);
        return metrics;
    }

    private static void Flatten(JsonElement element, string prefix, IDictionary<string, double> metrics, string path)
    {
        foreach (var property in element.EnumerateObject())
        {
            var key = prefix.Length == 0 ? property.Name : prefix + "/" + property.Name;
            switch (property.Value.ValueKind)
            {
                case JsonValueKind.Object:
                    Flatten(property.Value, key, metrics, path);
                    break;
                case JsonValueKind.Number:
                    metrics[key] = double.IsFinite(property.Value.GetDouble())
                        ? property.Value.GetDouble()
                        : throw new MlflowException(MlfError.MetricValueOutOfRange, path, key, property.Value.GetRawText());
                    break;
                case JsonValueKind.String when TryParseSpecial(property.Value.GetString(), out var special):
                    metrics[key] = double.IsFinite(special) || property.Value.GetString() is "NaN" or "Infinity" or "-Infinity"
                        ? special
                        : throw new MlflowException(MlfError.MetricValueOutOfRange, path, key, property.Value.GetRawText());
                    break;
                default:
                    throw new MlflowException(MlfError.MetricsFileInvalid, path,
                        $"the value of '{key}' is {property.Value.ValueKind.ToString().ToLowerInvariant()}, not a number");
            }
        }
    }

    private static bool TryParseSpecial(string? text, out double value)
    {
        value = text switch
        {
            "NaN" => double.NaN,
            "Infinity" => double.PositiveInfinity,
            "-Infinity" => double.NegativeInfinity,
            _ => 0,
        };
        return text is "NaN" or "Infinity" or "-Infinity" || double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }
}
