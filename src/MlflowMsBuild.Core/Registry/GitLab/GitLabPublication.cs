using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Mlflow;

namespace MlflowMsBuild.Core.Registry.GitLab;

/// <summary>
/// A version being published to GitLab. GitLab creates the version first, so it is created marked incomplete
/// (<see cref="IncompleteVersions"/>): the run is set FINISHED and then, as the very last step, the model card
/// replaces the mark. A failure sets the run FAILED and says so in the description; restore refuses the version.
/// </summary>
internal sealed class GitLabPublication : IModelPublication
{
    private readonly MlflowRestClient client;
    private readonly PublicationRequest request;
    private readonly ModelVersionInfo version;
    private readonly Run run;
    private bool finished;

    public GitLabPublication(MlflowRestClient client, PublicationRequest request, ModelVersionInfo version, Run run)
    {
        this.client = client;
        this.request = request;
        this.version = version;
        this.run = run;
    }

    public string RunId => run.Info.RunId;

    public Task LogRunDataAsync(RunData data, CancellationToken cancellationToken) =>
        RemoteVersions.LogRunDataAsync(client, RunId, data, cancellationToken);

    /// <summary>PUT to the run's package URL (<c>…/packages/ml_models/&lt;id&gt;/files/&lt;path&gt;</c>), answered 201.</summary>
    public Task UploadArtifactAsync(string artifactPath, Stream content, CancellationToken cancellationToken)
    {
        var escaped = string.Join('/', artifactPath.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.EscapeDataString));
        var uri = new Uri(run.Info.ArtifactUri.TrimEnd('/') + "/" + escaped);
        return client.UploadArtifactAsync(uri, content, cancellationToken);
    }

    public async Task<ModelVersionInfo> CompleteAsync(CancellationToken cancellationToken)
    {
        await client.UpdateRunAsync(RunId, "FINISHED", DateTimeOffset.UtcNow, cancellationToken).ConfigureAwait(false);
        // The commit point: until the model card replaces the incomplete mark, restore refuses the version.
        await client.UpdateModelVersionDescriptionAsync(version.Name, version.Version, request.VersionDescription, cancellationToken).ConfigureAwait(false);
        finished = true;
        var current = await client.GetModelVersionAsync(version.Name, version.Version, cancellationToken).ConfigureAwait(false);
        return current is null ? version with { Description = request.VersionDescription } : GitLabRegistry.ToInfo(current);
    }

    public async Task AbortAsync(string reason, CancellationToken cancellationToken)
    {
        finished = true;
        MlflowException? first = null;
        try
        {
            await client.UpdateRunAsync(RunId, "FAILED", DateTimeOffset.UtcNow, cancellationToken).ConfigureAwait(false);
        }
        catch (MlflowException e)
        {
            first = e;
        }

        // Best effort: the mark set on creation already keeps restore away; this says why in GitLab's UI.
        await client.UpdateModelVersionDescriptionAsync(version.Name, version.Version, IncompleteVersions.FailedDescription(reason), cancellationToken).ConfigureAwait(false);
        if (first is not null)
        {
            throw first;
        }
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
                // Best effort: the caller is already failing for a reason of its own.
            }
        }
    }
}
