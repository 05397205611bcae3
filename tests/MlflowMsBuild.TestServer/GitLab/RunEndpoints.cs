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
            var tags = new TagList();
            foreach (var tag in p.Array("tags").OfType<JsonObject>())
            {
                var key = GitLabParams.ToText(tag["key"]);
                if (key is not null && !tags.Contains(key)) tags.Set(key, GitLabParams.ToText(tag["value"]) ?? "");
            }
            var name = p.String("run_name") ?? tags.Get("mlflow.runName") ?? RandomNames.GitLab();
            var run = context.AddRun(access.Project, experiment, name, access.UserId, p.Integer("start_time") ?? 0, null);
            foreach (var (key, value) in tags.Items) run.Tags.Set(key, value);
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
        p.Validate([], integers: ["max_results"], arrays: ["experiment_ids"]);
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
            Find(project, p).Metrics.Add(new MetricRow(p.String("key")!, p.Float("value")!.Value, p.Integer("timestamp")!.Value, p.Integer("step")));
        }
        await request.WriteJsonAsync(new JsonObject());
    }

    /// <summary>A key already on the run → 400 (log-batch skips it instead); key and value ≤ 250 characters.</summary>
    private async Task LogParameter(ApiRequest request)
    {
        var project = context.Guard.ForMlflow(request, write: true).Project;
        var p = await GitLabParams.ReadAsync(request);
        p.Validate(["run_id", "key", "value"]);
        var (key, value) = (p.String("key")!, p.String("value")!);
        CheckLength("Name", key, 250);
        CheckLength("Value", value, 250);
        lock (context.State.Sync)
        {
            var run = Find(project, p);
            if (run.Params.Contains(key)) throw Taken();
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
        CheckLength("Name", key, 250);
        CheckLength("Value", value, 5000);
        lock (context.State.Sync)
        {
            var run = Find(project, p);
            if (run.Tags.Contains(key)) throw Taken();
            run.Tags.Set(key, value);
        }
        await request.WriteJsonAsync(new JsonObject());
    }

    /// <summary>Every element needs its fields (Grape: "metrics[0][timestamp] is missing"); duplicate keys are skipped silently.</summary>
    private async Task LogBatch(ApiRequest request)
    {
        var project = context.Guard.ForMlflow(request, write: true).Project;
        var p = await GitLabParams.ReadAsync(request);
        p.Validate(["run_id"], arrays: ["metrics", "params", "tags"]);
        var problems = new List<string>();
        RequireFields(p.Array("metrics"), "metrics", ["key", "value", "timestamp"], problems);
        RequireFields(p.Array("params"), "params", ["key", "value"], problems);
        RequireFields(p.Array("tags"), "tags", ["key", "value"], problems);
        if (problems.Count > 0) throw GitLabErrors.Validation(string.Join(", ", problems));
        lock (context.State.Sync)
        {
            var run = Find(project, p);
            foreach (var m in p.Array("metrics").OfType<JsonObject>())
            {
                var value = m["value"] is JsonValue v && v.TryGetValue<double>(out var d) ? d
                    : double.Parse(GitLabParams.ToText(m["value"])!, System.Globalization.CultureInfo.InvariantCulture);
                run.Metrics.Add(new MetricRow(GitLabParams.ToText(m["key"])!, value, GitLabParams.ToInteger(m["timestamp"]) ?? 0, GitLabParams.ToInteger(m["step"])));
            }
            foreach (var (list, items) in new[] { (run.Params, p.Array("params")), (run.Tags, p.Array("tags")) })
            {
                foreach (var item in items.OfType<JsonObject>())
                {
                    var key = GitLabParams.ToText(item["key"])!;
                    if (!list.Contains(key)) list.Set(key, GitLabParams.ToText(item["value"]) ?? "");
                }
            }
        }
        await request.WriteJsonAsync(new JsonObject());
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

    private static ApiErrorException Taken() => GitLabErrors.InvalidParameter((JsonNode?)"Validation failed: Name has already been taken");

    private static void RequireFields(JsonArray items, string name, string[] fields, List<string> problems)
    {
        for (var i = 0; i < items.Count; i++)
        {
            foreach (var field in fields)
            {
                if ((items[i] as JsonObject)?[field] is null) problems.Add($"{name}[{i}][{field}] is missing");
            }
        }
    }

    private static void CheckLength(string what, string value, int limit)
    {
        if (value.Length > limit)
        {
            throw GitLabErrors.InvalidParameter((JsonNode?)$"Validation failed: {what} is too long (maximum is {limit} characters)");
        }
    }
}
