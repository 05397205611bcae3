using Resolution = MlflowMsBuild.Core.Resolution;

namespace MlflowMsBuild.Models;

/// <summary>
/// Where <see cref="ModelResolver"/> finds models and keeps them. Each option left empty takes the value a build
/// takes when the matching MSBuild property is empty, so a program, the <c>mlflow-models</c> tool and a build share
/// one registry and one cache.
/// </summary>
public sealed record ModelResolverOptions
{
    /// <summary>
    /// The registry of URIs without <c>?registry=</c>, as an <c>MlflowRegistry</c> value (<c>gitlab:group/project</c>,
    /// an MLflow server's URL, <c>local</c>). Empty: <c>MLFLOW_TRACKING_URI</c> when it is an http(s) URL, else the
    /// embedded registry in the home folder.
    /// </summary>
    public string? Registry { get; init; }

    /// <summary>The home folder; empty for <c>$MLFLOW_MSBUILD_HOME</c>, else <c>~/.mlflow-msbuild</c>.</summary>
    public string? Home { get; init; }

    /// <summary>The model cache (<c>MlflowCacheDirectory</c>); empty for <c>&lt;home&gt;/cache</c>.</summary>
    public string? CacheDirectory { get; init; }

    /// <summary>Never contact a registry: a version must be in the cache (else MLF3004). Null follows <c>MLFLOW_MSBUILD_OFFLINE</c>.</summary>
    public bool? Offline { get; init; }

    /// <summary>
    /// A folder that receives exactly the model's files, replacing what it held. Empty: the cache's shared, read-only
    /// folder of the version (<c>&lt;cache&gt;/models/&lt;registry key&gt;/&lt;name&gt;/&lt;version&gt;/</c>), placed once
    /// and left alone while intact.
    /// For a URI only: with a folder's path it is refused (MLF7095), since that folder is read where it is.
    /// </summary>
    public string? Destination { get; init; }

    /// <summary>Ask the registry whether a cached pinned version was replaced on the server (MLF3011 when it was).</summary>
    public bool Refresh { get; init; }

    /// <summary>How often a long download reports its progress; 5 s by default.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(5);

    internal Resolution.ModelResolverOptions ToCore() => new()
    {
        Registry = Registry,
        Home = Home,
        CacheDirectory = CacheDirectory,
        Offline = Offline,
        Destination = Destination,
        Refresh = Refresh,
        ProgressInterval = ProgressInterval,
    };
}
