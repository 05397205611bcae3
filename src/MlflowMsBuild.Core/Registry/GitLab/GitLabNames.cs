using System.Text.RegularExpressions;
using MlflowMsBuild.Core.Errors;

namespace MlflowMsBuild.Core.Registry.GitLab;

/// <summary>
/// What GitLab's model registry stores faithfully (GitLab's source: <c>Gitlab::Regex</c>). Model names follow
/// <c>package_name_regex</c> (segments of ASCII letters, digits, '_', '-', '.', '+' separated by '/', at most one '@'
/// before and one inside, '+' only in a segment followed by '/') and are at most 255 characters. Package file names
/// follow <c>ml_model_file_name_regex</c> (<c>[A-Za-z0-9._+ -]</c>); folders are stored URI-encoded with the file name
/// but looked up CGI-escaped, which differ for spaces and every other character: each path segment must be of
/// <c>[A-Za-z0-9._+-]</c>.
/// </summary>
public sealed partial class GitLabNames : ArtifactNameRule
{
    /// <summary>255 for the name, but GitLab first creates the experiment <c>[model]&lt;name&gt;</c>, itself limited to 255.</summary>
    public const int MaxModelNameLength = 247;

    public static GitLabNames Instance { get; } = new();

    [GeneratedRegex(@"\A[A-Za-z0-9._+\-]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex Segment();

    [GeneratedRegex(@"\A@?(?>(([A-Za-z0-9_\-.+]*)/)*([A-Za-z0-9_\-.]+))@?(?>(([A-Za-z0-9_\-.+]*)/)*([A-Za-z0-9_\-.]*))\z", RegexOptions.CultureInvariant)]
    private static partial Regex ModelName();

    public override string? WhyAltered(string artifactPath) =>
        artifactPath.Split('/').FirstOrDefault(s => !Segment().IsMatch(s)) is { } segment
            ? $"GitLab stores package files and folders named with letters, digits, '.', '_', '-' and '+' only ('{segment}' is not; a space does not download back)"
            : null;

    /// <summary>MLF1017 for a name GitLab cannot hold: such a model cannot exist there, so nothing is asked.</summary>
    public static void ThrowIfRefused(string modelName, RegistryDescriptor registry)
    {
        if (modelName.Length > MaxModelNameLength || !ModelName().IsMatch(modelName))
        {
            throw new MlflowException(MlfError.ModelNameRejectedByRegistry, modelName, registry.DisplayName,
                "GitLab model names are at most 247 letters, digits, '_', '-', '.' and '+', in segments separated by '/' (its package name rule)");
        }
    }
}
