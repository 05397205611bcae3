using MlflowMsBuild.Core.Errors;

namespace MlflowMsBuild.Core.Registry;

/// <summary>
/// Which artifact paths a registry stores and serves back exactly. A path it would alter (decode, cut, refuse to
/// download) is refused before anything is created, so what the model card and the content hash describe is what the
/// registry holds.
/// </summary>
public abstract class ArtifactNameRule
{
    /// <summary>Every path comes back as it was published (the embedded registry: files on this machine's disk).</summary>
    public static ArtifactNameRule Any { get; } = new AnyPath();

    /// <summary>Why the registry would not give <paramref name="artifactPath"/> ('/'-separated) back exactly, or null when it would.</summary>
    public abstract string? WhyAltered(string artifactPath);

    /// <summary>MLF4002 for the first path the registry would alter.</summary>
    public void ThrowIfAltered(IEnumerable<string> artifactPaths, RegistryDescriptor registry)
    {
        foreach (var path in artifactPaths)
        {
            if (WhyAltered(path) is { } reason)
            {
                throw new MlflowException(MlfError.FileNameRejectedByRegistry, path, registry.DisplayName, reason);
            }
        }
    }

    private sealed class AnyPath : ArtifactNameRule
    {
        public override string? WhyAltered(string artifactPath) => null;
    }
}
