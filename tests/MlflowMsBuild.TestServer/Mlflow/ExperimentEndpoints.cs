using System.Text.Json.Nodes;
using MlflowMsBuild.TestServer.Http;
using static MlflowMsBuild.TestServer.Mlflow.MlflowFlavor;

namespace MlflowMsBuild.TestServer.Mlflow;

/// <summary>experiments/get, get-by-name, create, search, set-experiment-tag.</summary>
internal sealed class ExperimentEndpoints(MlflowState state)
{
    public void Map(RouteTable routes)
    {
        routes.Map("GET", Api + "experiments/get", "experiments/get", Get);
        routes.Map("GET", Api + "experiments/get-by-name", "experiments/get-by-name", GetByName);
        routes.Map("POST", Api + "experiments/create", "experiments/create", Create);
        routes.Map("GET", Api + "experiments/search", "experiments/search", Search);
        routes.Map("POST", Api + "experiments/search", "experiments/search", Search);
        routes.Map("POST", Api + "experiments/set-experiment-tag", "experiments/set-experiment-tag", SetTag);
        routes.Map("POST", Api + "experiments/delete", "experiments/delete", request => SetLifecycle(request, "deleted"));
        routes.Map("POST", Api + "experiments/restore", "experiments/restore", request => SetLifecycle(request, "active"));
    }

    private async Task Get(ApiRequest request)
    {
        var args = await MlflowArgs.ReadAsync(request);
        var id = args.RequiredString("experiment_id");
        JsonObject json;
        lock (state.Sync) json = new() { ["experiment"] = MlflowJson.Experiment(state.Experiment(id)) };
        await request.OkAsync(json);
    }

    private async Task GetByName(ApiRequest request)
    {
        var args = await MlflowArgs.ReadAsync(request);
        var name = args.RequiredString("experiment_name");
        JsonObject json;
        lock (state.Sync)
        {
            var experiment = state.Experiments.Values.FirstOrDefault(e => e.Name == name)
                ?? throw MlflowErrors.NotFound($"Could not find experiment with name '{name}'");
            json = new() { ["experiment"] = MlflowJson.Experiment(experiment) };
        }
        await request.OkAsync(json);
    }

    private async Task Create(ApiRequest request)
    {
        var args = await MlflowArgs.ReadAsync(request);
        var name = args.RequiredString("name");
        var location = args.String("artifact_location");
        var tags = args.Objects("tags").Select(t => (Key: MlflowArgs.StringOf(t["key"], "key"), Value: MlflowArgs.StringOf(t["value"], "value") ?? "")).ToList();
        foreach (var (key, value) in tags)
        {
            MlflowValidation.Key("tag", key);
            MlflowValidation.Length("Tag value", value, MlflowValidation.MaxRunTagValueLength);
        }
        string id;
        lock (state.Sync)
        {
            if (state.Experiments.Values.Any(e => e.Name == name))
            {
                throw MlflowErrors.AlreadyExists($"Experiment(name={name}) already exists. Error: (sqlite3.IntegrityError) UNIQUE constraint failed: experiments.name");
            }
            id = state.NextExperimentId();
            var now = state.NowMs;
            var experiment = new ExperimentRecord
            {
                Id = id, Name = name, ArtifactLocation = string.IsNullOrEmpty(location) ? $"mlflow-artifacts:/{id}" : location,
                CreationTime = now, LastUpdateTime = now,
            };
            foreach (var (key, value) in tags) experiment.Tags.Set(key!, value);
            state.Experiments[id] = experiment;
        }
        await request.OkAsync(new JsonObject { ["experiment_id"] = id });
    }

    private async Task Search(ApiRequest request)
    {
        var args = await MlflowArgs.ReadAsync(request);
        var maxResults = args.Long("max_results") ?? 1000;
        if (maxResults > 50000) throw MlflowErrors.Invalid($"Invalid value {maxResults} for parameter 'max_results' supplied. It must be at most 50000");
        var view = args.String("view_type") ?? "ACTIVE_ONLY";
        var clauses = SearchFilter.Parse(args.String("filter"));
        var orderBy = args.Array("order_by").Select(o => MlflowArgs.StringOf(o, "order_by") ?? "").ToList();
        JsonObject json;
        lock (state.Sync)
        {
            var found = state.Experiments.Values
                .Where(e => view == "ALL" || (view == "DELETED_ONLY") == (e.LifecycleStage == "deleted"))
                .Where(e => clauses.All(c => Matches(e, c)));
            var ordered = Order(found, orderBy).ToList();
            json = MlflowAnswers.Paged("experiments", ordered, args.String("page_token"), maxResults, MlflowJson.Experiment);
        }
        await request.OkAsync(json);
    }

    private async Task SetTag(ApiRequest request)
    {
        var args = await MlflowArgs.ReadAsync(request);
        var id = args.RequiredString("experiment_id");
        var key = args.RequiredString("key");
        var value = args.String("value") ?? "";
        MlflowValidation.Key("tag", key);
        lock (state.Sync) state.Experiment(id).Tags.Set(key, value);
        await request.OkEmptyAsync();
    }

    /// <summary>A deleted experiment stays findable by name (with lifecycle_stage "deleted") until restored.</summary>
    private async Task SetLifecycle(ApiRequest request, string stage)
    {
        var args = await MlflowArgs.ReadAsync(request);
        var id = args.RequiredString("experiment_id");
        lock (state.Sync)
        {
            var experiment = state.Experiment(id);
            experiment.LifecycleStage = stage;
            experiment.LastUpdateTime = state.NowMs;
        }

        await request.OkEmptyAsync();
    }

    private static bool Matches(ExperimentRecord e, FilterClause c) => (c.Kind.ToLowerInvariant(), c.Key) switch
    {
        ("tags" or "tag", var key) => c.Matches(e.Tags.Get(key)),
        ("" or "attribute" or "attributes", "name") => c.Matches(e.Name),
        ("" or "attribute" or "attributes", "creation_time") => c.Matches(e.CreationTime),
        ("" or "attribute" or "attributes", "last_update_time") => c.Matches(e.LastUpdateTime),
        _ => throw MlflowErrors.Invalid($"Invalid attribute key '{c.Key}' specified. Valid keys are '{{'name', 'creation_time', 'last_update_time'}}'"),
    };

    private static IEnumerable<ExperimentRecord> Order(IEnumerable<ExperimentRecord> items, List<string> orderBy)
    {
        if (orderBy.Count == 0) return items.OrderByDescending(e => e.CreationTime).ThenBy(e => long.Parse(e.Id, System.Globalization.CultureInfo.InvariantCulture));
        IOrderedEnumerable<ExperimentRecord>? ordered = null;
        foreach (var clause in orderBy)
        {
            var parts = clause.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var descending = parts.Length > 1 && parts[1].Equals("DESC", StringComparison.OrdinalIgnoreCase);
            Func<ExperimentRecord, IComparable> key = parts.FirstOrDefault() switch
            {
                "name" => e => e.Name,
                "creation_time" => e => e.CreationTime,
                "last_update_time" => e => e.LastUpdateTime,
                "experiment_id" => e => long.Parse(e.Id, System.Globalization.CultureInfo.InvariantCulture),
                _ => throw MlflowErrors.Invalid($"Invalid order_by clause '{clause}'."),
            };
            ordered = ordered is null
                ? descending ? items.OrderByDescending(key) : items.OrderBy(key)
                : descending ? ordered.ThenByDescending(key) : ordered.ThenBy(key);
        }
        return ordered!;
    }
}
