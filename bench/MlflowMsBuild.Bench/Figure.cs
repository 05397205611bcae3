using System.Globalization;

namespace MlflowMsBuild.Bench;

/// <summary>
/// One benchmark figure: a sample per round, printed as the median and the [min-max] range, against a goal that is
/// an upper bound (lower is better for every figure here).
/// </summary>
internal sealed class Figure(string name, string unit, double goal, string goalText)
{
    private readonly List<double> samples = [];

    public string Name => name;

    public void Add(double sample) => samples.Add(sample);

    public int Count => samples.Count;

    public double Median => MedianOf(samples);

    public bool Meets => Median <= goal;

    /// <summary>
    /// <c>name: median [min-max] unit, n rounds (goal ...): meets | MISSES</c>, then <paramref name="detail"/>
    /// indented on its own line when given.
    /// </summary>
    public void Print(string? detail = null)
    {
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{name}: {Format(Median)}{unit} [{Format(samples.Min())}-{Format(samples.Max())}], {samples.Count} rounds (goal {goalText}): {(Meets ? "meets" : "MISSES")}");
        Console.WriteLine(line);
        if (detail is not null)
        {
            Console.WriteLine("  (" + detail + ")");
        }
    }

    /// <summary>"median [min-max]" of raw values, for the absolute times behind a ratio.</summary>
    public static string Describe(IReadOnlyCollection<double> values, string unit) =>
        $"{Format(MedianOf(values))}{unit} [{Format(values.Min())}-{Format(values.Max())}]";

    public static double MedianOf(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string Format(double value) =>
        value.ToString(value == Math.Round(value) || Math.Abs(value) >= 100 ? "0" : Math.Abs(value) >= 10 ? "0.#" : "0.00#", CultureInfo.InvariantCulture);
}
