using System.Text.Json.Nodes;
using MlflowMsBuild.TestServer.Http;
using static MlflowMsBuild.TestServer.GitLab.GitLabContext;

namespace MlflowMsBuild.TestServer.GitLab;

/// <summary>experiments get, get-by-name, list, search (POST), create, set-experiment-tag, delete.</summary>
internal sealed class ExperimentEndpoints(GitLabContext context)
{
    public void Map(RouteTable routes)
    {
        routes.Map("GET", Api + "experiments/get", "experiments/get", Get);
        routes.Map("GET", Api + "experiments/get-by-name", "experiments/get-by-name", Get);
        routes.Map("GET", Api + "experiments/list", "experiments/list", List);
        routes.Map("POST", Api + "experiments/search", "experiments/search", Search);
        routes.Map("POST", Api + "experiments/create", "experiments/create", Create);
        routes.Map("POST", Api + "experiments/set-experiment-tag", "experiments/set-experiment-tag", SetTag);
        routes.Map("POST", Api + "experiments/delete", "experiments/delete", Delete);
    }

    /// <summary>By experiment_id (iid) or experiment_name; missing or unknown → 404.</summary>
    private static GitLabExperiment Find(GitLabProject project, GitLabParams p)
    {
        var iid = p.Integer("experiment_id");
        var name = p.String("experiment_name");
        return project.Experiments.FirstOrDefault(e => iid is not null ? e.Iid == iid : name is not null && e.Name == name)
            ?? throw GitLabErrors.ResourceNotFound();
    }

    private async Task Get(ApiRequest request)
    {
        var project = context.Guard.ForMlflow(request, write: false).Project;
        var p = await GitLabParams.ReadAsync(request);
        JsonObject json;
        lock (context.State.Sync) json = new() { ["experiment"] = GitLabJson.Experiment(Find(project, p)) };
        await request.WriteJsonAsync(json);
    }

    private async Task List(ApiRequest request)
    {
        var project = context.Guard.ForMlflow(request, write: false).Project;
        JsonObject json;
        lock (context.State.Sync)
        {
            json = new() { ["experiments"] = new JsonArray(project.Experiments.Select(e => (JsonNode?)GitLabJson.Experiment(e)).ToArray()) };
        }
        await request.WriteJsonAsync(json);
    }

    /// <summary>A POST: needs api scope and write permission even though it only reads. Filter is ignored.</summary>
    private async Task Search(ApiRequest request)
    {
        var project = context.Guard.ForMlflow(request, write: true).Project;
        var p = await GitLabParams.ReadAsync(request);
        p.Validate([], integers: ["max_results"]);
        var order = (p.String("order_by") ?? "created_at DESC").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var ascending = order.Length > 1 && order[1].Equals("ASC", StringComparison.OrdinalIgnoreCase);
        JsonObject json;
        lock (context.State.Sync)
        {
            IEnumerable<GitLabExperiment> sorted = order[0] == "name"
                ? project.Experiments.OrderBy(e => e.Name, StringComparer.Ordinal)
                : project.Experiments.OrderBy(e => e.Iid);
            if (!ascending) sorted = sorted.Reverse();
            var (page, next) = Page(sorted.ToList(), p.String("page_token"), p.Integer("max_results"));
            json = new()
            {
                ["experiments"] = new JsonArray(page.Select(e => (JsonNode?)GitLabJson.Experiment(e)).ToArray()),
                ["next_page_token"] = next,
            };
        }
        await request.WriteJsonAsync(json);
    }

    private async Task Create(ApiRequest request)
    {
        var project = context.Guard.ForMlflow(request, write: true).Project;
        var p = await GitLabParams.ReadAsync(request);
        p.Validate(["name"], arrays: ["tags"]);
        var name = p.String("name")!;
        int iid;
        lock (context.State.Sync)
        {
            if (project.Experiments.Any(e => e.Name == name)) throw GitLabErrors.AlreadyExists();
            var experiment = AddExperiment(project, name);
            foreach (var tag in p.Array("tags").OfType<JsonObject>())
            {
                var key = GitLabParams.ToText(tag["key"]);
                if (key is not null && !experiment.Tags.Contains(key)) experiment.Tags.Set(key, GitLabParams.ToText(tag["value"]) ?? "");
            }
            iid = experiment.Iid;
        }
        await request.WriteJsonAsync(new JsonObject { ["experiment_id"] = GitLabJson.Id(iid) });
    }

    private async Task SetTag(ApiRequest request)
    {
        var project = context.Guard.ForMlflow(request, write: true).Project;
        var p = await GitLabParams.ReadAsync(request);
        p.Validate(["experiment_id", "key", "value"]);
        lock (context.State.Sync)
        {
            var experiment = Find(project, p);
            var key = p.String("key")!;
            if (experiment.Tags.Contains(key)) throw GitLabErrors.InvalidParameter((JsonNode?)"Validation failed: Name has already been taken");
            experiment.Tags.Set(key, p.String("value")!);
        }
        await request.WriteJsonAsync(new JsonObject());
    }

    /// <summary>Hard delete with the experiment's runs; a model's experiment cannot be deleted.</summary>
    private async Task Delete(ApiRequest request)
    {
        var project = context.Guard.ForMlflow(request, write: true).Project;
        var p = await GitLabParams.ReadAsync(request);
        p.Validate(["experiment_id"]);
        lock (context.State.Sync)
        {
            var experiment = Find(project, p);
            if (experiment.ModelName is not null)
            {
                throw GitLabErrors.Body(400, new JsonObject { ["message"] = "Cannot delete an experiment associated to a model" });
            }
            project.Experiments.Remove(experiment);
            DeleteRuns(project, r => r.ExperimentId == GitLabJson.Id(experiment.Iid));
        }
        await request.WriteJsonAsync(new JsonObject());
    }
}
