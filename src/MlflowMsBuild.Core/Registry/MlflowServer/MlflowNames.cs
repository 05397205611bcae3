using System.Text.RegularExpressions;
using MlflowMsBuild.Core.Errors;

namespace MlflowMsBuild.Core.Registry.MlflowServer;

/// <summary>
/// What an MLflow server stores faithfully, as measured on MLflow 2.12 and 3.11 and read in their source.
/// Artifact paths: the server percent-decodes a path repeatedly until it no longer changes before storing it
/// (<c>validate_path_is_safe</c>: <c>a%2520b.txt</c> is stored as <c>a b.txt</c>, <c>%2541.txt</c> as <c>A.txt</c>),
/// refuses '#' ("Invalid path"), and MLflow 3 answers 500 to the download of a name that is not ASCII (its ASGI
/// adapter cannot write the Content-Disposition header). Model names: <c>_validate_model_name</c> of MLflow 3 refuses
/// '/' and ':' (2.12 accepted them, so such models exist and are restored, but none is created).
/// </summary>
public sealed partial class MlflowNames : ArtifactNameRule
{
    public static MlflowNames Instance { get; } = new();

    [GeneratedRegex("%[0-9A-Fa-f]{2}", RegexOptions.CultureInvariant)]
    private static partial Regex PercentSequence();

    public override string? WhyAltered(string artifactPath)
    {
        if (PercentSequence().Match(artifactPath) is { Success: true } sequence)
        {
            return $"MLflow servers percent-decode artifact paths before storing them, so '{sequence.Value}' would be stored as '{Uri.UnescapeDataString(sequence.Value)}'";
        }

        if (artifactPath.Contains('#', StringComparison.Ordinal))
        {
            return "MLflow servers refuse '#' in artifact paths (\"Invalid path\")";
        }

        if (artifactPath.Contains('\\', StringComparison.Ordinal))
        {
            return "MLflow servers on Windows refuse '\\' in artifact paths";
        }

        if (artifactPath.Any(c => c > 0x7F))
        {
            return "MLflow 3 servers answer HTTP 500 to the download of a file whose name is not ASCII, so the model could not be restored";
        }

        return null;
    }

    /// <summary>MLF1017 for a name MLflow 3 refuses to create a model with ('/' or ':').</summary>
    public static void ThrowIfRefusedOnCreate(string modelName, RegistryDescriptor registry)
    {
        if (modelName.IndexOfAny(['/', ':']) >= 0)
        {
            throw new MlflowException(MlfError.ModelNameRejectedByRegistry, modelName, registry.DisplayName,
                "MLflow 3 refuses '/' and ':' in model names (MLflow 2 took them; such models are restored, not created)");
        }
    }
}
