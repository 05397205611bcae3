using System.Globalization;
using System.Text.Json.Nodes;
using MlflowMsBuild.TestServer.Http;
using MlflowMsBuild.TestServer.Storage;

namespace MlflowMsBuild.TestServer.Mlflow;

/// <summary>
/// Entities as MLflow 2.12 renders them (protobuf JSON): empty repeated fields and unset optional fields are
/// omitted, int64 are numbers, enums are names, timestamps are milliseconds. Field order follows the transcript.
/// </summary>
internal static class MlflowJson
{
    public static JsonObject Experiment(ExperimentRecord e)
    {
        var json = new JsonObject
        {
            ["experiment_id"] = e.Id,
            ["name"] = e.Name,
            ["artifact_location"] = e.ArtifactLocation,
            ["lifecycle_stage"] = e.LifecycleStage,
            ["last_update_time"] = e.LastUpdateTime,
            ["creation_time"] = e.CreationTime,
        };
        AddTags(json, "tags", e.Tags);
        return json;
    }

    public static JsonObject RunInfo(RunRecord r)
    {
        var json = new JsonObject
        {
            ["run_uuid"] = r.RunId,
            ["experiment_id"] = r.ExperimentId,
        };
        if (r.RunName is not null) json["run_name"] = r.RunName;
        json["user_id"] = r.UserId;
        json["status"] = r.Status;
        json["start_time"] = r.StartTime;
        if (r.EndTime is { } end) json["end_time"] = end;
        json["artifact_uri"] = r.ArtifactUri;
        json["lifecycle_stage"] = r.LifecycleStage;
        json["run_id"] = r.RunId;
        return json;
    }

    /// <summary>runs/create answers without "inputs"; runs/get and runs/search add "inputs": {}.</summary>
    public static JsonObject Run(RunRecord r, bool withInputs)
    {
        var data = new JsonObject();
        var metrics = r.LatestMetrics().Select(m => (JsonNode?)Metric(m)).ToArray();
        if (metrics.Length > 0) data["metrics"] = new JsonArray(metrics);
        AddTags(data, "params", r.Params);
        AddTags(data, "tags", r.Tags);
        var json = new JsonObject { ["info"] = RunInfo(r), ["data"] = data };
        if (withInputs) json["inputs"] = new JsonObject();
        return json;
    }

    public static JsonObject Metric(MetricRow m) => new()
    {
        ["key"] = m.Key,
        ["value"] = Json.Number(m.Value),
        ["timestamp"] = m.Timestamp,
        ["step"] = m.Step ?? 0,
    };

    /// <summary>Aliases appear only in model-versions/get and registered-models/alias answers.</summary>
    public static JsonObject ModelVersion(ModelVersionRecord v, RegisteredModelRecord? withAliasesFrom = null)
    {
        var json = new JsonObject
        {
            ["name"] = v.Name,
            ["version"] = v.Version.ToString(CultureInfo.InvariantCulture),
            ["creation_timestamp"] = v.CreationTimestamp,
            ["last_updated_timestamp"] = v.LastUpdatedTimestamp,
            ["current_stage"] = "None",
        };
        if (!string.IsNullOrEmpty(v.Description)) json["description"] = v.Description;
        json["source"] = v.Source;
        if (!string.IsNullOrEmpty(v.RunId)) json["run_id"] = v.RunId;
        json["status"] = "READY";
        AddTags(json, "tags", v.Tags);
        json["run_link"] = v.RunLink;
        var aliases = withAliasesFrom?.AliasesOf(v.Version).Select(a => (JsonNode?)a).ToArray() ?? [];
        if (aliases.Length > 0) json["aliases"] = new JsonArray(aliases);
        return json;
    }

    /// <summary>latest_versions holds the latest version per stage: with stages unused, the highest version only.</summary>
    public static JsonObject RegisteredModel(RegisteredModelRecord m)
    {
        var json = new JsonObject
        {
            ["name"] = m.Name,
            ["creation_timestamp"] = m.CreationTimestamp,
            ["last_updated_timestamp"] = m.LastUpdatedTimestamp,
        };
        if (!string.IsNullOrEmpty(m.Description)) json["description"] = m.Description;
        if (m.Versions.Count > 0) json["latest_versions"] = new JsonArray(ModelVersion(m.Versions.Values.Last()));
        AddTags(json, "tags", m.Tags);
        if (m.Aliases.Count > 0)
        {
            json["aliases"] = new JsonArray(m.Aliases.Items
                .Select(a => (JsonNode?)new JsonObject { ["alias"] = a.Key, ["version"] = a.Value }).ToArray());
        }
        return json;
    }

    private static void AddTags(JsonObject target, string name, TagList tags)
    {
        if (tags.Count == 0) return;
        target[name] = new JsonArray(tags.Items.Select(t => (JsonNode?)Json.KeyValue(t.Key, t.Value)).ToArray());
    }
}
