using System.Text.Json.Nodes;
using MlflowMsBuild.TestServer.Http;
using MlflowMsBuild.TestServer.Storage;
using V = MlflowMsBuild.TestServer.Mlflow.MlflowValidation;
using static MlflowMsBuild.TestServer.Mlflow.MlflowFlavor;

namespace MlflowMsBuild.TestServer.Mlflow;

/// <summary>runs/log-batch, log-metric, log-parameter, set-tag, delete-tag with MLflow's limits and messages.</summary>
internal sealed class RunLoggingEndpoints(MlflowState state)
{
    public void Map(RouteTable routes)
    {
        routes.Map("POST", Api + "runs/log-batch", "runs/log-batch", LogBatch);
        routes.Map("POST", Api + "runs/log-metric", "runs/log-metric", LogMetric);
        routes.Map("POST", Api + "runs/log-parameter", "runs/log-parameter", LogParameter);
        routes.Map("POST", Api + "runs/set-tag", "runs/set-tag", SetTag);
        routes.Map("POST", Api + "runs/delete-tag", "runs/delete-tag", DeleteTag);
    }

    private async Task LogBatch(ApiRequest request)
    {
        var args = await MlflowArgs.ReadAsync(request);
        if (args.BodyLength > V.MaxBatchRequestBytes)
        {
            throw MlflowErrors.Invalid($"Batched logging API requests must be at most 1 MB in size, got size {args.BodyLength} bytes.");
        }
        var runId = args.RunId();
        var metrics = args.Objects("metrics").ToList();
        var parameters = args.Objects("params").ToList();
        var tags = args.Objects("tags").ToList();
        Limit(metrics.Count, V.MaxMetricsPerBatch, "metrics");
        Limit(parameters.Count, V.MaxParamsPerBatch, "params");
        Limit(tags.Count, V.MaxTagsPerBatch, "tags");
        var total = metrics.Count + parameters.Count + tags.Count;
        if (total > V.MaxEntitiesPerBatch)
        {
            throw MlflowErrors.Invalid($"A batch logging request can contain at most {V.MaxEntitiesPerBatch} metrics, params, and tags in total. " +
                $"Got {total} total. Please split up metrics, params, and tags across multiple requests and try again.");
        }

        var metricRows = metrics.Select(m => Metric(
            MlflowArgs.StringOf(m["key"], "key"), MlflowArgs.DoubleOf(m["value"], "value") ?? 0,
            MlflowArgs.LongOf(m["timestamp"], "timestamp") ?? 0, MlflowArgs.LongOf(m["step"], "step") ?? 0)).ToList();
        var paramPairs = parameters.Select(p => Param(MlflowArgs.StringOf(p["key"], "key"), MlflowArgs.StringOf(p["value"], "value") ?? "")).ToList();
        var tagPairs = tags.Select(t => Tag(MlflowArgs.StringOf(t["key"], "key"), MlflowArgs.StringOf(t["value"], "value") ?? "")).ToList();
        var duplicates = paramPairs.GroupBy(p => p.Key).Where(g => g.Count() > 1).Select(g => $"'{g.Key}'").ToList();
        if (duplicates.Count > 0)
        {
            throw MlflowErrors.Invalid($"Duplicate parameter keys have been submitted: [{string.Join(", ", duplicates)}]. " +
                "Please ensure the request contains only one param value per param key.");
        }

        lock (state.Sync)
        {
            var run = state.ActiveRun(runId);
            var changed = paramPairs.Where(p => run.Params.Get(p.Key) is { } old && old != p.Value)
                .Select(p => $"{{'key': '{p.Key}', 'old_value': '{run.Params.Get(p.Key)}', 'new_value': '{p.Value}'}}").ToList();
            if (changed.Count > 0)
            {
                throw MlflowErrors.Invalid($"Changing param values is not allowed. Params were already logged='[{string.Join(", ", changed)}]' " +
                    $"for run ID='{runId}'.");
            }
            run.Metrics.AddRange(metricRows);
            foreach (var (key, value) in paramPairs) run.Params.Set(key, value);
            foreach (var (key, value) in tagPairs) SetRunTag(run, key, value);
        }
        await request.OkEmptyAsync();
    }

    private async Task LogMetric(ApiRequest request)
    {
        var args = await MlflowArgs.ReadAsync(request);
        var runId = args.RunId();
        var key = args.RequiredString("key");
        var value = args.Double("value") ?? throw MlflowErrors.Missing("value");
        var timestamp = args.Long("timestamp") ?? throw MlflowErrors.Missing("timestamp");
        var row = Metric(key, value, timestamp, args.Long("step") ?? 0);
        lock (state.Sync) state.ActiveRun(runId).Metrics.Add(row);
        await request.OkEmptyAsync();
    }

    private async Task LogParameter(ApiRequest request)
    {
        var args = await MlflowArgs.ReadAsync(request);
        var runId = args.RunId();
        if (!args.Has("value")) throw MlflowErrors.Missing("value");
        var (key, value) = Param(args.RequiredString("key"), args.String("value") ?? "");
        lock (state.Sync)
        {
            var run = state.ActiveRun(runId);
            if (run.Params.Get(key) is { } old && old != value)
            {
                throw MlflowErrors.Invalid($"Changing param values is not allowed. Param with key='{key}' was already logged with " +
                    $"value='{old}' for run ID='{runId}'. Attempted logging new value '{value}'.");
            }
            run.Params.Set(key, value);
        }
        await request.OkEmptyAsync();
    }

    private async Task SetTag(ApiRequest request)
    {
        var args = await MlflowArgs.ReadAsync(request);
        var runId = args.RunId();
        var (key, value) = Tag(args.RequiredString("key"), args.String("value") ?? "");
        lock (state.Sync) SetRunTag(state.ActiveRun(runId), key, value);
        await request.OkEmptyAsync();
    }

    private async Task DeleteTag(ApiRequest request)
    {
        var args = await MlflowArgs.ReadAsync(request);
        var runId = args.RunId();
        var key = args.RequiredString("key");
        lock (state.Sync)
        {
            if (!state.ActiveRun(runId).Tags.Remove(key))
            {
                throw MlflowErrors.NotFound($"No tag with name: {key} in run with id {runId}");
            }
        }
        await request.OkEmptyAsync();
    }

    private static void SetRunTag(RunRecord run, string key, string value)
    {
        run.Tags.Set(key, value);
        if (key == "mlflow.runName") run.RunName = value;
    }

    private static void Limit(int count, int limit, string what)
    {
        if (count > limit)
        {
            throw MlflowErrors.Invalid($"A batch logging request can contain at most {limit} {what}. Got {count} {what}. " +
                $"Please split up {what} across multiple requests and try again.");
        }
    }

    private static MetricRow Metric(string? key, double value, long timestamp, long step)
    {
        V.Key("metric", key);
        if (timestamp < 0)
        {
            throw MlflowErrors.Invalid($"Got invalid timestamp {timestamp} for metric '{key}' (value={value}). " +
                "Timestamp must be a nonnegative long (64-bit integer) ");
        }
        return new MetricRow(key!, value, timestamp, step);
    }

    private static (string Key, string Value) Param(string? key, string value)
    {
        V.Key("parameter", key);
        V.Length("Param value", value, V.MaxParamValueLength);
        return (key!, value);
    }

    private static (string Key, string Value) Tag(string? key, string value)
    {
        V.Key("tag", key);
        V.Length("Tag value", value, V.MaxRunTagValueLength);
        return (key!, value);
    }
}
