namespace MlflowMsBuild.Core.Registry;

/// <summary>
/// A model registry: the embedded local one, a plain MLflow server, or GitLab's MLflow-compatible API.
/// Reading resolves a (name, version) to an exact version and its files; writing goes through an
/// <see cref="IModelPublication"/> so that each backend can keep its own order (GitLab creates the
/// version first and receives files after it; MLflow registers the version last).
/// </summary>
public interface IModelRegistry : IDisposable
{
    /// <summary>What this registry is, for messages and as the key of its entries in the cache.</summary>
    RegistryDescriptor Descriptor { get; }

    /// <summary>The artifact paths this registry stores and serves back exactly; the publisher refuses the others up front (MLF4002).</summary>
    ArtifactNameRule ArtifactNames => ArtifactNameRule.Any;

    /// <summary>The registry's own limits on params, tags, metrics and file sizes; the publisher checks them before creating anything.</summary>
    PublicationLimits Limits => PublicationLimits.None;

    /// <summary>
    /// Resolves <paramref name="version"/> as the user wrote it to one exact version.
    /// Throws <see cref="Errors.MlflowException"/> with UnknownModel or UnknownVersion (naming what exists).
    /// </summary>
    Task<ModelVersionInfo> GetModelVersionAsync(string name, string version, CancellationToken cancellationToken);

    /// <summary>
    /// The exact version a pin names, without asking the server ("4" is "4.0.0" on GitLab), or null when the
    /// spec needs the server to resolve it (an alias). Throws VersionSpecInvalid for a spec the registry cannot take.
    /// </summary>
    string? NormalizeExactVersion(string name, string version);

    /// <summary>
    /// Checks, without a request, what publishing <paramref name="modelName"/> needs from this registry: its name rules
    /// (MLF1002, MLF1017), <paramref name="requestedVersion"/> (MLF1003; MLF1051 where the registry numbers versions
    /// itself) and the credentials its requests will carry (5xxx). Null <paramref name="requestedVersion"/>: let it number.
    /// </summary>
    void CheckPublication(string modelName, string? requestedVersion);

    Task<IReadOnlyList<ModelVersionInfo>> ListModelVersionsAsync(string name, CancellationToken cancellationToken);

    /// <summary>The params, metrics and tags of the run that produced <paramref name="version"/>; empty when it names no run.</summary>
    Task<RunData> GetRunDataAsync(ModelVersionInfo version, CancellationToken cancellationToken);

    /// <summary>Every file of the version's model, recursively, with '/'-separated relative paths.</summary>
    Task<IReadOnlyList<ModelFileInfo>> ListFilesAsync(ModelVersionInfo version, CancellationToken cancellationToken);

    Task<Stream> OpenFileAsync(ModelVersionInfo version, ModelFileInfo file, CancellationToken cancellationToken);

    /// <summary>
    /// Opens a file from byte <paramref name="offset"/> where the registry can (an HTTP Range request), so that an
    /// interrupted download resumes. <see cref="FileRead.Offset"/> is where the stream really starts: 0 when the
    /// registry ignored the range (as a plain MLflow server does) and sends the whole file.
    /// </summary>
    async Task<FileRead> OpenFileFromAsync(ModelVersionInfo version, ModelFileInfo file, long offset, CancellationToken cancellationToken) =>
        new(await OpenFileAsync(version, file, cancellationToken).ConfigureAwait(false), 0);

    /// <summary>
    /// The folder of the version's stored files that holds the model (<c>model</c>, or <c>""</c> for all of them), where
    /// the registry keeps a model among other files and has listed them (a GitLab model version's package); null
    /// otherwise. The cache manifest and <c>models.lock.json</c> record it, so that <see cref="RecordedVersion"/> can
    /// serve the files without a listing.
    /// </summary>
    string? ModelArtifactPath(ModelVersionInfo version) => null;

    /// <summary>
    /// True when the credentials at hand read the versions' files but not the registry's records of them (a GitLab CI
    /// job token, which GitLab accepts on package files only). Then a version can be restored only as
    /// <c>models.lock.json</c> recorded it (<see cref="RecordedVersion"/>). Resolves credentials; makes no request.
    /// </summary>
    Task<bool> ReadsFilesOnlyAsync(CancellationToken cancellationToken) => Task.FromResult(false);

    /// <summary>
    /// The version as a lock file recorded it, for a registry whose credentials read files only
    /// (<see cref="ReadsFilesOnlyAsync"/>): <see cref="ListFilesAsync"/> then answers <paramref name="files"/> and the
    /// files are read without asking for the version's records. Null when the record lacks what the registry needs
    /// (GitLab: the model-version id and <paramref name="artifactPath"/>).
    /// </summary>
    ModelVersionInfo? RecordedVersion(string name, string version, VersionIdentity? identity, string? artifactPath, IReadOnlyList<ModelFileInfo> files) => null;

    /// <summary>
    /// The files the version's run stored under <paramref name="folder"/> besides the model (e.g. <c>figures</c>,
    /// <c>tables</c>: MLflow's log_figure and log_text), recursively; <see cref="ModelFileInfo.Path"/> is relative to
    /// the run's artifact root (<c>figures/roc.png</c>). Empty when the folder or the run does not exist.
    /// </summary>
    Task<IReadOnlyList<ModelFileInfo>> ListRunArtifactsAsync(ModelVersionInfo version, string folder, CancellationToken cancellationToken);

    /// <summary>Opens a file <see cref="ListRunArtifactsAsync"/> listed; <paramref name="path"/> is relative to the run's artifact root.</summary>
    Task<Stream> OpenRunArtifactAsync(ModelVersionInfo version, string path, CancellationToken cancellationToken);

    /// <summary>
    /// Where a reader sees the version: its page in the registry's web UI (MLflow, GitLab), or the '/'-separated path
    /// of its document under the registry's folder (the embedded registry: <c>models/doc-x/versions/3.json</c>, the
    /// same on every machine). Makes no request.
    /// </summary>
    string VersionPage(ModelVersionInfo version);

    /// <summary>
    /// True when a publication registers the version as its last step, after the run's data and files (MLflow, the
    /// embedded registry): its tags and description are needed only by <see cref="IModelPublication.CompleteAsync"/>.
    /// False when the version is created first (GitLab): <see cref="PublicationRequest.Version"/> must hold them.
    /// </summary>
    bool RegistersVersionLast { get; }

    /// <summary>
    /// Starts publishing a new version. Nothing is usable until <see cref="IModelPublication.CompleteAsync"/>
    /// succeeds; disposing an incomplete publication aborts it.
    /// </summary>
    Task<IModelPublication> BeginPublicationAsync(PublicationRequest request, CancellationToken cancellationToken);
}

/// <param name="Content">The file's bytes from <paramref name="Offset"/> on; disposing it ends the transfer.</param>
/// <param name="Offset">Where <paramref name="Content"/> starts in the file.</param>
public sealed record FileRead(Stream Content, long Offset);
