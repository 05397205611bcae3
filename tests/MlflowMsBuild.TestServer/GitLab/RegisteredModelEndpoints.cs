using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MlflowMsBuild.TestServer.Http;
using static MlflowMsBuild.TestServer.GitLab.GitLabContext;

namespace MlflowMsBuild.TestServer.GitLab;

/// <summary>registered-models create/get/update/delete/get-latest-versions/search and GET alias.</summary>
internal sealed partial class RegisteredModelEndpoints(GitLabContext context)
{
    /// <summary>Gitlab::Regex.package_name_regex (= ml_model_name_regex); Ruby's \w is ASCII.</summary>
    [GeneratedRegex(@"\A@?(?>(([A-Za-z0-9_\-.+]*)/)*([A-Za-z0-9_\-.]+))@?(?>(([A-Za-z0-9_\-.+]*)/)*([A-Za-z0-9_\-.]*))\z")]
    private static partial Regex ModelName();

    [GeneratedRegex(@"^(""|')|(""|')?$")]
    private static partial Regex OuterQuotes();

    public void Map(RouteTable routes)
    {
        routes.Map("POST", Api + "registered-models/create", "registered-models/create", Create);
        routes.Map("GET", Api + "registered-models/get", "registered-models/get", Get);
        routes.Map("PATCH", Api + "registered-models/update", "registered-models/update", Update);
        routes.Map("DELETE", Api + "registered-models/delete", "registered-models/delete", Delete);
        routes.Map("POST", Api + "registered-models/get-latest-versions", "registered-models/get-latest-versions", LatestVersions);
        routes.Map("GET", Api + "registered-models/search", "registered-models/search", Search);
        routes.Map("GET", Api + "registered-models/alias", "registered-models/alias", GetAlias);
    }

    public static GitLabModel Find(GitLabProject project, string? name) =>
        name is not null && project.Models.TryGetValue(name, out var model) ? model : throw GitLabErrors.ResourceNotFound();

    /// <summary>Creates the model and its experiment "[model]&lt;name&gt;". Every failure is 400 RESOURCE_ALREADY_EXISTS.</summary>
    private async Task Create(ApiRequest request)
    {
        var access = context.Guard.ForMlflow(request, write: true);
        var p = await GitLabParams.ReadAsync(request);
        p.Validate(["name"], arrays: ["tags"]);
        var name = p.String("name")!;
        var description = p.String("description") ?? "";
        var tags = p.Array("tags").Select(t => (Key: GitLabParams.ToText(t?["key"]), Value: GitLabParams.ToText(t?["value"]) ?? "")).ToList();
        if (!ModelName().IsMatch(name) || name.Length > 255 || ("[model]" + name).Length > 255 || description.Length > 10000 ||
            tags.Any(t => string.IsNullOrEmpty(t.Key)) || tags.Select(t => t.Key).Distinct().Count() != tags.Count)
        {
            throw GitLabErrors.AlreadyExists();
        }
        JsonObject json;
        lock (context.State.Sync)
        {
            var project = access.Project;
            var experimentName = "[model]" + name;
            if (project.Models.ContainsKey(name) || project.Experiments.Any(e => e.Name == experimentName)) throw GitLabErrors.AlreadyExists();
            var experiment = AddExperiment(project, experimentName, name);
            var now = context.NowSeconds;
            var model = new GitLabModel
            {
                Id = context.State.NextModelId(), Name = name, ExperimentIid = experiment.Iid, Description = description,
                CreatedAt = now, UpdatedAt = now, UserId = access.Token!.UserId,
            };
            foreach (var (key, value) in tags) model.Tags.Set(key!, value);
            project.Models[name] = model;
            json = new() { ["registered_model"] = GitLabJson.RegisteredModel(model, context.Urls, project) };
        }
        await request.WriteJsonAsync(json);
    }

    private async Task Get(ApiRequest request)
    {
        var project = context.Guard.ForMlflow(request, write: false).Project;
        var p = await GitLabParams.ReadAsync(request);
        JsonObject json;
        lock (context.State.Sync) json = new() { ["registered_model"] = GitLabJson.RegisteredModel(Find(project, p.String("name")), context.Urls, project) };
        await request.WriteJsonAsync(json);
    }

    private async Task Update(ApiRequest request)
    {
        var project = context.Guard.ForMlflow(request, write: true).Project;
        var p = await GitLabParams.ReadAsync(request);
        JsonObject json;
        lock (context.State.Sync)
        {
            var model = Find(project, p.String("name"));
            if (p.String("description") is { } description)
            {
                if (description.Length > 10000) throw GitLabErrors.UpdateFailed();
                model.Description = description;
                model.UpdatedAt = context.NowSeconds;
            }
            json = new() { ["registered_model"] = GitLabJson.RegisteredModel(model, context.Urls, project) };
        }
        await request.WriteJsonAsync(json);
    }

    /// <summary>Hard delete of the model, its versions, their runs and files, and the model's experiment.</summary>
    private async Task Delete(ApiRequest request)
    {
        var project = context.Guard.ForMlflow(request, write: true).Project;
        var p = await GitLabParams.ReadAsync(request);
        lock (context.State.Sync)
        {
            var model = Find(project, p.String("name"));
            project.Models.Remove(model.Name);
            foreach (var version in model.Versions) DeletePackage(project, GitLabJson.Id(version.Id));
            DeleteRuns(project, r => r.ExperimentId == GitLabJson.Id(model.ExperimentIid));
            project.Experiments.RemoveAll(e => e.Iid == model.ExperimentIid);
        }
        await request.WriteJsonAsync(new JsonObject());
    }

    /// <summary>One version: the highest SemVer (stages ignored). A model without versions fails (500).</summary>
    private async Task LatestVersions(ApiRequest request)
    {
        var project = context.Guard.ForMlflow(request, write: true).Project;
        var p = await GitLabParams.ReadAsync(request);
        JsonObject json;
        lock (context.State.Sync)
        {
            var model = Find(project, p.String("name"));
            var latest = model.Versions.OrderBy(v => v.SemVer, SemVer.StringComparer).LastOrDefault() ?? throw GitLabErrors.InternalError();
            json = new() { ["model_versions"] = new JsonArray(GitLabJson.ModelVersion(latest, context.Urls, project)) };
        }
        await request.WriteJsonAsync(json);
    }

    /// <summary>filter: only <c>name=&lt;v&gt;</c> (outer quotes stripped, no trimming), substring match.</summary>
    private async Task Search(ApiRequest request)
    {
        var project = context.Guard.ForMlflow(request, write: false).Project;
        var p = await GitLabParams.ReadAsync(request);
        p.Validate([], integers: ["max_results"]);
        string? nameFilter = null;
        if (!string.IsNullOrWhiteSpace(p.String("filter")))
        {
            var parts = p.String("filter")!.Split('=');
            if (parts[0] != "name") throw GitLabErrors.InvalidParameter((JsonNode?)"Invalid attribute key specified. Valid keys are '{'name'}'");
            nameFilter = OuterQuotes().Replace(parts.ElementAtOrDefault(1) ?? "", "");
        }
        var order = (p.String("order_by") ?? "name ASC").ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var descending = order.Length > 1 && order[1] == "desc";
        JsonObject json;
        lock (context.State.Sync)
        {
            var found = project.Models.Values.Where(m => nameFilter is null || m.Name.Contains(nameFilter, StringComparison.OrdinalIgnoreCase));
            Func<GitLabModel, IComparable> key = order[0] switch
            {
                "created_at" or "creation_timestamp" => m => m.CreatedAt,
                "updated_at" or "last_updated_timestamp" => m => m.UpdatedAt,
                "id" => m => m.Id,
                _ => m => m.Name,
            };
            var sorted = (descending ? found.OrderByDescending(key) : found.OrderBy(key)).ThenBy(m => m.Id).ToList();
            var (page, next) = Page(sorted, p.String("page_token"), p.Integer("max_results"));
            json = new()
            {
                ["registered_models"] = new JsonArray(page.Select(m => (JsonNode?)GitLabJson.RegisteredModel(m, context.Urls, project)).ToArray()),
                ["next_page_token"] = next,
            };
        }
        await request.WriteJsonAsync(json);
    }

    /// <summary>alias = a SemVer (GitLab's only aliases). name and alias are optional params: a missing one is not found.</summary>
    private async Task GetAlias(ApiRequest request)
    {
        var project = context.Guard.ForMlflow(request, write: false).Project;
        var p = await GitLabParams.ReadAsync(request);
        JsonObject json;
        lock (context.State.Sync)
        {
            var model = Find(project, p.String("name"));
            var version = model.Versions.FirstOrDefault(v => v.SemVer == p.String("alias")) ?? throw GitLabErrors.ResourceNotFound();
            json = new() { ["model_version"] = GitLabJson.ModelVersion(version, context.Urls, project) };
        }
        await request.WriteJsonAsync(json);
    }
}
