using Microsoft.ML.Data;

namespace Classifier;

/// <summary>The metrics of the model on one split of the data, as written to metrics.json.</summary>
public sealed record SplitMetrics(double Accuracy, double Auc, double F1, double Precision, double Recall, double LogLoss)
{
    public static SplitMetrics From(CalibratedBinaryClassificationMetrics metrics) => new(
        metrics.Accuracy,
        metrics.AreaUnderRocCurve,
        metrics.F1Score,
        metrics.PositivePrecision,
        metrics.PositiveRecall,
        metrics.LogLoss);

    public override string ToString() =>
        $"accuracy {Accuracy:F4}  AUC {Auc:F4}  F1 {F1:F4}  precision {Precision:F4}  recall {Recall:F4}  log-loss {LogLoss:F4}";
}
