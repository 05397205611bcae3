using System.Globalization;
using System.Text.Json.Nodes;
using MlflowMsBuild.TestServer.Http;
using MlflowMsBuild.TestServer.Storage;
using static MlflowMsBuild.TestServer.Mlflow.MlflowFlavor;

namespace MlflowMsBuild.TestServer.Mlflow;

/// <summary>runs/create, get, update, delete, search and metrics/get-history.</summary>
internal sealed class RunEndpoints(MlflowState state)
{
    private static readonly string[] Statuses = ["RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED"];

    public void Map(RouteTable routes)
    {
        routes.Map("POST", Api + "runs/create", "runs/create", Create);
        routes.Map("GET", Api + "runs/get", "runs/get", Get);
        routes.Map("POST", Api + "runs/update", "runs/update", Update);
        routes.Map("POST", Api + "runs/delete", "runs/delete", Delete);
        routes.Map("POST", Api + "runs/search", "runs/search", Search);
        routes.Map("GET", Api + "metrics/get-history", "metrics/get-history", MetricHistory);
    }

    private async Task Create(ApiRequest request)
    {
        var args = await MlflowArgs.ReadAsync(request);
        var experimentId = args.RequiredString("experiment_id");
        var runName = args.String("run_name");
        var tags = new TagList();
        foreach (var tag in args.Objects("tags"))
        {
            var key = MlflowArgs.StringOf(tag["key"], "key");
            var value = MlflowArgs.StringOf(tag["value"], "value") ?? "";
            MlflowValidation.Key("tag", key);
            MlflowValidation.Length("Tag value", value, MlflowValidation.MaxRunTagValueLength);
            tags.Set(key!, value);
        }
        var tagName = tags.Get("mlflow.runName");
        if (!string.IsNullOrEmpty(runName) && tagName is not null && tagName != runName)
        {
            throw MlflowErrors.Invalid("Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different values " +
                $"(run_name='{runName}', mlflow.runName='{tagName}').");
        }
        var name = string.IsNullOrEmpty(runName) ? tagName ?? RandomNames.Mlflow() : runName;
        if (tagName is null) tags.Set("mlflow.runName", name);

        JsonObject json;
        lock (state.Sync)
        {
            var experiment = state.Experiment(experimentId);
            if (experiment.LifecycleStage != "active")
            {
                throw MlflowErrors.Error("INVALID_STATE", $"The experiment {experimentId} must be in the 'active' state. Current state is {experiment.LifecycleStage}.");
            }
            var runId = Guid.NewGuid().ToString("N");
            var run = new RunRecord
            {
                RunId = runId, ExperimentId = experimentId, RunName = name, UserId = args.String("user_id") ?? "",
                StartTime = args.Long("start_time") ?? state.NowMs,
                ArtifactUri = $"{experiment.ArtifactLocation.TrimEnd('/')}/{runId}/artifacts",
            };
            foreach (var (key, value) in tags.Items) run.Tags.Set(key, value);
            state.Runs[runId] = run;
            json = new() { ["run"] = MlflowJson.Run(run, withInputs: false) };
        }
        await request.OkAsync(json);
    }

    private async Task Get(ApiRequest request)
    {
        var args = await MlflowArgs.ReadAsync(request);
        var runId = args.RunId();
        JsonObject json;
        lock (state.Sync) json = new() { ["run"] = MlflowJson.Run(state.Run(runId), withInputs: true) };
        await request.OkAsync(json);
    }

    /// <summary>As protobuf: an absent status reads as the enum default RUNNING.</summary>
    private async Task Update(ApiRequest request)
    {
        var args = await MlflowArgs.ReadAsync(request);
        var runId = args.RunId();
        var status = args.String("status") ?? "RUNNING";
        if (!Statuses.Contains(status)) throw MlflowErrors.Invalid($"Invalid value '{status}' for parameter 'status' supplied.");
        var endTime = args.Long("end_time");
        var runName = args.String("run_name");
        JsonObject json;
        lock (state.Sync)
        {
            var run = state.ActiveRun(runId);
            run.Status = status;
            if (endTime is not null) run.EndTime = endTime;
            if (!string.IsNullOrEmpty(runName))
            {
                run.RunName = runName;
                run.Tags.Set("mlflow.runName", runName);
            }
            json = new() { ["run_info"] = MlflowJson.RunInfo(run) };
        }
        await request.OkAsync(json);
    }

    private async Task Delete(ApiRequest request)
    {
        var args = await MlflowArgs.ReadAsync(request);
        var runId = args.RunId();
        lock (state.Sync)
        {
            var run = state.Run(runId);
            run.LifecycleStage = "deleted";
        }
        await request.OkEmptyAsync();
    }

    private async Task Search(ApiRequest request)
    {
        var args = await MlflowArgs.ReadAsync(request);
        var experimentIds = args.Array("experiment_ids").Select(e => MlflowArgs.StringOf(e, "experiment_ids")!).ToList();
        var maxResults = args.Long("max_results") ?? 1000;
        if (maxResults > 50000) throw MlflowErrors.Invalid($"Invalid value {maxResults} for parameter 'max_results' supplied. It must be at most 50000");
        var view = args.String("run_view_type") ?? "ACTIVE_ONLY";
        var clauses = SearchFilter.Parse(args.String("filter"));
        var orderBy = args.Array("order_by").Select(o => MlflowArgs.StringOf(o, "order_by") ?? "").ToList();
        JsonObject json;
        lock (state.Sync)
        {
            var runs = state.Runs.Values
                .Where(r => experimentIds.Contains(r.ExperimentId))
                .Where(r => view == "ALL" || (view == "DELETED_ONLY") == (r.LifecycleStage == "deleted"))
                .Where(r => clauses.All(c => Matches(r, c)));
            var ordered = Order(runs, orderBy).ToList();
            json = MlflowAnswers.Paged("runs", ordered, args.String("page_token"), maxResults, r => MlflowJson.Run(r, withInputs: true));
        }
        await request.OkAsync(json);
    }

    private async Task MetricHistory(ApiRequest request)
    {
        var args = await MlflowArgs.ReadAsync(request);
        var runId = args.RunId();
        var key = args.RequiredString("metric_key");
        var json = new JsonObject();
        lock (state.Sync)
        {
            var rows = state.Run(runId).Metrics.Where(m => m.Key == key).Select(m => (JsonNode?)MlflowJson.Metric(m)).ToArray();
            if (rows.Length > 0) json["metrics"] = new JsonArray(rows);
        }
        await request.OkAsync(json);
    }

    private static bool Matches(RunRecord r, FilterClause c) => c.Kind.ToLowerInvariant() switch
    {
        "metrics" or "metric" => c.Matches(r.LatestMetrics().FirstOrDefault(m => m.Key == c.Key)?.Value),
        "params" or "param" or "parameter" or "parameters" => c.Matches(r.Params.Get(c.Key)),
        "tags" or "tag" => c.Matches(r.Tags.Get(c.Key)),
        "" or "attribute" or "attributes" or "attr" or "run" => c.Key switch
        {
            "start_time" => c.Matches(r.StartTime),
            "end_time" => c.Matches((double?)r.EndTime),
            _ => c.Matches(Attribute(r, c.Key)),
        },
        _ => throw MlflowErrors.Invalid($"Invalid entity type '{c.Kind}'. Valid values are ['metric', 'parameter', 'tag', 'attribute']"),
    };

    private static string Attribute(RunRecord r, string key) => key switch
    {
        "run_name" => r.RunName ?? "",
        "status" => r.Status,
        "run_id" => r.RunId,
        "artifact_uri" => r.ArtifactUri,
        "user_id" => r.UserId,
        "lifecycle_stage" => r.LifecycleStage,
        _ => throw MlflowErrors.Invalid($"Invalid attribute key '{key}' specified."),
    };

    private static IEnumerable<RunRecord> Order(IEnumerable<RunRecord> runs, List<string> orderBy)
    {
        IOrderedEnumerable<RunRecord>? ordered = null;
        foreach (var clause in orderBy.Append("attributes.start_time DESC"))
        {
            var parts = clause.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var descending = parts.Length > 1 && parts[^1].Equals("DESC", StringComparison.OrdinalIgnoreCase);
            var field = parts.Length > 0 ? parts[0] : throw MlflowErrors.Invalid($"Invalid order_by clause '{clause}'.");
            var dot = field.IndexOf('.');
            var (kind, key) = dot < 0 ? ("attributes", field) : (field[..dot], field[(dot + 1)..].Trim('`', '"'));
            Func<RunRecord, string?> value = kind switch
            {
                "metrics" or "metric" => r => r.LatestMetrics().FirstOrDefault(m => m.Key == key)?.Value.ToString("R", CultureInfo.InvariantCulture),
                "params" or "param" => r => r.Params.Get(key),
                "tags" or "tag" => r => r.Tags.Get(key),
                _ when key is "start_time" or "end_time" => r => (key == "start_time" ? r.StartTime : r.EndTime)?.ToString("D19", CultureInfo.InvariantCulture),
                _ => r => Attribute(r, key),
            };
            var comparer = kind is "metrics" or "metric" ? NumericStrings : StringComparer.Ordinal;
            ordered = ordered is null
                ? descending ? runs.OrderByDescending(value, comparer) : runs.OrderBy(value, comparer)
                : descending ? ordered.ThenByDescending(value, comparer) : ordered.ThenBy(value, comparer);
        }
        return ordered!.ThenBy(r => r.RunId, StringComparer.Ordinal);
    }

    private static readonly IComparer<string?> NumericStrings = Comparer<string?>.Create((a, b) =>
        (a, b) switch
        {
            (null, null) => 0,
            (null, _) => -1,
            (_, null) => 1,
            _ => double.Parse(a, CultureInfo.InvariantCulture).CompareTo(double.Parse(b, CultureInfo.InvariantCulture)),
        });
}
