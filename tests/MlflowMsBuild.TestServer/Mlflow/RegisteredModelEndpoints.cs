using System.Globalization;
using System.Text.Json.Nodes;
using MlflowMsBuild.TestServer.Http;
using MlflowMsBuild.TestServer.Storage;
using static MlflowMsBuild.TestServer.Mlflow.MlflowFlavor;

namespace MlflowMsBuild.TestServer.Mlflow;

/// <summary>registered-models create/get/update/delete/search/get-latest-versions/alias/set-tag/delete-tag.</summary>
internal sealed class RegisteredModelEndpoints(MlflowState state, Version server)
{
    public void Map(RouteTable routes)
    {
        routes.Map("POST", Api + "registered-models/create", "registered-models/create", Create);
        routes.Map("GET", Api + "registered-models/get", "registered-models/get", Get);
        routes.Map("PATCH", Api + "registered-models/update", "registered-models/update", Update);
        routes.Map("DELETE", Api + "registered-models/delete", "registered-models/delete", Delete);
        routes.Map("GET", Api + "registered-models/search", "registered-models/search", Search);
        routes.Map("GET", Api + "registered-models/get-latest-versions", "registered-models/get-latest-versions", LatestVersions);
        routes.Map("POST", Api + "registered-models/get-latest-versions", "registered-models/get-latest-versions", LatestVersions);
        routes.Map("POST", Api + "registered-models/alias", "registered-models/alias", SetAlias);
        routes.Map("GET", Api + "registered-models/alias", "registered-models/alias", GetAlias);
        routes.Map("DELETE", Api + "registered-models/alias", "registered-models/alias", DeleteAlias);
        routes.Map("POST", Api + "registered-models/set-tag", "registered-models/set-tag", SetTag);
        routes.Map("DELETE", Api + "registered-models/delete-tag", "registered-models/delete-tag", DeleteTag);
    }

    /// <summary>Registry tags: key rules as run tags, values beyond 5000 characters silently truncated.</summary>
    public static TagList RegistryTags(IEnumerable<JsonObject> tags)
    {
        var list = new TagList();
        foreach (var tag in tags)
        {
            var key = MlflowArgs.StringOf(tag["key"], "key");
            MlflowValidation.Key("tag", key);
            var value = MlflowArgs.StringOf(tag["value"], "value") ?? "";
            list.Set(key!, value.Length > MlflowValidation.MaxRegistryTagValueLength ? value[..MlflowValidation.MaxRegistryTagValueLength] : value);
        }
        return list;
    }

    private async Task Create(ApiRequest request)
    {
        var args = await MlflowArgs.ReadAsync(request);
        var name = args.RequiredString("name");
        MlflowValidation.ModelName(name, server);
        var tags = RegistryTags(args.Objects("tags"));
        JsonObject json;
        lock (state.Sync)
        {
            if (state.Models.ContainsKey(name)) throw MlflowErrors.AlreadyExists($"Registered Model (name={name}) already exists.");
            var now = state.NowMs;
            var model = new RegisteredModelRecord { Name = name, CreationTimestamp = now, LastUpdatedTimestamp = now, Description = args.String("description") };
            foreach (var (key, value) in tags.Items) model.Tags.Set(key, value);
            state.Models[name] = model;
            json = new() { ["registered_model"] = MlflowJson.RegisteredModel(model) };
        }
        await request.OkAsync(json);
    }

    private async Task Get(ApiRequest request)
    {
        var args = await MlflowArgs.ReadAsync(request);
        var name = args.RequiredString("name");
        JsonObject json;
        lock (state.Sync) json = new() { ["registered_model"] = MlflowJson.RegisteredModel(state.Model(name)) };
        await request.OkAsync(json);
    }

    private async Task Update(ApiRequest request)
    {
        var args = await MlflowArgs.ReadAsync(request);
        var name = args.RequiredString("name");
        JsonObject json;
        lock (state.Sync)
        {
            var model = state.Model(name);
            if (args.Has("description")) model.Description = args.String("description");
            model.LastUpdatedTimestamp = state.NowMs;
            json = new() { ["registered_model"] = MlflowJson.RegisteredModel(model) };
        }
        await request.OkAsync(json);
    }

    private async Task Delete(ApiRequest request)
    {
        var args = await MlflowArgs.ReadAsync(request);
        var name = args.RequiredString("name");
        lock (state.Sync)
        {
            state.Model(name);
            state.Models.Remove(name);
        }
        await request.OkEmptyAsync();
    }

    private async Task Search(ApiRequest request)
    {
        var args = await MlflowArgs.ReadAsync(request);
        var maxResults = args.Long("max_results") ?? 100;
        if (maxResults > 1000)
        {
            throw MlflowErrors.Invalid($"Invalid value for request parameter max_results. It must be at most 1000, but got value {maxResults}");
        }
        var clauses = SearchFilter.Parse(args.String("filter"));
        var orderBy = args.Array("order_by").Select(o => MlflowArgs.StringOf(o, "order_by") ?? "").FirstOrDefault() ?? "name ASC";
        var parts = orderBy.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var descending = parts.Length > 1 && parts[1].Equals("DESC", StringComparison.OrdinalIgnoreCase);
        JsonObject json;
        lock (state.Sync)
        {
            var found = state.Models.Values.Where(m => clauses.All(c => (c.Kind, c.Key) switch
            {
                ("tags" or "tag", var key) => c.Matches(m.Tags.Get(key)),
                ("", "name") => c.Matches(m.Name),
                _ => throw MlflowErrors.Invalid($"Invalid attribute key '{c.Key}' specified. Valid keys are '{{'name'}}'"),
            }));
            Func<RegisteredModelRecord, IComparable> key = parts[0] switch
            {
                "name" => m => m.Name,
                "last_updated_timestamp" or "timestamp" => m => m.LastUpdatedTimestamp,
                _ => throw MlflowErrors.Invalid($"Invalid order by key '{parts[0]}' specified. Valid keys are 'name', 'timestamp', 'last_updated_timestamp'"),
            };
            var ordered = (descending ? found.OrderByDescending(key) : found.OrderBy(key)).ThenBy(m => m.Name, StringComparer.Ordinal).ToList();
            json = MlflowAnswers.Paged("registered_models", ordered, args.String("page_token"), maxResults, MlflowJson.RegisteredModel);
        }
        await request.OkAsync(json);
    }

    private async Task LatestVersions(ApiRequest request)
    {
        var args = await MlflowArgs.ReadAsync(request);
        var name = args.RequiredString("name");
        var stages = args.Array("stages").Select(s => MlflowArgs.StringOf(s, "stages")!).ToList();
        var json = new JsonObject();
        lock (state.Sync)
        {
            var model = state.Model(name);
            var wantsNone = stages.Count == 0 || stages.Any(s => s.Equals("None", StringComparison.OrdinalIgnoreCase));
            if (wantsNone && model.Versions.Count > 0) json["model_versions"] = new JsonArray(MlflowJson.ModelVersion(model.Versions.Values.Last()));
        }
        await request.OkAsync(json);
    }

    private async Task SetAlias(ApiRequest request)
    {
        var args = await MlflowArgs.ReadAsync(request);
        var name = args.RequiredString("name");
        var alias = args.RequiredString("alias");
        var version = args.RequiredString("version");
        MlflowValidation.Alias(alias);
        lock (state.Sync)
        {
            var model = state.Model(name);
            var v = state.Version(name, version);
            model.Aliases.Remove(alias);
            model.Aliases.Set(alias, v.Version.ToString(CultureInfo.InvariantCulture));
        }
        await request.OkEmptyAsync();
    }

    private async Task GetAlias(ApiRequest request)
    {
        var args = await MlflowArgs.ReadAsync(request);
        var name = args.RequiredString("name");
        var alias = args.RequiredString("alias");
        JsonObject json;
        lock (state.Sync)
        {
            var model = state.Model(name);
            var version = model.Aliases.Get(alias) ?? throw MlflowErrors.Invalid($"Registered model alias {alias} not found.");
            json = new() { ["model_version"] = MlflowJson.ModelVersion(state.Version(name, version), model) };
        }
        await request.OkAsync(json);
    }

    /// <summary>DELETE reads its parameters from the JSON body only (a query string is ignored).</summary>
    private async Task DeleteAlias(ApiRequest request)
    {
        var args = await MlflowArgs.ReadAsync(request);
        var name = args.RequiredString("name");
        var alias = args.RequiredString("alias");
        lock (state.Sync) state.Model(name).Aliases.Remove(alias);
        await request.OkEmptyAsync();
    }

    private async Task SetTag(ApiRequest request)
    {
        var args = await MlflowArgs.ReadAsync(request);
        var name = args.RequiredString("name");
        var key = args.RequiredString("key");
        var tags = RegistryTags([new JsonObject { ["key"] = key, ["value"] = args.String("value") ?? "" }]);
        lock (state.Sync) state.Model(name).Tags.Set(key, tags.Get(key)!);
        await request.OkEmptyAsync();
    }

    private async Task DeleteTag(ApiRequest request)
    {
        var args = await MlflowArgs.ReadAsync(request);
        var name = args.RequiredString("name");
        var key = args.RequiredString("key");
        lock (state.Sync) state.Model(name).Tags.Remove(key);
        await request.OkEmptyAsync();
    }
}
