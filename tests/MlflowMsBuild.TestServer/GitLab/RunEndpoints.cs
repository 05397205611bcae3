using System.Text.Json.Nodes;
using MlflowMsBuild.TestServer.Http;
using MlflowMsBuild.TestServer.Storage;
using static MlflowMsBuild.TestServer.GitLab.GitLabContext;

namespace MlflowMsBuild.TestServer.GitLab;

/// <summary>runs create/get/search/update/log-metric/log-parameter/set-tag/log-batch/delete and metrics/get-history.</summary>
internal sealed class RunEndpoints(GitLabContext context)
{
    private static readonly string[] Statuses = ["RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED"];

    public void Map(RouteTable routes)
    {
        routes.Map("POST", Api + "runs/create", "runs/create", Create);
        routes.Map("GET", Api + "runs/get", "runs/get", Get);
        routes.Map("POST", Api + "runs/search", "runs/search", Search);
        routes.Map("POST", Api + "runs/update", "runs/update", Update);
        routes.Map("POST", Api + "runs/log-metric", "runs/log-metric", LogMetric);
        routes.Map("POST", Api + "runs/log-parameter", "runs/log-parameter", LogParameter);
        routes.Map("POST", Api + "runs/set-tag", "runs/set-tag", SetTag);
        routes.Map("POST", Api + "runs/log-batch", "runs/log-batch", LogBatch);
        routes.Map("POST", Api + "runs/delete", "runs/delete", Delete);
        routes.Map("GET", Api + "metrics/get-history", "metrics/get-history", MetricHistory);
    }

    private static RunRecord Find(GitLabProject project, GitLabParams p) =>
        project.Runs.GetValueOrDefault(p.String("run_id")!) ?? throw GitLabErrors.ResourceNotFound();

    /// <summary>Name: run_name, else tag mlflow.runName, else random. Duplicate tag keys dropped silently.</summary>
    private async Task Create(ApiRequest request)
    {
        var access = context.Guard.ForMlflow(request, write: true);
        var p = await GitLabParams.ReadAsync(request);
        p.Validate(["experiment_id"], integers: ["experiment_id", "start_time"], arrays: ["tags"]);
        var iid = p.Integer("experiment_id");
        JsonObject json;
        lock (context.State.Sync)
        {
            var experiment = access.Project.Experiments.FirstOrDefault(e => e.Iid == iid) ?? throw GitLabErrors.ResourceNotFound();
            var tags = p.Array("tags");
            var runName = tags.OfType<JsonObject>().FirstOrDefault(t => GitLabParams.ToText(t["key"]) == "mlflow.runName")?["value"];
            var name = p.String("run_name") ?? GitLabParams.ToText(runName) ?? RandomNames.GitLab();
            var run = context.AddRun(access.Project, experiment, name, access.UserId, p.Integer("start_time") ?? 0, null);
            // CandidateRepository#create! inserts the tags with insert_all after creating the candidate, which stays if they fail.
            Insert(run.Tags, GitLabRows.RunTags, tags);
            json = new() { ["run"] = GitLabJson.Run(run) };
        }
        await request.WriteJsonAsync(json);
    }

    private async Task Get(ApiRequest request)
    {
        var project = context.Guard.ForMlflow(request, write: false).Project;
        var p = await GitLabParams.ReadAsync(request);
        p.Validate(["run_id"]);
        JsonObject json;
        lock (context.State.Sync) json = new() { ["run"] = GitLabJson.Run(Find(project, p)) };
        await request.WriteJsonAsync(json);
    }

    /// <summary>Only experiment_ids[0] is used; order_by is one string ("name|created_at|id [ASC|DESC]" or "metrics.key [dir]").</summary>
    private async Task Search(ApiRequest request)
    {
        var project = context.Guard.ForMlflow(request, write: true).Project;
        var p = await GitLabParams.ReadAsync(request);
        p.Validate(["experiment_ids"], integers: ["max_results"], arrays: ["experiment_ids"]);
        var first = GitLabParams.ToInteger(p.Array("experiment_ids").FirstOrDefault());
        var order = (p.String("order_by") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var column = order.Length > 0 ? order[0] : "created_at";
        var ascending = order.Length > 1 && order[1].Equals("ASC", StringComparison.OrdinalIgnoreCase);
        JsonObject json;
        lock (context.State.Sync)
        {
            var experiment = project.Experiments.FirstOrDefault(e => e.Iid == first) ?? throw GitLabErrors.ResourceNotFound();
            var runs = project.Runs.Values.Where(r => r.ExperimentId == GitLabJson.Id(experiment.Iid));
            List<RunRecord> sorted;
            if (column.StartsWith("metrics.", StringComparison.Ordinal))
            {
                var key = column["metrics.".Length..];
                sorted = runs.Where(r => r.Metrics.Any(m => m.Key == key))
                    .OrderBy(r => r.Metrics.Last(m => m.Key == key).Value).ThenBy(r => r.CandidateIid).ToList();
            }
            else
            {
                sorted = column == "name"
                    ? runs.OrderBy(r => r.RunName, StringComparer.Ordinal).ThenBy(r => r.CandidateIid).ToList()
                    : runs.OrderBy(r => r.CandidateIid).ToList();
            }
            if (!ascending) sorted.Reverse();
            var (page, next) = Page(sorted, p.String("page_token"), p.Integer("max_results"));
            json = new()
            {
                ["runs"] = new JsonArray(page.Select(r => (JsonNode?)GitLabJson.Run(r)).ToArray()),
                ["next_page_token"] = next,
            };
        }
        await request.WriteJsonAsync(json);
    }

    private async Task Update(ApiRequest request)
    {
        var project = context.Guard.ForMlflow(request, write: true).Project;
        var p = await GitLabParams.ReadAsync(request);
        p.Validate(["run_id"], integers: ["end_time"]);
        var status = p.String("status");
        if (status is not null && !Statuses.Contains(status)) throw GitLabErrors.Validation("status does not have a valid value");
        JsonObject json;
        lock (context.State.Sync)
        {
            var run = Find(project, p);
            if (status is not null) run.Status = status;
            if (p.Integer("end_time") is { } end) run.EndTime = end;
            json = new() { ["run_info"] = GitLabJson.RunInfo(run) };
        }
        await request.WriteJsonAsync(json);
    }

    private async Task LogMetric(ApiRequest request)
    {
        var project = context.Guard.ForMlflow(request, write: true).Project;
        var p = await GitLabParams.ReadAsync(request);
        p.Validate(["run_id", "key", "value", "timestamp"], integers: ["timestamp", "step"], floats: ["value"]);
        lock (context.State.Sync)
        {
            var run = Find(project, p);
            GitLabRows.Validate(GitLabRows.Metrics, p.String("key"), null);
            run.Metrics.Add(new MetricRow(p.String("key")!, p.Float("value")!.Value, p.Integer("timestamp")!.Value, p.Integer("step")));
        }
        await request.WriteJsonAsync(new JsonObject());
    }

    /// <summary>
    /// CandidateParam's validations (key and value present, ≤ 250 characters); a key already on the run breaks the
    /// table's unique index (the model has no uniqueness validation). log-batch skips such a key instead.
    /// </summary>
    private async Task LogParameter(ApiRequest request)
    {
        var project = context.Guard.ForMlflow(request, write: true).Project;
        var p = await GitLabParams.ReadAsync(request);
        p.Validate(["run_id", "key", "value"]);
        var (key, value) = (p.String("key")!, p.String("value")!);
        lock (context.State.Sync)
        {
            var run = Find(project, p);
            GitLabRows.Validate(GitLabRows.Params, key, value);
            if (run.Params.Contains(key)) throw GitLabRows.UniqueViolation(GitLabRows.Params);
            run.Params.Set(key, value);
        }
        await request.WriteJsonAsync(new JsonObject());
    }

    private async Task SetTag(ApiRequest request)
    {
        var project = context.Guard.ForMlflow(request, write: true).Project;
        var p = await GitLabParams.ReadAsync(request);
        p.Validate(["run_id", "key", "value"]);
        var (key, value) = (p.String("key")!, p.String("value")!);
        lock (context.State.Sync)
        {
            var run = Find(project, p);
            // CandidateMetadata: name ≤ 250, present and unique on the run ("'key' already taken"); value ≤ 5000, present.
            GitLabRows.Validate(GitLabRows.RunTags, key, value);
            if (run.Tags.Contains(key)) throw GitLabRows.ValidationFailed($"Name '{key}' already taken");
            run.Tags.Set(key, value);
        }
        await request.WriteJsonAsync(new JsonObject());
    }

    /// <summary>
    /// Grape checks every declared element first ("metrics[0][timestamp] is missing", "metrics[0][value] is invalid":
    /// Ruby's Float() refuses "NaN" and "Infinity"). Then three insert_all statements, metrics, params, tags, each
    /// whole or not at all and with no transaction around them: an over-long param fails after the metrics are
    /// stored. Rows whose key is already on the run are skipped silently (the unique indexes).
    /// </summary>
    private async Task LogBatch(ApiRequest request)
    {
        var project = context.Guard.ForMlflow(request, write: true).Project;
        var p = await GitLabParams.ReadAsync(request);
        p.Validate(["run_id"], arrays: ["metrics", "params", "tags"]);
        var problems = new List<string>();
        CheckElements(p.Array("metrics"), "metrics", ["key", "value", "timestamp"], problems, floats: ["value"], integers: ["timestamp", "step"]);
        CheckElements(p.Array("params"), "params", ["key", "value"], problems);
        if (problems.Count > 0) throw GitLabErrors.Validation(string.Join(", ", problems));
        lock (context.State.Sync)
        {
            var run = Find(project, p);
            var metrics = p.Array("metrics").Select(m => (JsonObject)m!).ToList();
            foreach (var m in metrics) GitLabRows.CheckInsert(GitLabRows.Metrics, GitLabParams.ToText(m["key"]), null);
            foreach (var m in metrics)
            {
                run.Metrics.Add(new MetricRow(GitLabParams.ToText(m["key"])!, GitLabParams.ToFloat(m["value"])!.Value,
                    GitLabParams.ToInteger(m["timestamp"])!.Value, GitLabParams.ToInteger(m["step"])));
            }
            Insert(run.Params, GitLabRows.Params, p.Array("params"));
            Insert(run.Tags, GitLabRows.RunTags, p.Array("tags"));
        }
        await request.WriteJsonAsync(new JsonObject());
    }

    private static void Insert(TagList list, GitLabRows.Table table, JsonArray items)
    {
        var rows = items.Select(i => (Key: GitLabParams.ToText(i?["key"]), Value: GitLabParams.ToText(i?["value"]))).ToList();
        foreach (var (key, value) in rows) GitLabRows.CheckInsert(table, key, value);
        foreach (var (key, value) in rows)
        {
            if (!list.Contains(key!)) list.Set(key!, value!);
        }
    }

    private async Task Delete(ApiRequest request)
    {
        var project = context.Guard.ForMlflow(request, write: true).Project;
        var p = await GitLabParams.ReadAsync(request);
        p.Validate(["run_id"]);
        lock (context.State.Sync)
        {
            var run = Find(project, p);
            if (run.ModelVersionId is not null)
            {
                throw GitLabErrors.Body(400, new JsonObject { ["message"] = "Cannot delete a candidate associated to a model version" });
            }
            DeleteRuns(project, r => r.RunId == run.RunId);
        }
        await request.WriteJsonAsync(new JsonObject());
    }

    private async Task MetricHistory(ApiRequest request)
    {
        var project = context.Guard.ForMlflow(request, write: false).Project;
        var p = await GitLabParams.ReadAsync(request);
        p.Validate(["run_id", "metric_key"], integers: ["max_results"]);
        JsonObject json;
        lock (context.State.Sync)
        {
            var rows = Find(project, p).Metrics.Where(m => m.Key == p.String("metric_key")).OrderBy(m => m.Step ?? 0).ToList();
            var (page, next) = Page(rows, p.String("page_token"), p.Integer("max_results") ?? 1000);
            json = new() { ["metrics"] = new JsonArray(page.Select(m => (JsonNode?)GitLabJson.Metric(m)).ToArray()), ["next_page_token"] = next };
        }
        await request.WriteJsonAsync(json);
    }

    /// <summary>Grape's checks of the elements of a declared array parameter.</summary>
    private static void CheckElements(JsonArray items, string name, string[] required, List<string> problems, string[]? floats = null, string[]? integers = null)
    {
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i] as JsonObject;
            foreach (var field in required)
            {
                if (item?[field] is null) problems.Add($"{name}[{i}][{field}] is missing");
            }
            foreach (var field in floats ?? [])
            {
                if (item?[field] is { } value && GitLabParams.ToFloat(value) is null) problems.Add($"{name}[{i}][{field}] is invalid");
            }
            foreach (var field in integers ?? [])
            {
                if (item?[field] is { } value && GitLabParams.ToInteger(value) is null) problems.Add($"{name}[{i}][{field}] is invalid");
            }
        }
    }
}
