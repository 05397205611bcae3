using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Mlflow;

namespace MlflowMsBuild.Core.Registry.Mlflow;

/// <summary>A version being published to an MLflow server: nothing is registered until every file is uploaded.</summary>
internal sealed class MlflowServerPublication : IModelPublication
{
    private static readonly TimeSpan RegistrationWait = TimeSpan.FromMinutes(2);
    private readonly MlflowRestClient client;
    private readonly PublicationRequest request;
    private readonly Run run;
    private readonly ArtifactLocation artifacts;
    private bool finished;

    public MlflowServerPublication(MlflowRestClient client, PublicationRequest request, Run run, ArtifactLocation artifacts)
    {
        this.client = client;
        this.request = request;
        this.run = run;
        this.artifacts = artifacts;
    }

    public string RunId => run.Info.RunId;

    public Task LogRunDataAsync(RunData data, CancellationToken cancellationToken) =>
        RemoteVersions.LogRunDataAsync(client, RunId, data, cancellationToken);

    public Task UploadArtifactAsync(string artifactPath, Stream content, CancellationToken cancellationToken) =>
        client.UploadArtifactAsync(artifacts.FileUri(artifactPath), content, cancellationToken);

    public async Task<ModelVersionInfo> CompleteAsync(CancellationToken cancellationToken)
    {
        await client.UpdateRunAsync(RunId, "FINISHED", DateTimeOffset.UtcNow, cancellationToken).ConfigureAwait(false);
        await client.EnsureRegisteredModelAsync(request.ModelName, request.ModelDescription, cancellationToken).ConfigureAwait(false);
        var created = await client.CreateModelVersionAsync(new CreateModelVersionRequest
        {
            Name = request.ModelName,
            Source = run.Info.ArtifactUri.TrimEnd('/') + "/" + request.ModelArtifactPath,
            RunId = RunId,
            Description = request.VersionDescription,
            Tags = request.VersionTags.Select(t => new KeyValue(t.Key, t.Value)).ToList(),
        }, cancellationToken).ConfigureAwait(false);
        finished = true;
        return MlflowServerRegistry.ToInfo(await WaitUntilReadyAsync(created, cancellationToken).ConfigureAwait(false));
    }

    public async Task AbortAsync(string reason, CancellationToken cancellationToken)
    {
        finished = true;
        await client.UpdateRunAsync(RunId, "FAILED", DateTimeOffset.UtcNow, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (!finished)
        {
            try
            {
                await AbortAsync("the publication was not completed", CancellationToken.None).ConfigureAwait(false);
            }
            catch (MlflowException)
            {
                // The run stays RUNNING without a version: nothing usable was left behind.
            }
        }
    }

    /// <summary>Servers that copy files asynchronously answer PENDING_REGISTRATION first.</summary>
    private async Task<ModelVersion> WaitUntilReadyAsync(ModelVersion version, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + RegistrationWait;
        while (version.Status == "PENDING_REGISTRATION" && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken).ConfigureAwait(false);
            version = await client.GetModelVersionAsync(version.Name, version.Version, cancellationToken).ConfigureAwait(false) ?? version;
        }

        if (version.Status is { } status && status != "READY")
        {
            throw new MlflowException(MlfError.VersionNotReady, version.Name, version.Version, client.TrackingUri, status,
                string.IsNullOrEmpty(version.StatusMessage) ? "" : $" ({version.StatusMessage})");
        }

        return version;
    }
}
