using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Naming;

namespace MlflowMsBuild.Core.Publishing;

/// <summary>
/// The model files must be restorable on every machine a team uses, Windows included, even when published from Linux:
/// a name Windows cannot hold (<see cref="WindowsNames"/>) or a path under <c>obj/models</c> longer than
/// <see cref="WindowsNames.MaxPath"/> is refused at publish (MLF4009) rather than failing at restore. Names differing
/// only in case or Unicode normalisation are refused by <see cref="EvaluationOutputs.ThrowIfColliding"/> (MLF4008).
/// </summary>
internal static class RestorableFileNames
{
    /// <summary>Room kept for the version folder (<c>3</c>, <c>1.2.0</c>, <c>@champion</c>) in the path length check.</summary>
    public const int VersionAllowance = 16;

    /// <param name="relativePaths">The model files, '/'-separated, relative to the model folder.</param>
    public static void ThrowIfNotRestorable(string modelName, IEnumerable<string> relativePaths)
    {
        var folder = ModelFolderName.Of(modelName);
        foreach (var path in relativePaths)
        {
            foreach (var segment in path.Split('/'))
            {
                if (WindowsNames.WhyNotAllowed(segment) is { } reason)
                {
                    throw new MlflowException(MlfError.FileNameNotPortable, path, reason);
                }
            }

            var underModels = folder.Length + 1 + VersionAllowance + 1 + path.Length;
            if (underModels > WindowsNames.MaxPath)
            {
                throw new MlflowException(MlfError.FileNameNotPortable, path,
                    $"under obj/models it becomes '{folder}/<version>/{path}', {underModels} characters counting {VersionAllowance} for the version, over Windows' {WindowsNames.MaxPath}");
            }
        }
    }
}
