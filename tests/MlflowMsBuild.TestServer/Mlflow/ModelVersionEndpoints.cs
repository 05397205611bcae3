using System.Globalization;
using System.Text.Json.Nodes;
using MlflowMsBuild.TestServer.Http;
using static MlflowMsBuild.TestServer.Mlflow.MlflowFlavor;

namespace MlflowMsBuild.TestServer.Mlflow;

/// <summary>model-versions create/get/get-download-uri/update/delete/set-tag/delete-tag/search.</summary>
internal sealed class ModelVersionEndpoints(MlflowState state)
{
    public void Map(RouteTable routes)
    {
        routes.Map("POST", Api + "model-versions/create", "model-versions/create", Create);
        routes.Map("GET", Api + "model-versions/get", "model-versions/get", Get);
        routes.Map("GET", Api + "model-versions/get-download-uri", "model-versions/get-download-uri", DownloadUri);
        routes.Map("PATCH", Api + "model-versions/update", "model-versions/update", Update);
        routes.Map("DELETE", Api + "model-versions/delete", "model-versions/delete", Delete);
        routes.Map("POST", Api + "model-versions/set-tag", "model-versions/set-tag", SetTag);
        routes.Map("DELETE", Api + "model-versions/delete-tag", "model-versions/delete-tag", DeleteTag);
        routes.Map("GET", Api + "model-versions/search", "model-versions/search", Search);
    }

    /// <summary>Versions are 1, 2, 3... per model. A <c>models:/name/version</c> source is resolved to that version's
    /// storage location (what get-download-uri answers); any other source is stored and answered as given.</summary>
    private async Task Create(ApiRequest request)
    {
        var args = await MlflowArgs.ReadAsync(request);
        var name = args.RequiredString("name");
        var source = args.RequiredString("source");
        MlflowValidation.Source(source);
        var tags = RegisteredModelEndpoints.RegistryTags(args.Objects("tags"));
        JsonObject json;
        lock (state.Sync)
        {
            var model = state.Model(name);
            var storage = source;
            if (source.StartsWith("models:/m-", StringComparison.Ordinal))
            {
                // MLflow 3: a version of a logged model keeps the logged model's files as its storage location.
                storage = state.LoggedModel(source["models:/".Length..].TrimEnd('/')).ArtifactUri;
            }
            else if (source.StartsWith("models:/", StringComparison.Ordinal))
            {
                var parts = source["models:/".Length..].Split('/');
                try
                {
                    storage = state.Version(parts[0], parts.ElementAtOrDefault(1) ?? "").StorageLocation;
                }
                catch (Http.ApiErrorException e)
                {
                    throw MlflowErrors.Error("INTERNAL_ERROR", $"Unable to fetch model from model URI source artifact location '{source}'.Error: {e.Body}");
                }
            }
            var now = state.NowMs;
            var version = new ModelVersionRecord
            {
                Name = name, Version = model.NextVersion++, CreationTimestamp = now, LastUpdatedTimestamp = now,
                Description = args.String("description"), Source = source, StorageLocation = storage,
                RunId = args.String("run_id"), RunLink = args.String("run_link") ?? "",
            };
            foreach (var (key, value) in tags.Items) version.Tags.Set(key, value);
            model.Versions[version.Version] = version;
            model.LastUpdatedTimestamp = now;
            json = new() { ["model_version"] = MlflowJson.ModelVersion(version) };
        }
        await request.OkAsync(json);
    }

    private async Task Get(ApiRequest request)
    {
        var args = await MlflowArgs.ReadAsync(request);
        var name = args.RequiredString("name");
        var version = args.RequiredString("version");
        JsonObject json;
        lock (state.Sync) json = new() { ["model_version"] = MlflowJson.ModelVersion(state.Version(name, version), state.Models[name]) };
        await request.OkAsync(json);
    }

    private async Task DownloadUri(ApiRequest request)
    {
        var args = await MlflowArgs.ReadAsync(request);
        var name = args.RequiredString("name");
        var version = args.RequiredString("version");
        JsonObject json;
        lock (state.Sync) json = new() { ["artifact_uri"] = state.Version(name, version).StorageLocation };
        await request.OkAsync(json);
    }

    /// <summary>Only the description changes.</summary>
    private async Task Update(ApiRequest request)
    {
        var args = await MlflowArgs.ReadAsync(request);
        var name = args.RequiredString("name");
        var version = args.RequiredString("version");
        JsonObject json;
        lock (state.Sync)
        {
            var v = state.Version(name, version);
            if (args.Has("description")) v.Description = args.String("description");
            v.LastUpdatedTimestamp = state.NowMs;
            json = new() { ["model_version"] = MlflowJson.ModelVersion(v) };
        }
        await request.OkAsync(json);
    }

    private async Task Delete(ApiRequest request)
    {
        var args = await MlflowArgs.ReadAsync(request);
        var name = args.RequiredString("name");
        var version = args.RequiredString("version");
        lock (state.Sync)
        {
            var v = state.Version(name, version);
            var model = state.Models[name];
            model.Versions.Remove(v.Version);
            foreach (var alias in model.AliasesOf(v.Version).ToList()) model.Aliases.Remove(alias);
            model.LastUpdatedTimestamp = state.NowMs;
        }
        await request.OkEmptyAsync();
    }

    private async Task SetTag(ApiRequest request)
    {
        var args = await MlflowArgs.ReadAsync(request);
        var name = args.RequiredString("name");
        var version = args.RequiredString("version");
        var key = args.RequiredString("key");
        var tags = RegisteredModelEndpoints.RegistryTags([new JsonObject { ["key"] = key, ["value"] = args.String("value") ?? "" }]);
        lock (state.Sync) state.Version(name, version).Tags.Set(key, tags.Get(key)!);
        await request.OkEmptyAsync();
    }

    private async Task DeleteTag(ApiRequest request)
    {
        var args = await MlflowArgs.ReadAsync(request);
        var name = args.RequiredString("name");
        var version = args.RequiredString("version");
        var key = args.RequiredString("key");
        lock (state.Sync) state.Version(name, version).Tags.Remove(key);
        await request.OkEmptyAsync();
    }

    /// <summary>Answers carry no aliases (as 2.12). Default order: last update DESC, name ASC, version DESC.</summary>
    private async Task Search(ApiRequest request)
    {
        var args = await MlflowArgs.ReadAsync(request);
        var maxResults = args.Long("max_results") ?? 10000;
        if (maxResults > 200000)
        {
            throw MlflowErrors.Invalid($"Invalid value for request parameter max_results. It must be at most 200000, but got value {maxResults}");
        }
        var clauses = SearchFilter.Parse(args.String("filter"));
        JsonObject json;
        lock (state.Sync)
        {
            var found = state.Models.Values.SelectMany(m => m.Versions.Values).Where(v => clauses.All(c => (c.Kind, c.Key) switch
            {
                ("tags" or "tag", var key) => c.Matches(v.Tags.Get(key)),
                ("", "name") => c.Matches(v.Name),
                ("", "run_id") => c.Matches(v.RunId ?? ""),
                ("", "source_path") => c.Matches(v.Source),
                ("", "version_number") => c.Matches(v.Version),
                _ => throw MlflowErrors.Invalid($"Invalid attribute key '{c.Key}' specified. Valid keys are '{{'name', 'run_id', 'source_path', 'version_number'}}'"),
            }));
            var ordered = found.OrderByDescending(v => v.LastUpdatedTimestamp).ThenBy(v => v.Name, StringComparer.Ordinal)
                .ThenByDescending(v => v.Version).ToList();
            json = MlflowAnswers.Paged("model_versions", ordered, args.String("page_token"), maxResults, v => MlflowJson.ModelVersion(v));
        }
        await request.OkAsync(json);
    }
}
