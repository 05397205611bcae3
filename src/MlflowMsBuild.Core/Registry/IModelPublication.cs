namespace MlflowMsBuild.Core.Registry;

/// <summary>One version being published: its run receives data and files, then the version becomes usable.</summary>
public interface IModelPublication : IAsyncDisposable
{
    /// <summary>The run that carries the version's params, metrics, tags and files.</summary>
    string RunId { get; }

    Task LogRunDataAsync(RunData data, CancellationToken cancellationToken);

    /// <summary>Stores one file under the run's artifact root; <paramref name="artifactPath"/> is '/'-separated.</summary>
    Task UploadArtifactAsync(string artifactPath, Stream content, CancellationToken cancellationToken);

    /// <summary>
    /// Makes the version usable, carrying <paramref name="version"/>'s tags and description, and returns it. Registries that
    /// register the version last (MLflow, the embedded one) register it here; one that created it first with
    /// <see cref="PublicationRequest.Version"/> (GitLab) writes the description, and throws ArgumentException for other tags.
    /// </summary>
    Task<ModelVersionInfo> CompleteAsync(VersionCompletion version, CancellationToken cancellationToken);

    /// <summary>Marks the run failed and leaves no usable version behind.</summary>
    Task AbortAsync(string reason, CancellationToken cancellationToken);
}
