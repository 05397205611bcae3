using System.Globalization;
using System.Text.Json.Nodes;
using MlflowMsBuild.TestServer.Http;
using MlflowMsBuild.TestServer.Storage;

namespace MlflowMsBuild.TestServer.GitLab;

/// <summary>The server's external root (scheme, host, port and relative URL root), known once Kestrel listens.</summary>
internal sealed class GitLabUrls
{
    public string Root { get; set; } = "http://127.0.0.1";

    /// <summary><c>…/api/v4/projects/&lt;pid&gt;/packages/ml_models/&lt;owner&gt;/files/</c>; owner = version id or candidate:iid.</summary>
    public string PackageFiles(int projectId, string owner) => $"{Root}/api/v4/projects/{projectId}/packages/ml_models/{owner}/files/";
}

/// <summary>
/// Entities as GitLab's Grape entities render them: compact JSON, string ids, registry timestamps in SECONDS,
/// arrays always present, description "" rather than null, run end_time/run_name and metric step omitted when null.
/// </summary>
internal static class GitLabJson
{
    public static JsonObject Experiment(GitLabExperiment e) => new()
    {
        ["experiment_id"] = Id(e.Iid),
        ["name"] = e.Name,
        ["lifecycle_stage"] = "active",
        ["artifact_location"] = "not_implemented",
        ["tags"] = Tags(e.Tags),
    };

    public static JsonObject RunInfo(RunRecord r)
    {
        var json = new JsonObject
        {
            ["run_id"] = r.RunId,
            ["run_uuid"] = r.RunId,
            ["experiment_id"] = r.ExperimentId,
            ["start_time"] = r.StartTime,
        };
        if (r.EndTime is { } end) json["end_time"] = end;
        json["status"] = r.Status;
        json["artifact_uri"] = r.ArtifactUri;
        json["lifecycle_stage"] = "active";
        json["user_id"] = r.UserId;
        if (r.RunName is not null) json["run_name"] = r.RunName;
        return json;
    }

    /// <summary>data.metrics holds every logged row, not only the latest per key.</summary>
    public static JsonObject Run(RunRecord r) => new()
    {
        ["info"] = RunInfo(r),
        ["data"] = new JsonObject
        {
            ["metrics"] = new JsonArray(r.Metrics.Select(m => (JsonNode?)Metric(m)).ToArray()),
            ["params"] = Tags(r.Params),
            ["tags"] = Tags(r.Tags),
        },
    };

    public static JsonObject Metric(MetricRow m)
    {
        var json = new JsonObject { ["key"] = m.Key, ["value"] = Json.Number(m.Value), ["timestamp"] = m.Timestamp };
        if (m.Step is { } step) json["step"] = step;
        return json;
    }

    /// <summary>latest_versions holds ALL versions.</summary>
    public static JsonObject RegisteredModel(GitLabModel m, GitLabUrls urls, GitLabProject project) => new()
    {
        ["name"] = m.Name,
        ["creation_timestamp"] = m.CreatedAt,
        ["last_updated_timestamp"] = m.UpdatedAt,
        ["description"] = m.Description,
        ["user_id"] = Id(m.UserId),
        ["tags"] = Tags(m.Tags),
        ["latest_versions"] = new JsonArray(m.Versions.Select(v => (JsonNode?)ModelVersion(v, urls, project)).ToArray()),
    };

    /// <summary>version = the internal id; the SemVer is in aliases (and in the gitlab.version tag when one was given).</summary>
    public static JsonObject ModelVersion(GitLabModelVersion v, GitLabUrls urls, GitLabProject project) => new()
    {
        ["name"] = v.Model.Name,
        ["version"] = Id(v.Id),
        ["creation_timestamp"] = v.CreatedAt,
        ["last_updated_timestamp"] = v.UpdatedAt,
        ["user_id"] = null,
        ["current_stage"] = "development",
        ["description"] = v.Description,
        ["source"] = $"{urls.Root}/{project.PathWithNamespace}/-/ml/models/{v.Model.Id}/versions/{v.Id}",
        ["run_id"] = v.RunId,
        ["status"] = "READY",
        ["status_message"] = "",
        ["tags"] = Tags(v.Tags),
        ["run_link"] = "",
        ["aliases"] = new JsonArray(v.SemVer),
    };

    public static JsonArray Tags(TagList tags) =>
        new(tags.Items.Select(t => (JsonNode?)Json.KeyValue(t.Key, t.Value)).ToArray());

    public static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);
}
