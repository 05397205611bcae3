using System.Text.Json.Nodes;
using MlflowMsBuild.TestServer.Http;

namespace MlflowMsBuild.TestServer.Mlflow;

/// <summary>
/// MLflow 3's logged models (<c>POST logged-models</c>, <c>GET logged-models/&lt;id&gt;</c>), which the mlflow 3
/// Python client uses for <c>log_model</c>; versions registered from them have the source <c>models:/m-&lt;id&gt;</c>.
/// </summary>
internal sealed class LoggedModelEndpoints(MlflowState state)
{
    private const string Api = "api/2.0/mlflow/";

    public void Map(RouteTable routes)
    {
        routes.Map("POST", Api + "logged-models", "logged-models/create", Create);
        routes.Map("GET", Api + "logged-models/{id}", "logged-models/get", Get);
    }

    private async Task Create(ApiRequest request)
    {
        var args = await MlflowArgs.ReadAsync(request);
        var experimentId = args.RequiredString("experiment_id");
        JsonObject json;
        lock (state.Sync)
        {
            var experiment = state.Experiment(experimentId);
            var id = "m-" + Guid.NewGuid().ToString("N");
            var model = new LoggedModelRecord
            {
                ModelId = id,
                ExperimentId = experimentId,
                Name = args.String("name") ?? "model",
                ArtifactUri = $"{experiment.ArtifactLocation.TrimEnd('/')}/models/{id}/artifacts",
                CreationTimestampMs = state.NowMs,
            };
            state.LoggedModels[id] = model;
            json = new() { ["model"] = Json(model) };
        }

        await request.OkAsync(json);
    }

    private async Task Get(ApiRequest request)
    {
        var id = request.Route["id"];
        JsonObject json;
        lock (state.Sync) json = new() { ["model"] = Json(state.LoggedModel(id)) };
        await request.OkAsync(json);
    }

    private static JsonObject Json(LoggedModelRecord model) => new()
    {
        ["info"] = new JsonObject
        {
            ["model_id"] = model.ModelId,
            ["experiment_id"] = model.ExperimentId,
            ["name"] = model.Name,
            ["creation_timestamp_ms"] = model.CreationTimestampMs,
            ["last_updated_timestamp_ms"] = model.CreationTimestampMs,
            ["artifact_uri"] = model.ArtifactUri,
            ["status"] = model.Status,
        },
    };
}
