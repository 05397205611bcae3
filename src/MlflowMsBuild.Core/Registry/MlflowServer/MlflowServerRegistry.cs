using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Http;
using MlflowMsBuild.Core.IO;
using MlflowMsBuild.Core.Naming;
using MlflowMsBuild.Core.RestApi;
using MlflowMsBuild.Core.Versions;

namespace MlflowMsBuild.Core.Registry.MlflowServer;

/// <summary>
/// A plain MLflow tracking server with the model registry and <c>--serve-artifacts</c>. Versions are
/// 1, 2, 3 ...; <c>@alias</c> pins resolve through the server. Publishing follows MLflow's order:
/// run → params/metrics/tags → files → run finished → version registered last.
/// </summary>
public sealed partial class MlflowServerRegistry : IModelRegistry
{
    private readonly Lazy<MlflowRestClient> connection;
    private readonly ConcurrentDictionary<(string Name, string Version), ArtifactLocation> locations = new();
    private readonly ConcurrentDictionary<string, ArtifactLocation> runRoots = new(StringComparer.Ordinal);
    private readonly string webRoot;

    public MlflowServerRegistry(MlflowRestClient client)
        : this(client.TrackingUri, () => client)
    {
    }

    /// <param name="connect">
    /// Creates the client when the first request is about to be made: credentials and TLS settings are read then,
    /// so a restore served by the cache never fails on them.
    /// </param>
    public MlflowServerRegistry(Uri trackingUri, Func<MlflowRestClient> connect)
    {
        connection = new Lazy<MlflowRestClient>(connect, LazyThreadSafetyMode.ExecutionAndPublication);
        var uri = MlflowRestClient.RedactedUri(trackingUri);
        webRoot = uri.TrimEnd('/');
        // MLflow's SQL stores keep descriptions in VARCHAR(5000) columns (SQLite ignores it, PostgreSQL and MySQL do not).
        Descriptor = new RegistryDescriptor("mlflow", "mlflow-" + Sha256Hex.Short(uri.TrimEnd('/')), $"MLflow server '{uri}'", MaxDescriptionLength: 5000) { Address = uri };
    }

    public RegistryDescriptor Descriptor { get; }

    /// <inheritdoc/>
    /// <remarks>Run, data and files first; create-model-version last (<see cref="MlflowServerPublication"/>).</remarks>
    public bool RegistersVersionLast => true;

    public ArtifactNameRule ArtifactNames => MlflowNames.Instance;

    [GeneratedRegex(@"^[\w\-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex AliasPattern();

    public string? NormalizeExactVersion(string name, string version)
    {
        if (version.StartsWith('@'))
        {
            var alias = version[1..];
            if (!AliasPattern().IsMatch(alias))
            {
                throw new MlflowException(MlfError.VersionSpecInvalid, name, version, Descriptor.DisplayName, "an alias holds letters, digits, '_' and '-'");
            }

            return null;
        }

        return WholeNumberVersion.Normalize(version)
            ?? throw new MlflowException(MlfError.VersionSpecInvalid, name, version, Descriptor.DisplayName, "its versions are whole numbers 1, 2, 3 ..., or @alias");
    }

    /// <summary>MLflow's create_model_version takes no version number: the server gives the next one.</summary>
    public void CheckPublication(string modelName, string? requestedVersion)
    {
        ModelNameRules.ThrowIfInvalid(modelName);
        MlflowNames.ThrowIfRefusedOnCreate(modelName, Descriptor);
        if (requestedVersion is not null)
        {
            throw new MlflowException(MlfError.RequestedVersionNotSupported, requestedVersion, Descriptor.DisplayName);
        }

        // Creating the client reads the credentials and TLS settings; it sends nothing.
        _ = Client;
    }

    public async Task<ModelVersionInfo> GetModelVersionAsync(string name, string version, CancellationToken cancellationToken)
    {
        ModelNameRules.ThrowIfInvalid(name);
        var exact = NormalizeExactVersion(name, version);
        var found = exact is null
            ? await Client.GetModelVersionByAliasAsync(name, version[1..], cancellationToken).ConfigureAwait(false)
            : await Client.GetModelVersionAsync(name, exact, cancellationToken).ConfigureAwait(false);
        if (found is null)
        {
            throw await RemoteVersions.UnknownVersionAsync(Client, Descriptor, name, version, ListVersionNamesAsync(name), cancellationToken).ConfigureAwait(false);
        }

        if (found.Status is { } status && status != "READY")
        {
            throw new MlflowException(MlfError.VersionNotReady, name, found.Version, Descriptor.DisplayName, status,
                string.IsNullOrEmpty(found.StatusMessage) ? "" : $" ({found.StatusMessage})");
        }

        return IncompleteVersions.ThrowIfIncomplete(ToInfo(found), Descriptor);
    }

    public async Task<IReadOnlyList<ModelVersionInfo>> ListModelVersionsAsync(string name, CancellationToken cancellationToken)
    {
        ModelNameRules.ThrowIfInvalid(name);
        if (await Client.GetRegisteredModelAsync(name, cancellationToken).ConfigureAwait(false) is null)
        {
            throw await RemoteVersions.UnknownModelAsync(Client, Descriptor, name, cancellationToken).ConfigureAwait(false);
        }

        var versions = await Client.SearchModelVersionsAsync(name, cancellationToken).ConfigureAwait(false);
        return versions.Select(ToInfo).OrderBy(v => v.Version, VersionOrder.Instance).ToList();
    }

    public Task<RunData> GetRunDataAsync(ModelVersionInfo version, CancellationToken cancellationToken) =>
        RemoteVersions.GetRunDataAsync(Client, version, cancellationToken);

    public async Task<IReadOnlyList<ModelFileInfo>> ListFilesAsync(ModelVersionInfo version, CancellationToken cancellationToken)
    {
        var location = await LocateAsync(version, cancellationToken).ConfigureAwait(false);
        var files = await Client.ListArtifactFilesAsync(location, cancellationToken).ConfigureAwait(false);
        if (files.Count == 0 && location.SplitName() is var (folder, name))
        {
            // The mlflow client also registers single files (runs:/<run>/model.pkl): the proxy lists a file as empty.
            var siblings = await Client.ListArtifactFilesAsync(folder, cancellationToken).ConfigureAwait(false);
            if (siblings.FirstOrDefault(f => f.Path == name) is { } single)
            {
                locations[(version.Name, version.Version)] = folder;
                files = [single];
            }
        }

        return files.Select(f => new ModelFileInfo(f.Path, f.Size, null)).ToList();
    }

    public async Task<Stream> OpenFileAsync(ModelVersionInfo version, ModelFileInfo file, CancellationToken cancellationToken)
    {
        var location = await LocateAsync(version, cancellationToken).ConfigureAwait(false);
        return await Client.OpenArtifactAsync(location.FileUri(file.Path), cancellationToken).ConfigureAwait(false);
    }

    public async Task<FileRead> OpenFileFromAsync(ModelVersionInfo version, ModelFileInfo file, long offset, CancellationToken cancellationToken)
    {
        var location = await LocateAsync(version, cancellationToken).ConfigureAwait(false);
        var (content, start) = await Client.OpenArtifactAsync(location.FileUri(file.Path), offset, cancellationToken).ConfigureAwait(false);
        return new FileRead(content, start);
    }

    public async Task<IReadOnlyList<ModelFileInfo>> ListRunArtifactsAsync(ModelVersionInfo version, string folder, CancellationToken cancellationToken)
    {
        if (version.RunId.Length == 0)
        {
            return [];
        }

        var root = await RunRootAsync(version, cancellationToken).ConfigureAwait(false);
        var files = await Client.ListArtifactFilesAsync(root.Child(folder), cancellationToken).ConfigureAwait(false);
        return files.Select(f => new ModelFileInfo(folder.Trim('/') + "/" + f.Path, f.Size, null)).ToList();
    }

    public async Task<Stream> OpenRunArtifactAsync(ModelVersionInfo version, string path, CancellationToken cancellationToken)
    {
        var root = await RunRootAsync(version, cancellationToken).ConfigureAwait(false);
        return await Client.OpenArtifactAsync(root.FileUri(path), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The MLflow UI's model-version page, <c>&lt;server&gt;/#/models/&lt;name&gt;/versions/&lt;version&gt;</c>
    /// (mlflow/server/js/src/model-registry/routes: getModelVersionPageRoute).
    /// </summary>
    public string VersionPage(ModelVersionInfo version) =>
        $"{webRoot}/#/models/{Uri.EscapeDataString(version.Name)}/versions/{Uri.EscapeDataString(version.Version)}";

    public async Task<IModelPublication> BeginPublicationAsync(PublicationRequest request, CancellationToken cancellationToken)
    {
        ModelNameRules.ThrowIfInvalid(request.ModelName);
        MlflowNames.ThrowIfRefusedOnCreate(request.ModelName, Descriptor);
        ArtifactNames.ThrowIfAltered(request.ArtifactPaths, Descriptor);
        var experimentName = request.ExperimentName ?? request.ModelName;
        var experiment = await Client.GetOrCreateExperimentAsync(experimentName, cancellationToken).ConfigureAwait(false);
        if (experiment.ArtifactLocation is { Length: > 0 } root)
        {
            ThrowIfNotProxied(root, experimentName);
        }

        var run = await Client.CreateRunAsync(experiment.ExperimentId, request.RunName, DateTimeOffset.UtcNow, [], cancellationToken).ConfigureAwait(false);
        try
        {
            return new MlflowServerPublication(Client, request, run, ThrowIfNotProxied(run.Info.ArtifactUri, experimentName));
        }
        catch (MlflowException)
        {
            // A run the publication abandons is marked FAILED, never left RUNNING.
            await MlflowServerPublication.MarkFailedAsync(Client, run.Info.RunId).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// The location, when files written there can be listed and read back through the tracking server's proxy
    /// (mlflow-artifacts:/, or http(s) into the proxy); else <see cref="MlfError.ExperimentArtifactLocationUnsupported"/>.
    /// MLflow creates an experiment's runs under its artifact_location (s3://, gs://, a local path ... when the
    /// experiment or the server's default root says so), and the client would have to write there itself.
    /// </summary>
    private ArtifactLocation ThrowIfNotProxied(string location, string experimentName)
    {
        MlflowException NotProxied(string reason) =>
            new(MlfError.ExperimentArtifactLocationUnsupported, experimentName, Descriptor.DisplayName, location);
        var resolved = ArtifactLocation.Resolve(location, Client.TrackingUri, NotProxied);
        return resolved.IsListable ? resolved : throw NotProxied("not behind the proxy");
    }

    public void Dispose()
    {
        if (connection.IsValueCreated)
        {
            Client.Dispose();
        }
    }

    private MlflowRestClient Client => connection.Value;

    /// <summary>
    /// Where a version's files are: get-download-uri, then the sources the mlflow client writes:
    /// <c>runs:/&lt;run&gt;/&lt;path&gt;</c>, <c>models:/m-&lt;id&gt;</c> (MLflow 3 logged models), mlflow-artifacts and http(s).
    /// </summary>
    private async Task<ArtifactLocation> LocateAsync(ModelVersionInfo version, CancellationToken cancellationToken)
    {
        if (locations.TryGetValue((version.Name, version.Version), out var known))
        {
            return known;
        }

        // MLflow stores a version's source as its storage location unless the source is a models:/ URI, and
        // get-download-uri answers the storage location (mlflow/store/model_registry/sqlalchemy_store.py,
        // create_model_version and get_model_version_download_uri): for the sources the product and the mlflow client
        // write, the answer is the source itself, one request per version that a restore of many small models saves.
        var uri = SourceIsDownloadUri(version.Source)
            ? version.Source
            : await Client.GetModelVersionDownloadUriAsync(version.Name, version.Version, cancellationToken).ConfigureAwait(false);
        MlflowException Unsupported(string reason) => new(MlfError.UnsupportedArtifactLocation, version.Name, version.Version, uri, reason);

        ArtifactLocation location;
        if (uri.StartsWith("runs:/", StringComparison.Ordinal))
        {
            var parts = uri["runs:/".Length..].Trim('/').Split('/', 2);
            var run = await Client.GetRunAsync(parts[0], cancellationToken).ConfigureAwait(false);
            location = ArtifactLocation.Resolve(run.Info.ArtifactUri, Client.TrackingUri, Unsupported).Child(parts.Length > 1 ? parts[1] : "");
        }
        else if (uri.StartsWith("models:/m-", StringComparison.Ordinal))
        {
            var modelId = uri["models:/".Length..].Trim('/').Split('/')[0];
            var artifactUri = await Client.GetLoggedModelArtifactUriAsync(modelId, cancellationToken).ConfigureAwait(false);
            location = ArtifactLocation.Resolve(artifactUri, Client.TrackingUri, Unsupported);
        }
        else
        {
            location = ArtifactLocation.Resolve(uri, Client.TrackingUri, Unsupported);
        }

        if (!location.IsListable)
        {
            throw Unsupported("its files cannot be listed (not served through the tracking server's mlflow-artifacts proxy)");
        }

        locations[(version.Name, version.Version)] = location;
        return location;
    }

    private static bool SourceIsDownloadUri(string? source) =>
        source is not null && (source.StartsWith("mlflow-artifacts:/", StringComparison.Ordinal) || source.StartsWith("runs:/", StringComparison.Ordinal));

    /// <summary>The artifact root of the version's run (<c>runs/get</c>: <c>artifact_uri</c>), behind the proxy.</summary>
    private async Task<ArtifactLocation> RunRootAsync(ModelVersionInfo version, CancellationToken cancellationToken)
    {
        if (runRoots.TryGetValue(version.RunId, out var known))
        {
            return known;
        }

        var run = await Client.GetRunAsync(version.RunId, cancellationToken).ConfigureAwait(false);
        MlflowException Unsupported(string reason) => new(MlfError.UnsupportedArtifactLocation, version.Name, version.Version, run.Info.ArtifactUri, reason);
        var root = ArtifactLocation.Resolve(run.Info.ArtifactUri, Client.TrackingUri, Unsupported);
        if (!root.IsListable)
        {
            throw Unsupported("its run's files cannot be listed (not served through the tracking server's mlflow-artifacts proxy)");
        }

        return runRoots[version.RunId] = root;
    }

    private Func<CancellationToken, Task<IReadOnlyList<string>>> ListVersionNamesAsync(string name) => async cancellationToken =>
    {
        var versions = await Client.SearchModelVersionsAsync(name, cancellationToken).ConfigureAwait(false);
        return versions.Select(v => v.Version).Order(VersionOrder.Instance).ToList();
    };

    internal static ModelVersionInfo ToInfo(ModelVersion version) => new(
        version.Name,
        version.Version,
        version.RunId ?? "",
        version.Source ?? "",
        version.Status ?? "READY",
        DateTimeOffset.FromUnixTimeMilliseconds(version.CreationTimestamp ?? 0),
        RemoteVersions.Tags(version.Tags),
        version.Description ?? "");
}
