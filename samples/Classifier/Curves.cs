namespace Classifier;

/// <summary>ROC and precision-recall curves from (label, score) pairs, one point per distinct threshold.</summary>
public static class Curves
{
    /// <returns>(false positive rate, true positive rate) from (0, 0) to (1, 1).</returns>
    public static IReadOnlyList<(double X, double Y)> Roc(IReadOnlyList<(bool Label, float Score)> scores)
    {
        var (positives, negatives) = Counts(scores);
        var points = new List<(double, double)> { (0, 0) };
        foreach (var (truePositives, falsePositives) in Sweep(scores))
        {
            points.Add((Rate(falsePositives, negatives), Rate(truePositives, positives)));
        }

        return points;
    }

    /// <returns>(recall, precision), from the highest threshold down.</returns>
    public static IReadOnlyList<(double X, double Y)> PrecisionRecall(IReadOnlyList<(bool Label, float Score)> scores)
    {
        var (positives, _) = Counts(scores);
        var points = new List<(double, double)> { (0, 1) };
        foreach (var (truePositives, falsePositives) in Sweep(scores))
        {
            points.Add((Rate(truePositives, positives), Rate(truePositives, truePositives + falsePositives)));
        }

        return points;
    }

    /// <summary>Cumulative (true positives, false positives) after each distinct score, highest first.</summary>
    private static IEnumerable<(int TruePositives, int FalsePositives)> Sweep(IReadOnlyList<(bool Label, float Score)> scores)
    {
        int truePositives = 0, falsePositives = 0;
        foreach (var group in scores.GroupBy(s => s.Score).OrderByDescending(g => g.Key))
        {
            truePositives += group.Count(s => s.Label);
            falsePositives += group.Count(s => !s.Label);
            yield return (truePositives, falsePositives);
        }
    }

    private static (int Positives, int Negatives) Counts(IReadOnlyList<(bool Label, float Score)> scores) =>
        (scores.Count(s => s.Label), scores.Count(s => !s.Label));

    private static double Rate(int count, int total) => total == 0 ? 0 : (double)count / total;
}
