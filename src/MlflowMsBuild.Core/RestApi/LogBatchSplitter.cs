using System.Text;
using MlflowMsBuild.Core.Http;

namespace MlflowMsBuild.Core.RestApi;

/// <summary>
/// Splits a run's data into log-batch requests within MLflow's limits: at most 1000 metrics, 100 params,
/// 100 tags and 1000 entities per request, and a body well under 1 MB.
/// </summary>
internal static class LogBatchSplitter
{
    public const int MaxMetrics = 1000;
    public const int MaxParams = 100;
    public const int MaxTags = 100;
    public const int MaxEntities = 1000;
    public const int MaxBodyBytes = 900_000;

    public static IEnumerable<LogBatchRequest> Split(string runId, IReadOnlyList<MetricEntity> metrics, IReadOnlyList<KeyValue> parameters, IReadOnlyList<KeyValue> tags)
    {
        var current = new LogBatchRequest { RunId = runId };
        var bytes = 0;

        bool Fits(int size, int count, int max) =>
            count < max && current.Metrics.Count + current.Params.Count + current.Tags.Count < MaxEntities && bytes + size <= MaxBodyBytes;

        foreach (var parameter in parameters)
        {
            var size = Size(parameter);
            if (!Fits(size, current.Params.Count, MaxParams))
            {
                yield return current;
                current = new LogBatchRequest { RunId = runId };
                bytes = 0;
            }

            current.Params.Add(parameter);
            bytes += size;
        }

        foreach (var tag in tags)
        {
            var size = Size(tag);
            if (!Fits(size, current.Tags.Count, MaxTags))
            {
                yield return current;
                current = new LogBatchRequest { RunId = runId };
                bytes = 0;
            }

            current.Tags.Add(tag);
            bytes += size;
        }

        foreach (var metric in metrics)
        {
            var size = Encoding.UTF8.GetByteCount(metric.Key) + 96;
            if (!Fits(size, current.Metrics.Count, MaxMetrics))
            {
                yield return current;
                current = new LogBatchRequest { RunId = runId };
                bytes = 0;
            }

            current.Metrics.Add(metric);
            bytes += size;
        }

        if (current.Metrics.Count + current.Params.Count + current.Tags.Count > 0)
        {
            yield return current;
        }
    }

    // Escaping can grow a string up to six times (\uXXXX); count the worst case.
    private static int Size(KeyValue pair) => (Encoding.UTF8.GetByteCount(pair.Key) + Encoding.UTF8.GetByteCount(pair.Value)) * 6 + 32;
}
