using System.Collections.Concurrent;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Http;
using MlflowMsBuild.Core.IO;
using MlflowMsBuild.Core.Naming;
using MlflowMsBuild.Core.RestApi;
using MlflowMsBuild.Core.Versions;

namespace MlflowMsBuild.Core.Registry.GitLab;

/// <summary>
/// A GitLab project's model registry through its MLflow-compatible API
/// (<c>&lt;gitlab&gt;/api/v4/projects/&lt;id&gt;/ml/mlflow</c>). Versions are SemVer; in answers <c>version</c>
/// is GitLab's internal id and the SemVer is in <c>aliases</c>. Publishing follows GitLab's order:
/// version (which creates its run) → params/metrics/tags → files → run finished.
/// </summary>
public sealed class GitLabRegistry : IModelRegistry
{
    private readonly Func<CancellationToken, Task<MlflowRestClient>> connect;
    private readonly Action? checkCredentials;
    private readonly ConcurrentDictionary<string, string> modelPrefixes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IReadOnlyList<ModelFileInfo>> recordedFiles = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim connecting = new(1, 1);
    private readonly GitLabPackageFiles? packageFiles;
    private MlflowRestClient? client;

    /// <param name="connect">
    /// Makes the client for the project's tracking URI. Called only when a request is needed, so that a
    /// restore served from the cache neither resolves credentials nor looks the project up.
    /// </param>
    /// <param name="packageFiles">The project's package files, read directly when the only credential is a CI job token; null to read files through the MLflow API only.</param>
    /// <param name="server">The GitLab root, credentials removed (<see cref="RegistryDescriptor.Address"/>).</param>
    /// <param name="project">The project's path or numeric id (<see cref="RegistryDescriptor.Project"/>).</param>
    /// <param name="checkCredentials">Throws when the token a publication needs cannot be found; makes no request.</param>
    public GitLabRegistry(string projectKey, string projectDisplayName, Func<CancellationToken, Task<MlflowRestClient>> connect, GitLabPackageFiles? packageFiles = null,
        string? server = null, string? project = null, Action? checkCredentials = null)
    {
        this.connect = connect;
        this.packageFiles = packageFiles;
        this.checkCredentials = checkCredentials;
        Descriptor = new RegistryDescriptor("gitlab", "gitlab-" + projectKey, $"GitLab model registry of '{projectDisplayName}'") { Address = server, Project = project };
    }

    /// <summary>For a client already pointed at <c>&lt;gitlab&gt;/api/v4/projects/&lt;id&gt;/ml/mlflow</c>.</summary>
    public GitLabRegistry(MlflowRestClient client, string projectDisplayName)
        : this(Sha256Hex.Short(MlflowRestClient.RedactedUri(client.TrackingUri).TrimEnd('/')), projectDisplayName, _ => Task.FromResult(client))
    {
    }

    public RegistryDescriptor Descriptor { get; }

    /// <inheritdoc/>
    /// <remarks>GitLab creates the version (with its tags) and its run first; files follow (<see cref="GitLabPublication"/>).</remarks>
    public bool RegistersVersionLast => false;

    public ArtifactNameRule ArtifactNames => GitLabNames.Instance;

    public PublicationLimits Limits => GitLabLimits.Publication;

    public string? NormalizeExactVersion(string name, string version) =>
        SemanticVersion.Normalize(version.StartsWith('@') ? version[1..] : version)
        ?? throw new MlflowException(MlfError.VersionSpecInvalid, name, version, Descriptor.DisplayName,
            "its versions are SemVer (1.2.0, 2.0.1-rc2); '4' means 4.0.0");

    public async Task<ModelVersionInfo> GetModelVersionAsync(string name, string version, CancellationToken cancellationToken)
    {
        ThrowIfNameInvalid(name);
        var semver = NormalizeExactVersion(name, version)!;
        var client = await ClientAsync(cancellationToken).ConfigureAwait(false);
        var found = await client.GetModelVersionAsync(name, semver, cancellationToken).ConfigureAwait(false);
        if (found is null)
        {
            throw await RemoteVersions.UnknownVersionAsync(client, Descriptor, name, version, ListVersionNamesAsync(client, name), cancellationToken).ConfigureAwait(false);
        }

        var info = ToInfo(found);
        if (found.Status is { } status && status != "READY")
        {
            throw new MlflowException(MlfError.VersionNotReady, name, info.Version, Descriptor.DisplayName, status, "");
        }

        return IncompleteVersions.ThrowIfIncomplete(info, Descriptor);
    }

    public async Task<IReadOnlyList<ModelVersionInfo>> ListModelVersionsAsync(string name, CancellationToken cancellationToken)
    {
        ThrowIfNameInvalid(name);
        // GitLab has no model-versions/search: a registered model lists all its versions in latest_versions.
        var client = await ClientAsync(cancellationToken).ConfigureAwait(false);
        var model = await client.GetRegisteredModelWithVersionsAsync(name, cancellationToken).ConfigureAwait(false)
            ?? throw await RemoteVersions.UnknownModelAsync(client, Descriptor, name, cancellationToken).ConfigureAwait(false);
        return model.Select(ToInfo).ToList();
    }

    public async Task<RunData> GetRunDataAsync(ModelVersionInfo version, CancellationToken cancellationToken) =>
        await RemoteVersions.GetRunDataAsync(await ClientAsync(cancellationToken).ConfigureAwait(false), version, cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<ModelFileInfo>> ListFilesAsync(ModelVersionInfo version, CancellationToken cancellationToken)
    {
        if (recordedFiles.TryGetValue(version.InternalId!, out var recorded))
        {
            return recorded;
        }

        var client = await ClientAsync(cancellationToken).ConfigureAwait(false);
        var files = await client.ListArtifactFilesAsync(Location(client, version), cancellationToken).ConfigureAwait(false);
        var prefix = modelPrefixes[version.InternalId!] = ModelPrefix(files);
        return files
            .Where(f => f.Path.StartsWith(prefix, StringComparison.Ordinal))
            .Select(f => new ModelFileInfo(f.Path[prefix.Length..], f.Size, null))
            .ToList();
    }

    public async Task<Stream> OpenFileAsync(ModelVersionInfo version, ModelFileInfo file, CancellationToken cancellationToken) =>
        (await OpenFileFromAsync(version, file, 0, cancellationToken).ConfigureAwait(false)).Content;

    public async Task<FileRead> OpenFileFromAsync(ModelVersionInfo version, ModelFileInfo file, long offset, CancellationToken cancellationToken)
    {
        // Paths are relative to the model folder; the version's package may hold the model under model/ or at its root.
        if (!modelPrefixes.TryGetValue(version.InternalId!, out var prefix))
        {
            await ListFilesAsync(version, cancellationToken).ConfigureAwait(false);
            prefix = modelPrefixes[version.InternalId!];
        }

        if (recordedFiles.ContainsKey(version.InternalId!))
        {
            return await packageFiles!.OpenAsync(version.InternalId!, prefix + file.Path, offset, cancellationToken).ConfigureAwait(false);
        }

        var client = await ClientAsync(cancellationToken).ConfigureAwait(false);
        var (content, start) = await client.OpenArtifactAsync(Location(client, version).FileUri(prefix + file.Path), offset, cancellationToken).ConfigureAwait(false);
        return new FileRead(content, start);
    }

    /// <summary>"model" when the version's package keeps the model in that folder, "" when at its root; null before a listing.</summary>
    public string? ModelArtifactPath(ModelVersionInfo version) =>
        version.InternalId is { } id && modelPrefixes.TryGetValue(id, out var prefix) ? prefix.TrimEnd('/') : null;

    /// <summary>True when the only credential is a CI job token (GitLab CI's <c>CI_JOB_TOKEN</c> or a python-gitlab <c>job_token</c>).</summary>
    public Task<bool> ReadsFilesOnlyAsync(CancellationToken cancellationToken) => Task.FromResult(packageFiles?.UsesJobToken == true);

    /// <summary>Serves the recorded version from its package files (model-version id <see cref="VersionIdentity.InternalId"/>).</summary>
    public ModelVersionInfo? RecordedVersion(string name, string version, VersionIdentity? identity, string? artifactPath, IReadOnlyList<ModelFileInfo> files)
    {
        if (packageFiles is null || identity?.InternalId is not { Length: > 0 } id || artifactPath is null)
        {
            return null;
        }

        modelPrefixes[id] = artifactPath.Length == 0 ? "" : artifactPath.TrimEnd('/') + "/";
        recordedFiles[id] = files;
        return new ModelVersionInfo(name, version, identity.RunId, identity.Source, "READY",
            DateTimeOffset.FromUnixTimeMilliseconds(identity.CreationTime), new Dictionary<string, string>(), "", id);
    }

    /// <summary>GitLab keeps a version's run files in the version's package, beside <c>model/</c>: one flat listing, filtered.</summary>
    public async Task<IReadOnlyList<ModelFileInfo>> ListRunArtifactsAsync(ModelVersionInfo version, string folder, CancellationToken cancellationToken)
    {
        var client = await ClientAsync(cancellationToken).ConfigureAwait(false);
        var files = await client.ListArtifactFilesAsync(Location(client, version), cancellationToken).ConfigureAwait(false);
        var prefix = folder.Trim('/') + "/";
        return files.Where(f => f.Path.StartsWith(prefix, StringComparison.Ordinal)).Select(f => new ModelFileInfo(f.Path, f.Size, null)).ToList();
    }

    public async Task<Stream> OpenRunArtifactAsync(ModelVersionInfo version, string path, CancellationToken cancellationToken)
    {
        var client = await ClientAsync(cancellationToken).ConfigureAwait(false);
        return await client.OpenArtifactAsync(Location(client, version).FileUri(path), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The version's page, which GitLab gives as the version's <c>source</c>
    /// (lib/api/entities/ml/mlflow/model_version.rb: <c>project_ml_model_version_path</c>, <c>/&lt;project&gt;/-/ml/models/&lt;id&gt;/versions/&lt;id&gt;</c>).
    /// </summary>
    public string VersionPage(ModelVersionInfo version) => version.Source;

    public void CheckPublication(string modelName, string? requestedVersion)
    {
        ThrowIfNameInvalid(modelName);
        if (requestedVersion is not null && SemanticVersion.Normalize(requestedVersion) is null)
        {
            throw new MlflowException(MlfError.VersionSpecInvalid, modelName, requestedVersion, Descriptor.DisplayName, "GitLab versions are SemVer, e.g. 1.3.0");
        }

        checkCredentials?.Invoke();
    }

    public async Task<IModelPublication> BeginPublicationAsync(PublicationRequest request, CancellationToken cancellationToken)
    {
        ThrowIfNameInvalid(request.ModelName);
        var versionRecord = request.Version
            ?? throw new ArgumentException("GitLab creates the version first: the request must hold its tags and description.", nameof(request));
        ArtifactNames.ThrowIfAltered(request.ArtifactPaths, Descriptor);
        string? semver = null;
        if (request.RequestedVersion is { } requested)
        {
            semver = SemanticVersion.Normalize(requested)
                ?? throw new MlflowException(MlfError.VersionSpecInvalid, request.ModelName, requested, Descriptor.DisplayName, "GitLab versions are SemVer, e.g. 1.3.0");
        }

        var client = await ClientAsync(cancellationToken).ConfigureAwait(false);
        await client.EnsureRegisteredModelAsync(request.ModelName, request.ModelDescription, cancellationToken).ConfigureAwait(false);
        var tags = versionRecord.Tags.Select(t => new KeyValue(t.Key, t.Value)).ToList();
        if (semver is not null)
        {
            tags.Add(new KeyValue("gitlab.version", semver));
        }

        var version = await client.CreateModelVersionAsync(new CreateModelVersionRequest
        {
            Name = request.ModelName,
            Source = "gitlab",
            // Marked incomplete until the publication completes and writes the model card (IncompleteVersions).
            Description = IncompleteVersions.InProgressDescription(request.RunName),
            Tags = tags,
        }, cancellationToken).ConfigureAwait(false);
        Run run;
        try
        {
            run = await client.GetRunAsync(version.RunId ?? "", cancellationToken).ConfigureAwait(false);
        }
        catch (MlflowException e)
        {
            // The version (marked incomplete) and its run exist: mark both failed rather than leave the run RUNNING.
            await AbandonAsync(client, version, e.Message).ConfigureAwait(false);
            throw;
        }

        return new GitLabPublication(client, request, ToInfo(version), run);
    }

    private static async Task AbandonAsync(MlflowRestClient client, ModelVersion version, string reason)
    {
        try
        {
            if (!string.IsNullOrEmpty(version.RunId))
            {
                await client.UpdateRunAsync(version.RunId, "FAILED", DateTimeOffset.UtcNow, CancellationToken.None).ConfigureAwait(false);
            }

            await client.UpdateModelVersionDescriptionAsync(version.Name, version.Version, IncompleteVersions.FailedDescription(reason), CancellationToken.None).ConfigureAwait(false);
        }
        catch (MlflowException)
        {
            // Best effort: the server is failing; the incomplete mark already keeps restore away from the version.
        }
    }

    public void Dispose()
    {
        client?.Dispose();
        packageFiles?.Dispose();
        connecting.Dispose();
    }

    private async Task<MlflowRestClient> ClientAsync(CancellationToken cancellationToken)
    {
        if (client is not null)
        {
            return client;
        }

        await connecting.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return client ??= await connect(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            connecting.Release();
        }
    }

    private void ThrowIfNameInvalid(string name)
    {
        ModelNameRules.ThrowIfInvalid(name);
        GitLabNames.ThrowIfRefused(name, Descriptor);
    }

    private static ArtifactLocation Location(MlflowRestClient client, ModelVersionInfo version) =>
        ArtifactLocation.Resolve("mlflow-artifacts:/" + (version.InternalId ?? throw new InvalidOperationException("A GitLab version without its internal id.")),
            client.TrackingUri, reason => new MlflowException(MlfError.UnsupportedArtifactLocation, version.Name, version.Version, version.InternalId, reason));

    /// <summary>"model/" when the package keeps the model in that folder (as MlflowMsBuild publishes), else "".</summary>
    private static string ModelPrefix(IReadOnlyList<ArtifactFile> files)
    {
        var prefix = PublicationRequest.DefaultModelArtifactPath + "/";
        return files.Any(f => f.Path.StartsWith(prefix, StringComparison.Ordinal)) ? prefix : "";
    }

    private static Func<CancellationToken, Task<IReadOnlyList<string>>> ListVersionNamesAsync(MlflowRestClient client, string name) => async cancellationToken =>
    {
        var versions = await client.GetRegisteredModelWithVersionsAsync(name, cancellationToken).ConfigureAwait(false) ?? [];
        return versions.Select(v => ToInfo(v).Version).Order(VersionOrder.Instance).ToList();
    };

    /// <summary>The SemVer is the alias (or the <c>gitlab.version</c> tag); older GitLab put it in <c>version</c>.</summary>
    internal static ModelVersionInfo ToInfo(ModelVersion version)
    {
        var tags = RemoteVersions.Tags(version.Tags);
        var semver = version.Aliases?.FirstOrDefault(a => SemanticVersion.Normalize(a) == a)
            ?? (tags.TryGetValue("gitlab.version", out var tagged) ? tagged : null)
            ?? version.Version;
        return new ModelVersionInfo(
            version.Name,
            semver,
            version.RunId ?? "",
            version.Source ?? "",
            version.Status ?? "READY",
            DateTimeOffset.FromUnixTimeSeconds(version.CreationTimestamp ?? 0),
            tags,
            version.Description ?? "",
            InternalId: version.Version);
    }
}
