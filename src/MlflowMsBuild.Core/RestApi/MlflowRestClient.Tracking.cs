using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Http;

namespace MlflowMsBuild.Core.RestApi;

public sealed partial class MlflowRestClient
{
    /// <summary>The experiment, or null when the server says it does not exist.</summary>
    public async Task<Experiment?> GetExperimentByNameAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            var response = await GetAsync("experiments/get-by-name", MlflowJson.Default.ExperimentResponse, cancellationToken, ("experiment_name", name)).ConfigureAwait(false);
            return response.Experiment;
        }
        catch (MlflowException e) when (IsDoesNotExist(e))
        {
            return null;
        }
    }

    public async Task<string> CreateExperimentAsync(string name, CancellationToken cancellationToken)
    {
        var response = await PostAsync("experiments/create", new CreateExperimentRequest { Name = name },
            MlflowJson.Default.CreateExperimentRequest, MlflowJson.Default.CreateExperimentResponse, cancellationToken).ConfigureAwait(false);
        return response.ExperimentId;
    }

    /// <summary>Gets the experiment named <paramref name="name"/>, creating it if needed (a concurrent creator is fine).
    /// A new experiment is read back, so its <see cref="Experiment.ArtifactLocation"/> (the server's default root) is known.</summary>
    public async Task<Experiment> GetOrCreateExperimentAsync(string name, CancellationToken cancellationToken)
    {
        if (await GetExperimentByNameAsync(name, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            return existing.LifecycleStage == "deleted"
                ? throw new MlflowException(MlfError.ExperimentDeleted, name, options.DisplayName)
                : existing;
        }

        string id;
        try
        {
            id = await CreateExperimentAsync(name, cancellationToken).ConfigureAwait(false);
        }
        catch (MlflowException e) when (IsAlreadyExists(e))
        {
            id = "";
        }

        var created = await GetExperimentByNameAsync(name, cancellationToken).ConfigureAwait(false);
        return created ?? (id.Length > 0
            ? new Experiment { ExperimentId = id, Name = name }
            : throw Unexpected("experiments/get-by-name", $"the experiment '{name}' exists by experiments/create but not by experiments/get-by-name"));
    }

    public async Task<Run> CreateRunAsync(string experimentId, string runName, DateTimeOffset startTime, IEnumerable<KeyValue> tags, CancellationToken cancellationToken)
    {
        var request = new CreateRunRequest
        {
            ExperimentId = experimentId,
            RunName = runName,
            StartTime = startTime.ToUnixTimeMilliseconds(),
            Tags = tags.ToList(),
        };
        var response = await PostAsync("runs/create", request, MlflowJson.Default.CreateRunRequest, MlflowJson.Default.RunResponse, cancellationToken).ConfigureAwait(false);
        return response.Run ?? throw Unexpected("runs/create", "no run in the answer");
    }

    public async Task<Run> GetRunAsync(string runId, CancellationToken cancellationToken)
    {
        var response = await GetAsync("runs/get", MlflowJson.Default.RunResponse, cancellationToken, ("run_id", runId)).ConfigureAwait(false);
        return response.Run ?? throw Unexpected("runs/get", "no run in the answer");
    }

    /// <param name="status">RUNNING, FINISHED, FAILED or KILLED.</param>
    public Task UpdateRunAsync(string runId, string status, DateTimeOffset endTime, CancellationToken cancellationToken) =>
        PostAsync("runs/update", new UpdateRunRequest { RunId = runId, Status = status, EndTime = endTime.ToUnixTimeMilliseconds() },
            MlflowJson.Default.UpdateRunRequest, MlflowJson.Default.EmptyResponse, cancellationToken);

    public Task SetRunTagAsync(string runId, string key, string value, CancellationToken cancellationToken) =>
        PostAsync("runs/set-tag", new SetTagRequest { RunId = runId, Key = key, Value = value },
            MlflowJson.Default.SetTagRequest, MlflowJson.Default.EmptyResponse, cancellationToken);

    /// <summary>Logs everything, split into as many log-batch requests as the server's limits need.</summary>
    public async Task LogBatchAsync(string runId, IReadOnlyList<MetricEntity> metrics, IReadOnlyList<KeyValue> parameters, IReadOnlyList<KeyValue> tags, CancellationToken cancellationToken)
    {
        foreach (var batch in LogBatchSplitter.Split(runId, metrics, parameters, tags))
        {
            await PostAsync("runs/log-batch", batch, MlflowJson.Default.LogBatchRequest, MlflowJson.Default.EmptyResponse, cancellationToken).ConfigureAwait(false);
        }
    }

    internal static bool IsDoesNotExist(MlflowException e) =>
        e.ApiError is { StatusCode: 404, ErrorCode: "RESOURCE_DOES_NOT_EXIST" or "NOT_FOUND" };

    internal static bool IsAlreadyExists(MlflowException e) =>
        e.ApiError?.ErrorCode is "RESOURCE_ALREADY_EXISTS" or "ALREADY_EXISTS";

    private MlflowException Unexpected(string endpoint, string what) =>
        new(MlfError.UnexpectedResponse, options.DisplayName, endpoint, what);
}
