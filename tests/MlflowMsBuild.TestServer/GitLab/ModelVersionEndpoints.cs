using System.Text.Json.Nodes;
using MlflowMsBuild.TestServer.Http;
using static MlflowMsBuild.TestServer.GitLab.GitLabContext;

namespace MlflowMsBuild.TestServer.GitLab;

/// <summary>model-versions create/get/update/get-download-uri: get and update take the SemVer, get-download-uri the id.</summary>
internal sealed class ModelVersionEndpoints(GitLabContext context)
{
    private const string VersionTag = "gitlab.version";

    public void Map(RouteTable routes)
    {
        routes.Map("POST", Api + "model-versions/create", "model-versions/create", Create);
        routes.Map("GET", Api + "model-versions/get", "model-versions/get", Get);
        routes.Map("PATCH", Api + "model-versions/update", "model-versions/update", Update);
        routes.Map("GET", Api + "model-versions/get-download-uri", "model-versions/get-download-uri", DownloadUri);
    }

    /// <summary>
    /// Version from tag gitlab.version, else an increment of the highest SemVer. In one step: the version, its
    /// package and its run (or, with run_id, that run promoted). source and run_link are ignored.
    /// </summary>
    private async Task Create(ApiRequest request)
    {
        var project = context.Guard.ForMlflow(request, write: true).Project;
        var p = await GitLabParams.ReadAsync(request);
        p.Validate([], arrays: ["tags"]);
        var tags = p.Array("tags").Select(t => (Key: GitLabParams.ToText(t?["key"]) ?? "", Value: GitLabParams.ToText(t?["value"]) ?? "")).ToList();
        var description = p.String("description") ?? "";
        var runId = p.String("run_id");
        JsonObject json;
        lock (context.State.Sync)
        {
            var model = RegisteredModelEndpoints.Find(project, p.String("name"));
            var requested = tags.Where(t => t.Key == VersionTag).Select(t => (string?)t.Value).LastOrDefault();
            var highest = model.Versions.Select(v => v.SemVer).OrderBy(v => v, SemVer.StringComparer).LastOrDefault();
            var semver = requested ?? SemVer.Next(highest, context.State.Options.GitLabVersionIncrement);
            if (SemVer.Parse(semver) is null) throw GitLabErrors.InvalidParameter("Version must be semantic version");
            if (model.Versions.Any(v => v.SemVer == semver)) throw GitLabErrors.InvalidParameter("Version has already been taken");
            if (description.Length > 10000) throw GitLabErrors.InvalidParameter("Description is too long (maximum is 10000 characters)");
            // ModelVersion#add_metadata: create! per tag in the service's transaction, so the first invalid tag
            // (ModelVersionMetadata: name ≤ 255, value ≤ 5000, both present, name unique) undoes the version.
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (key, value) in tags)
            {
                if (GitLabRows.Invalid(GitLabRows.VersionTags, key, value) is { } invalid) throw GitLabErrors.InvalidParameter(invalid);
                if (!seen.Add(key)) throw GitLabErrors.InvalidParameter($"Validation failed: Name '{key}' already taken");
            }

            var promoted = runId is null ? null : Promotable(project, model, runId);
            var now = context.NowSeconds;
            var versionId = context.State.NextVersionId();
            var experiment = project.Experiments.First(e => e.Iid == model.ExperimentIid);
            var run = promoted ?? context.AddRun(project, experiment, Storage.RandomNames.GitLab(), "", 0, versionId);
            run.ModelVersionId = versionId;
            run.ArtifactUri = context.Urls.PackageFiles(project.Id, GitLabJson.Id(versionId));
            var version = new GitLabModelVersion
            {
                Id = versionId, SemVer = semver, Model = model, RunId = run.RunId, Description = description, CreatedAt = now, UpdatedAt = now,
            };
            foreach (var (key, value) in tags) version.Tags.Set(key, value);
            model.Versions.Add(version);
            project.Packages[GitLabJson.Id(versionId)] = [];
            json = new() { ["model_version"] = GitLabJson.ModelVersion(version, context.Urls, project) };
        }
        await request.WriteJsonAsync(json);
    }

    private static Storage.RunRecord Promotable(GitLabProject project, GitLabModel model, string runId)
    {
        var run = project.Runs.GetValueOrDefault(runId) ?? throw GitLabErrors.InvalidParameter("Run not found");
        if (run.ModelVersionId is not null) throw GitLabErrors.InvalidParameter("Run has already a model version");
        if (run.ExperimentId != GitLabJson.Id(model.ExperimentIid)) throw GitLabErrors.InvalidParameter("Run's experiment does not belong to this model");
        return run;
    }

    private async Task Get(ApiRequest request)
    {
        var project = context.Guard.ForMlflow(request, write: false).Project;
        var p = await GitLabParams.ReadAsync(request);
        p.Validate(["name", "version"]);
        JsonObject json;
        lock (context.State.Sync) json = new() { ["model_version"] = GitLabJson.ModelVersion(Find(project, p) ?? throw GitLabErrors.ResourceNotFound(), context.Urls, project) };
        await request.WriteJsonAsync(json);
    }

    /// <summary>name, version (SemVer) and description all required (else message null); not found → UPDATE_FAILED.</summary>
    private async Task Update(ApiRequest request)
    {
        var project = context.Guard.ForMlflow(request, write: true).Project;
        var p = await GitLabParams.ReadAsync(request);
        if (p.String("name") is null || p.String("version") is null || p.String("description") is null)
        {
            throw GitLabErrors.InvalidParameter((JsonNode?)null);
        }
        JsonObject json;
        lock (context.State.Sync)
        {
            var version = Find(project, p) ?? throw GitLabErrors.UpdateFailed();
            var description = p.String("description")!;
            if (description.Length > 10000) throw GitLabErrors.UpdateFailed();
            version.Description = description;
            version.UpdatedAt = context.NowSeconds;
            json = new() { ["model_version"] = GitLabJson.ModelVersion(version, context.Urls, project) };
        }
        await request.WriteJsonAsync(json);
    }

    /// <summary>No existence check: always mlflow-artifacts:/&lt;version&gt;; version must be an integer (the id).</summary>
    private async Task DownloadUri(ApiRequest request)
    {
        context.Guard.ForMlflow(request, write: false);
        var p = await GitLabParams.ReadAsync(request);
        p.Validate(["name", "version"], integers: ["version"]);
        await request.WriteJsonAsync(new JsonObject { ["artifact_uri"] = $"mlflow-artifacts:/{p.Integer("version")}" });
    }

    private static GitLabModelVersion? Find(GitLabProject project, GitLabParams p) =>
        project.Models.TryGetValue(p.String("name")!, out var model)
            ? model.Versions.FirstOrDefault(v => v.SemVer == p.String("version"))
            : null;
}
