using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Http;
using MlflowMsBuild.Core.RestApi;
using MlflowMsBuild.Core.Versions;

namespace MlflowMsBuild.Core.Registry.GitLab;

/// <summary>
/// A version being published to GitLab. GitLab creates the version first, so it is created marked incomplete
/// (<see cref="IncompleteVersions"/>): the run is set FINISHED and then, as the very last step, the model card
/// replaces the mark. A failure sets the run FAILED and says so in the description; restore refuses the version.
/// </summary>
internal sealed class GitLabPublication(MlflowRestClient client, PublicationRequest request, ModelVersionInfo version, Run run)
    : RemotePublication(client, request, run)
{
    /// <summary>PUT to the run's package URL (<c>…/packages/ml_models/&lt;id&gt;/files/&lt;path&gt;</c>), answered 201.</summary>
    public override Task UploadArtifactAsync(string artifactPath, Stream content, CancellationToken cancellationToken)
    {
        var escaped = string.Join('/', artifactPath.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.EscapeDataString));
        var uri = new Uri(Run.Info.ArtifactUri.TrimEnd('/') + "/" + escaped);
        return Client.UploadArtifactAsync(uri, content, cancellationToken);
    }

    public override async Task<ModelVersionInfo> CompleteAsync(VersionCompletion completion, CancellationToken cancellationToken)
    {
        if (Request.Version is not { } created || !created.HasSameTags(completion))
        {
            throw new ArgumentException("GitLab created the version with other tags than those it is completed with.", nameof(completion));
        }

        await Client.UpdateRunAsync(RunId, "FINISHED", DateTimeOffset.UtcNow, cancellationToken).ConfigureAwait(false);
        // The commit point: until the model card replaces the incomplete mark, restore refuses the version.
        await Client.UpdateModelVersionDescriptionAsync(version.Name, version.Version, completion.Description, cancellationToken).ConfigureAwait(false);
        Finished = true;
        var current = await Client.GetModelVersionAsync(version.Name, version.Version, cancellationToken).ConfigureAwait(false);
        return current is null ? version with { Description = completion.Description } : GitLabRegistry.ToInfo(current);
    }

    public override async Task AbortAsync(string reason, CancellationToken cancellationToken)
    {
        Finished = true;
        MlflowException? first = null;
        try
        {
            await Client.UpdateRunAsync(RunId, "FAILED", DateTimeOffset.UtcNow, cancellationToken).ConfigureAwait(false);
        }
        catch (MlflowException e)
        {
            first = e;
        }

        // Best effort: the mark set on creation already keeps restore away; this says why in GitLab's UI.
        await Client.UpdateModelVersionDescriptionAsync(version.Name, version.Version, IncompleteVersions.FailedDescription(reason), cancellationToken).ConfigureAwait(false);
        if (first is not null)
        {
            throw first;
        }
    }
}
