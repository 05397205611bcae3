using Microsoft.ML.Data;

namespace Classifier;

/// <summary>One example of the synthetic data set: a feature vector and its true class.</summary>
public sealed class ClassifierRow
{
    public bool Label { get; set; }

    [VectorType(SyntheticData.FeatureCount)]
    public float[] Features { get; set; } = [];
}
