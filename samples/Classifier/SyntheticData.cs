namespace Classifier;

/// <summary>
/// Deterministic synthetic data: standard normal features, and a label drawn from a fixed noisy rule
/// that is mostly linear with a nonlinear part a linear model cannot fully learn.
/// The same (rows, seed) always gives the same rows.
/// </summary>
public static class SyntheticData
{
    public const int FeatureCount = 8;

    private const double NoiseStandardDeviation = 0.5;

    public static IReadOnlyList<ClassifierRow> Generate(int rows, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        var random = new Random(seed);
        var result = new List<ClassifierRow>(rows);
        for (var i = 0; i < rows; i++)
        {
            var x = new float[FeatureCount];
            for (var j = 0; j < FeatureCount; j++)
            {
                x[j] = (float)NextGaussian(random);
            }

            var score = 1.2 * x[0] - 1.0 * x[1] + 0.8 * x[2] - 0.6 * x[3] + 0.4 * x[4]
                + 1.0 * x[5] * x[6] + 0.7 * Math.Sin(2.0 * x[7])
                + NoiseStandardDeviation * NextGaussian(random);
            result.Add(new ClassifierRow { Label = score > 0, Features = x });
        }

        return result;
    }

    // Box-Muller transform: System.Random has no normal distribution of its own.
    private static double NextGaussian(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
