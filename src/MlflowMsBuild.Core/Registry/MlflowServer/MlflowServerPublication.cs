using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Http;
using MlflowMsBuild.Core.RestApi;

namespace MlflowMsBuild.Core.Registry.MlflowServer;

/// <summary>A version being published to an MLflow server: nothing is registered until every file is uploaded.</summary>
internal sealed class MlflowServerPublication(MlflowRestClient client, PublicationRequest request, Run run, ArtifactLocation artifacts)
    : RemotePublication(client, request, run)
{
    private static readonly TimeSpan RegistrationWait = TimeSpan.FromMinutes(2);

    public override Task UploadArtifactAsync(string artifactPath, Stream content, CancellationToken cancellationToken) =>
        Client.UploadArtifactAsync(artifacts.FileUri(artifactPath), content, cancellationToken);

    public override async Task<ModelVersionInfo> CompleteAsync(VersionCompletion version, CancellationToken cancellationToken)
    {
        await Client.UpdateRunAsync(RunId, "FINISHED", DateTimeOffset.UtcNow, cancellationToken).ConfigureAwait(false);
        await Client.EnsureRegisteredModelAsync(Request.ModelName, Request.ModelDescription, cancellationToken).ConfigureAwait(false);
        var created = await Client.CreateModelVersionAsync(new CreateModelVersionRequest
        {
            Name = Request.ModelName,
            Source = Run.Info.ArtifactUri.TrimEnd('/') + "/" + Request.ModelArtifactPath,
            RunId = RunId,
            Description = version.Description,
            Tags = version.Tags.Select(t => new KeyValue(t.Key, t.Value)).ToList(),
        }, cancellationToken).ConfigureAwait(false);
        Finished = true;
        return MlflowServerRegistry.ToInfo(await WaitUntilReadyAsync(created, cancellationToken).ConfigureAwait(false));
    }

    public override async Task AbortAsync(string reason, CancellationToken cancellationToken)
    {
        Finished = true;
        await Client.UpdateRunAsync(RunId, "FAILED", DateTimeOffset.UtcNow, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Marks a run FAILED on the way out of a failure, best effort: that failure stays the error reported.</summary>
    internal static async Task MarkFailedAsync(MlflowRestClient client, string runId)
    {
        try
        {
            await client.UpdateRunAsync(runId, "FAILED", DateTimeOffset.UtcNow, CancellationToken.None).ConfigureAwait(false);
        }
        catch (MlflowException)
        {
            // The server is failing too; nothing more can be done for the run.
        }
    }

    /// <summary>Servers that copy files asynchronously answer PENDING_REGISTRATION first.</summary>
    private async Task<ModelVersion> WaitUntilReadyAsync(ModelVersion version, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + RegistrationWait;
        while (version.Status == "PENDING_REGISTRATION" && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken).ConfigureAwait(false);
            version = await Client.GetModelVersionAsync(version.Name, version.Version, cancellationToken).ConfigureAwait(false) ?? version;
        }

        if (version.Status is { } status && status != "READY")
        {
            throw new MlflowException(MlfError.VersionNotReady, version.Name, version.Version, Client.TrackingUri, status,
                string.IsNullOrEmpty(version.StatusMessage) ? "" : $" ({version.StatusMessage})");
        }

        return version;
    }
}
