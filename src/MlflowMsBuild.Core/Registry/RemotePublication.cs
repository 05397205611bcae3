using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Http;
using MlflowMsBuild.Core.RestApi;

namespace MlflowMsBuild.Core.Registry;

/// <summary>
/// What publishing to an MLflow server and to GitLab share: the run that receives the data (one log-batch
/// mapping for both), and the abort of a publication that was disposed before it completed.
/// </summary>
internal abstract class RemotePublication(MlflowRestClient client, PublicationRequest request, Run run) : IModelPublication
{
    protected MlflowRestClient Client => client;

    protected PublicationRequest Request => request;

    protected Run Run => run;

    /// <summary>Set once the version is usable or the run was marked failed: disposing then does nothing.</summary>
    protected bool Finished { get; set; }

    public string RunId => run.Info.RunId;

    /// <summary>Params, metrics (timestamps in milliseconds on both servers) and tags with log-batch.</summary>
    public Task LogRunDataAsync(RunData data, CancellationToken cancellationToken) =>
        client.LogBatchAsync(
            RunId,
            data.Metrics.Select(m => new MetricEntity { Key = m.Key, Value = m.Value, Timestamp = m.Timestamp.ToUnixTimeMilliseconds(), Step = m.Step }).ToList(),
            data.Params.Select(p => new KeyValue(p.Key, p.Value)).ToList(),
            data.Tags.Select(t => new KeyValue(t.Key, t.Value)).ToList(),
            cancellationToken);

    public abstract Task UploadArtifactAsync(string artifactPath, Stream content, CancellationToken cancellationToken);

    public abstract Task<ModelVersionInfo> CompleteAsync(VersionCompletion version, CancellationToken cancellationToken);

    public abstract Task AbortAsync(string reason, CancellationToken cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (!Finished)
        {
            try
            {
                await AbortAsync("the publication was not completed", CancellationToken.None).ConfigureAwait(false);
            }
            catch (MlflowException)
            {
                // Best effort: the caller is already failing for a reason of its own, and nothing usable was left.
            }
        }
    }
}
