using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using MlflowMsBuild.TestServer.Http;
using MlflowMsBuild.TestServer.Storage;

namespace MlflowMsBuild.TestServer.GitLab;

/// <summary>What GitLab endpoint classes share.</summary>
internal sealed class GitLabContext(GitLabState state, GitLabUrls urls, string dataDirectory)
{
    /// <summary>Prefix of the MLflow-compatible API; route keys are the part after it.</summary>
    public const string Api = "api/v4/projects/{id}/ml/mlflow/api/2.0/mlflow/";

    public GitLabState State => state;

    public GitLabGuard Guard { get; } = new(state);

    public GitLabUrls Urls => urls;

    public string PackageDirectory { get; } = Path.Combine(dataDirectory, "gitlab-packages");

    public string UploadDirectory { get; } = Path.Combine(dataDirectory, ".uploads");

    public long NowSeconds => state.NowSeconds;

    /// <summary>Creates an experiment with the project's next iid (caller holds the lock).</summary>
    public static GitLabExperiment AddExperiment(GitLabProject project, string name, string? modelName = null)
    {
        var experiment = new GitLabExperiment { Iid = project.NextExperimentIid++, Name = name, ModelName = modelName };
        project.Experiments.Add(experiment);
        return experiment;
    }

    /// <summary>Creates a candidate (run) with the project's next candidate iid (caller holds the lock).</summary>
    public RunRecord AddRun(GitLabProject project, GitLabExperiment experiment, string? name, string userId, long startTime, int? modelVersionId)
    {
        var iid = project.NextCandidateIid++;
        var run = new RunRecord
        {
            RunId = Guid.NewGuid().ToString("D"), ExperimentId = GitLabJson.Id(experiment.Iid), RunName = name, UserId = userId,
            StartTime = startTime, CandidateIid = iid, ModelVersionId = modelVersionId,
            ArtifactUri = urls.PackageFiles(project.Id, modelVersionId is { } mv ? GitLabJson.Id(mv) : $"candidate:{iid}"),
        };
        project.Runs[run.RunId] = run;
        return run;
    }

    /// <summary>Removes runs of an experiment with their package files (hard delete; caller holds the lock).</summary>
    public static void DeleteRuns(GitLabProject project, Func<RunRecord, bool> which)
    {
        foreach (var run in project.Runs.Values.Where(which).ToList())
        {
            project.Runs.Remove(run.RunId);
            DeletePackage(project, $"candidate:{run.CandidateIid}");
        }
    }

    public static void DeletePackage(GitLabProject project, string owner)
    {
        if (!project.Packages.Remove(owner, out var files)) return;
        foreach (var file in files) File.Delete(file.DiskPath);
    }

    /// <summary>Takes one page; next_page_token is always present (null on the last page).</summary>
    public static (List<T> Page, JsonNode? Next) Page<T>(IReadOnlyList<T> items, string? pageToken, long? maxResults)
    {
        var offset = PageToken.Decode(pageToken) ?? throw GitLabErrors.InvalidParameter((JsonNode?)"Invalid page token");
        var size = (int)Math.Clamp(maxResults ?? 200, 1, 1000);
        var page = items.Skip(offset).Take(size).ToList();
        return (page, offset + page.Count < items.Count ? PageToken.Encode(offset + page.Count) : null);
    }
}

/// <summary>GitLab's MLflow-compatible API, ml_model package files and the project lookup (Grape/Rails).</summary>
internal sealed class GitLabFlavor : IRegistryFlavor
{
    private readonly string relativeRoot;

    public GitLabFlavor(TestServerOptions options, GitLabState state, GitLabUrls urls, string dataDirectory)
    {
        relativeRoot = options.GitLabRelativeUrlRoot.TrimEnd('/');
        var context = new GitLabContext(state, urls, dataDirectory);
        Routes.Map("GET", "api/v4/projects/{id}", "projects/get", request => GetProject(context, request));
        new ExperimentEndpoints(context).Map(Routes);
        new RunEndpoints(context).Map(Routes);
        new RegisteredModelEndpoints(context).Map(Routes);
        new ModelVersionEndpoints(context).Map(Routes);
        new PackageFileEndpoints(context, options).Map(Routes);
    }

    public RouteTable Routes { get; } = new();

    /// <summary>Split first, then decode each segment: a %2F stays inside its segment (project paths, file names).</summary>
    public IReadOnlyList<string>? Segments(string rawPath)
    {
        if (rawPath.StartsWith("/" + PackageFileEndpoints.ObjectStoragePrefix, StringComparison.Ordinal) || relativeRoot.Length == 0)
        {
            return RouteTable.Split(rawPath, decodeBeforeSplitting: false);
        }
        return rawPath.StartsWith(relativeRoot + "/", StringComparison.Ordinal)
            ? RouteTable.Split(rawPath[relativeRoot.Length..], decodeBeforeSplitting: false)
            : null;
    }

    public ApiErrorException? Admit(HttpContext http) => null;

    public ApiErrorException NotFound(IReadOnlyList<string> allowedMethods) => GitLabErrors.RouteNotFound();

    public ApiErrorException InternalError() => GitLabErrors.InternalError();

    private static async Task GetProject(GitLabContext context, ApiRequest request)
    {
        var project = context.Guard.ForProjectApi(request).Project;
        var path = project.PathWithNamespace;
        var slash = path.LastIndexOf('/');
        var namespacePath = slash < 0 ? "" : path[..slash];
        var name = path[(slash + 1)..];
        var root = context.Urls.Root;
        await request.WriteJsonAsync(new JsonObject
        {
            ["id"] = project.Id,
            ["description"] = null,
            ["name"] = name,
            ["name_with_namespace"] = path.Replace("/", " / ", StringComparison.Ordinal),
            ["path"] = name,
            ["path_with_namespace"] = path,
            ["created_at"] = project.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
            ["default_branch"] = "main",
            ["ssh_url_to_repo"] = $"git@{new Uri(root).Host}:{path}.git",
            ["http_url_to_repo"] = $"{root}/{path}.git",
            ["web_url"] = $"{root}/{path}",
            ["visibility"] = project.IsPublic ? "public" : "private",
            ["namespace"] = new JsonObject
            {
                ["id"] = project.Id + 1000, ["name"] = namespacePath, ["path"] = namespacePath, ["kind"] = "group",
                ["full_path"] = namespacePath, ["web_url"] = $"{root}/groups/{namespacePath}",
            },
        });
    }
}
