using System.Globalization;
using System.Text;

namespace Classifier;

/// <summary>The metrics of every split as a markdown table (published under tables/).</summary>
public static class MetricsTable
{
    public static string ToMarkdown(EvaluationMetrics metrics)
    {
        var text = new StringBuilder();
        text.Append("| split | accuracy | AUC | F1 | precision | recall | log-loss |\n");
        text.Append("|---|---:|---:|---:|---:|---:|---:|\n");
        foreach (var (split, m) in new[] { ("train", metrics.Train), ("test", metrics.Test) })
        {
            text.Append(CultureInfo.InvariantCulture,
                $"| {split} | {m.Accuracy:F4} | {m.Auc:F4} | {m.F1:F4} | {m.Precision:F4} | {m.Recall:F4} | {m.LogLoss:F4} |\n");
        }

        return text.ToString();
    }
}
