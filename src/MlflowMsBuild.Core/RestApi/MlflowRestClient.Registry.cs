using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Http;

namespace MlflowMsBuild.Core.RestApi;

public sealed partial class MlflowRestClient
{
    /// <summary>The registered model, or null when the server says it does not exist.</summary>
    public async Task<RegisteredModel?> GetRegisteredModelAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            var response = await GetAsync("registered-models/get", MlflowJson.Default.RegisteredModelResponse, cancellationToken, ("name", name)).ConfigureAwait(false);
            return response.RegisteredModel;
        }
        catch (MlflowException e) when (IsDoesNotExist(e))
        {
            return null;
        }
    }

    /// <summary>Creates the registered model unless it exists; true when this call created it.</summary>
    public async Task<bool> EnsureRegisteredModelAsync(string name, string description, CancellationToken cancellationToken)
    {
        if (await GetRegisteredModelAsync(name, cancellationToken).ConfigureAwait(false) is not null)
        {
            return false;
        }

        try
        {
            await PostAsync("registered-models/create", new CreateRegisteredModelRequest { Name = name, Description = description },
                MlflowJson.Default.CreateRegisteredModelRequest, MlflowJson.Default.RegisteredModelResponse, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (MlflowException e) when (IsAlreadyExists(e))
        {
            // GitLab answers RESOURCE_ALREADY_EXISTS to every failed create: believe it only if the model is there.
            if (await GetRegisteredModelAsync(name, cancellationToken).ConfigureAwait(false) is null)
            {
                throw;
            }

            return false;
        }
    }

    /// <summary>Names of registered models (first page), for messages that list what exists.</summary>
    public async Task<IReadOnlyList<string>> SearchRegisteredModelNamesAsync(string? filter, CancellationToken cancellationToken)
    {
        var response = await GetAsync("registered-models/search", MlflowJson.Default.SearchRegisteredModelsResponse, cancellationToken,
            ("filter", filter), ("max_results", "100")).ConfigureAwait(false);
        return (response.RegisteredModels ?? []).Select(m => m.Name).ToList();
    }

    public async Task<ModelVersion> CreateModelVersionAsync(CreateModelVersionRequest request, CancellationToken cancellationToken)
    {
        var response = await PostAsync("model-versions/create", request, MlflowJson.Default.CreateModelVersionRequest, MlflowJson.Default.ModelVersionResponse, cancellationToken).ConfigureAwait(false);
        return response.ModelVersion ?? throw Unexpected("model-versions/create", "no model_version in the answer");
    }

    /// <summary>The version, or null when the server says it does not exist.</summary>
    public async Task<ModelVersion?> GetModelVersionAsync(string name, string version, CancellationToken cancellationToken)
    {
        try
        {
            var response = await GetAsync("model-versions/get", MlflowJson.Default.ModelVersionResponse, cancellationToken, ("name", name), ("version", version)).ConfigureAwait(false);
            return response.ModelVersion;
        }
        catch (MlflowException e) when (IsDoesNotExist(e))
        {
            return null;
        }
    }

    /// <summary>The version an alias points at, or null when the model or alias does not exist.</summary>
    public async Task<ModelVersion?> GetModelVersionByAliasAsync(string name, string alias, CancellationToken cancellationToken)
    {
        try
        {
            var response = await GetAsync("registered-models/alias", MlflowJson.Default.ModelVersionResponse, cancellationToken, ("name", name), ("alias", alias)).ConfigureAwait(false);
            return response.ModelVersion;
        }
        catch (MlflowException e) when (IsDoesNotExist(e) || IsMissingAlias(e))
        {
            return null;
        }
    }

    public async Task<IReadOnlyList<ModelVersion>> SearchModelVersionsAsync(string name, CancellationToken cancellationToken)
    {
        var versions = new List<ModelVersion>();
        string? page = null;
        do
        {
            var response = await GetAsync("model-versions/search", MlflowJson.Default.SearchModelVersionsResponse, cancellationToken,
                ("filter", $"name='{name.Replace("'", "\\'", StringComparison.Ordinal)}'"), ("max_results", "1000"), ("page_token", page)).ConfigureAwait(false);
            versions.AddRange(response.ModelVersions ?? []);
            page = string.IsNullOrEmpty(response.NextPageToken) ? null : response.NextPageToken;
        }
        while (page is not null);

        return versions;
    }

    public async Task<string> GetModelVersionDownloadUriAsync(string name, string version, CancellationToken cancellationToken)
    {
        var response = await GetAsync("model-versions/get-download-uri", MlflowJson.Default.DownloadUriResponse, cancellationToken, ("name", name), ("version", version)).ConfigureAwait(false);
        return response.ArtifactUri ?? throw Unexpected("model-versions/get-download-uri", "no artifact_uri in the answer");
    }

    public Task SetModelVersionTagAsync(string name, string version, string key, string value, CancellationToken cancellationToken) =>
        PostAsync("model-versions/set-tag", new SetModelVersionTagRequest { Name = name, Version = version, Key = key, Value = value },
            MlflowJson.Default.SetModelVersionTagRequest, MlflowJson.Default.EmptyResponse, cancellationToken);

    /// <summary>MLflow 3 logged models (<c>models:/m-&lt;id&gt;</c>): where their files are.</summary>
    public async Task<string> GetLoggedModelArtifactUriAsync(string modelId, CancellationToken cancellationToken)
    {
        var response = await GetAsync("logged-models/" + Uri.EscapeDataString(modelId), MlflowJson.Default.LoggedModelResponse, cancellationToken).ConfigureAwait(false);
        return response.Model?.Info?.ArtifactUri ?? throw Unexpected("logged-models/get", "no artifact_uri in the answer");
    }

    /// <summary>
    /// The registered model's versions as GitLab lists them (<c>latest_versions</c> holds every version there),
    /// or null when the model does not exist.
    /// </summary>
    public async Task<IReadOnlyList<ModelVersion>?> GetRegisteredModelWithVersionsAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            var response = await GetAsync("registered-models/get", MlflowJson.Default.RegisteredModelResponse, cancellationToken, ("name", name)).ConfigureAwait(false);
            return response.RegisteredModel?.LatestVersions ?? [];
        }
        catch (MlflowException e) when (IsDoesNotExist(e))
        {
            return null;
        }
    }

    /// <summary>MLflow's stores answer a missing alias with 400 INVALID_PARAMETER_VALUE "Registered model alias X not found."</summary>
    private static bool IsMissingAlias(MlflowException e) =>
        e.ApiError is { StatusCode: 400, ErrorCode: "INVALID_PARAMETER_VALUE" } error
        && error.ServerMessage is { } message
        && message.Contains("alias", StringComparison.OrdinalIgnoreCase)
        && message.Contains("not found", StringComparison.OrdinalIgnoreCase);
}
