using System.Text.Json.Serialization;
using MlflowMsBuild.Core.Http;

namespace MlflowMsBuild.Core.RestApi;

// MLflow REST entities (mlflow/protos/service.proto, model_registry.proto) as both MLflow and GitLab send them.
// Optional fields are nullable: GitLab omits several (end_time, run_name, step) and sends null where MLflow
// sends "". Timestamps are whatever the server sends: milliseconds on MLflow, SECONDS on GitLab's registry.

public sealed class KeyValue
{
    public KeyValue() { }

    public KeyValue(string key, string value)
    {
        Key = key;
        Value = value;
    }

    public string Key { get; set; } = "";
    public string Value { get; set; } = "";
}

public sealed class MetricEntity
{
    public string Key { get; set; } = "";
    public double Value { get; set; }
    public long Timestamp { get; set; }
    public long? Step { get; set; }
}

public sealed class Experiment
{
    public string ExperimentId { get; set; } = "";
    public string Name { get; set; } = "";
    public string? ArtifactLocation { get; set; }
    public string? LifecycleStage { get; set; }
}

public sealed class RunInfo
{
    public string RunId { get; set; } = "";
    public string? ExperimentId { get; set; }
    public string? RunName { get; set; }
    public string? Status { get; set; }
    public long? StartTime { get; set; }
    public long? EndTime { get; set; }
    public string ArtifactUri { get; set; } = "";
    public string? LifecycleStage { get; set; }
}

public sealed class RunDataEntity
{
    public List<MetricEntity>? Metrics { get; set; }
    public List<KeyValue>? Params { get; set; }
    public List<KeyValue>? Tags { get; set; }
}

public sealed class Run
{
    public RunInfo Info { get; set; } = new();
    public RunDataEntity? Data { get; set; }
}

public sealed class RegisteredModel
{
    public string Name { get; set; } = "";
    public long? CreationTimestamp { get; set; }
    public long? LastUpdatedTimestamp { get; set; }
    public string? Description { get; set; }
    public List<KeyValue>? Tags { get; set; }
    public List<ModelVersion>? LatestVersions { get; set; }
}

public sealed class ModelVersion
{
    public string Name { get; set; } = "";
    /// <summary>MLflow: "1", "2" ... GitLab: the internal id of the version (the SemVer is in <see cref="Aliases"/>).</summary>
    public string Version { get; set; } = "";
    public long? CreationTimestamp { get; set; }
    public long? LastUpdatedTimestamp { get; set; }
    public string? Description { get; set; }
    public string? Source { get; set; }
    public string? RunId { get; set; }
    public string? Status { get; set; }
    public string? StatusMessage { get; set; }
    public List<KeyValue>? Tags { get; set; }
    public List<string>? Aliases { get; set; }
}

public sealed class FileInfoEntity
{
    public string Path { get; set; } = "";
    public bool IsDir { get; set; }
    public long? FileSize { get; set; }
}

// Request and response envelopes.
public sealed class ExperimentResponse { public Experiment? Experiment { get; set; } }
public sealed class CreateExperimentRequest { public string Name { get; set; } = ""; }
public sealed class CreateExperimentResponse { public string ExperimentId { get; set; } = ""; }

public sealed class CreateRunRequest
{
    public string ExperimentId { get; set; } = "";
    public string? RunName { get; set; }
    public long StartTime { get; set; }
    public List<KeyValue> Tags { get; set; } = new();
}

public sealed class RunResponse { public Run? Run { get; set; } }

public sealed class UpdateRunRequest
{
    public string RunId { get; set; } = "";
    public string Status { get; set; } = "";
    public long EndTime { get; set; }
}

public sealed class LogBatchRequest
{
    public string RunId { get; set; } = "";
    public List<MetricEntity> Metrics { get; set; } = new();
    public List<KeyValue> Params { get; set; } = new();
    public List<KeyValue> Tags { get; set; } = new();
}

public sealed class SetTagRequest
{
    public string RunId { get; set; } = "";
    public string Key { get; set; } = "";
    public string Value { get; set; } = "";
}

public sealed class CreateRegisteredModelRequest
{
    public string Name { get; set; } = "";
    public string? Description { get; set; }
    public List<KeyValue> Tags { get; set; } = new();
}

public sealed class RegisteredModelResponse { public RegisteredModel? RegisteredModel { get; set; } }

public sealed class SearchRegisteredModelsResponse
{
    public List<RegisteredModel>? RegisteredModels { get; set; }
    public string? NextPageToken { get; set; }
}

public sealed class CreateModelVersionRequest
{
    public string Name { get; set; } = "";
    public string Source { get; set; } = "";
    public string? RunId { get; set; }
    public string? Description { get; set; }
    public List<KeyValue> Tags { get; set; } = new();
}

public sealed class ModelVersionResponse { public ModelVersion? ModelVersion { get; set; } }

public sealed class SearchModelVersionsResponse
{
    public List<ModelVersion>? ModelVersions { get; set; }
    public string? NextPageToken { get; set; }
}

public sealed class SetModelVersionTagRequest
{
    public string Name { get; set; } = "";
    public string Version { get; set; } = "";
    public string Key { get; set; } = "";
    public string Value { get; set; } = "";
}

public sealed class DownloadUriResponse { public string? ArtifactUri { get; set; } }

public sealed class ListArtifactsResponse
{
    public string? RootUri { get; set; }
    public List<FileInfoEntity>? Files { get; set; }
}

public sealed class LoggedModelResponse { public LoggedModel? Model { get; set; } }
public sealed class LoggedModel { public LoggedModelInfo? Info { get; set; } }
public sealed class LoggedModelInfo { public string? ArtifactUri { get; set; } }

public sealed class ErrorResponse
{
    public string? ErrorCode { get; set; }
    /// <summary>GitLab sends a string, an array of strings, or null.</summary>
    public System.Text.Json.JsonElement? Message { get; set; }
    /// <summary>Proxies, FastAPI and GitLab's Grape send other shapes.</summary>
    public System.Text.Json.JsonElement? Error { get; set; }
    public System.Text.Json.JsonElement? Detail { get; set; }
}

public sealed class EmptyResponse;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(ExperimentResponse))]
[JsonSerializable(typeof(CreateExperimentRequest))]
[JsonSerializable(typeof(CreateExperimentResponse))]
[JsonSerializable(typeof(CreateRunRequest))]
[JsonSerializable(typeof(RunResponse))]
[JsonSerializable(typeof(UpdateRunRequest))]
[JsonSerializable(typeof(LogBatchRequest))]
[JsonSerializable(typeof(SetTagRequest))]
[JsonSerializable(typeof(CreateRegisteredModelRequest))]
[JsonSerializable(typeof(RegisteredModelResponse))]
[JsonSerializable(typeof(SearchRegisteredModelsResponse))]
[JsonSerializable(typeof(CreateModelVersionRequest))]
[JsonSerializable(typeof(ModelVersionResponse))]
[JsonSerializable(typeof(SearchModelVersionsResponse))]
[JsonSerializable(typeof(SetModelVersionTagRequest))]
[JsonSerializable(typeof(DownloadUriResponse))]
[JsonSerializable(typeof(ListArtifactsResponse))]
[JsonSerializable(typeof(LoggedModelResponse))]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(EmptyResponse))]
public sealed partial class MlflowJson : JsonSerializerContext;
