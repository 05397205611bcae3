using MlflowMsBuild.Core.Errors;

namespace MlflowMsBuild.Core.Registry;

/// <summary>
/// How a version that exists before it is complete (GitLab creates the version first) is marked, and how
/// readers refuse it. GitLab has no model-version tags that can change after creation, so the mark is the
/// version's description: it starts with <see cref="Marker"/> from creation until the publish completes and
/// replaces it with the model card. A publish that fails (or is killed) leaves the mark, which the GitLab UI
/// shows as a warning and restore refuses.
/// </summary>
public static class IncompleteVersions
{
    public const string Marker = "<!-- mlflow_msbuild:incomplete -->";
    private const int MaxReasonLength = 500;

    /// <summary>The description a version carries while it is being published.</summary>
    public static string InProgressDescription(string runName) =>
        $"{Marker}\n**Incomplete: do not use.** MlflowMsBuild is publishing this version (run `{runName}`); if this text stays, the publish stopped before it completed. Restore refuses this version: publish again.\n";

    /// <summary>The description of a version whose publish failed after the version was created.</summary>
    public static string FailedDescription(string reason)
    {
        var text = reason.ReplaceLineEndings(" ").Trim();
        if (text.Length > MaxReasonLength)
        {
            text = text[..MaxReasonLength] + "…";
        }

        return $"{Marker}\n**Incomplete: do not use.** The publish failed before this version was complete: {text}\n\nRestore refuses this version: fix the cause and publish again.\n";
    }

    public static bool IsIncomplete(ModelVersionInfo version) =>
        version.Description.TrimStart().StartsWith(Marker, StringComparison.Ordinal);

    /// <summary>Throws VersionIncomplete for a version that carries the mark.</summary>
    public static ModelVersionInfo ThrowIfIncomplete(ModelVersionInfo version, RegistryDescriptor registry)
    {
        if (IsIncomplete(version))
        {
            var reason = version.Description.Contains("The publish failed", StringComparison.Ordinal)
                ? "its publish failed after the version was created."
                : "its publish never completed (it was stopped, or is still running).";
            throw new MlflowException(MlfError.VersionIncomplete, version.Name, version.Version, registry.DisplayName, reason);
        }

        return version;
    }
}
