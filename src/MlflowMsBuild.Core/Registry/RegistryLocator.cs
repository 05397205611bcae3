using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Registry.Local;

namespace MlflowMsBuild.Core.Registry;

/// <summary>Turns the <c>MlflowRegistry</c> setting into a registry.</summary>
public static class RegistryLocator
{
    /// <param name="setting">Empty for the embedded registry in <paramref name="home"/>; else a folder path.</param>
    /// <param name="baseDirectory">What a relative folder path is relative to (the project's folder).</param>
    public static IModelRegistry Open(string? setting, MlflowHome home, string baseDirectory)
    {
        if (string.IsNullOrWhiteSpace(setting))
        {
            return new LocalRegistry(home.DefaultRegistry);
        }

        var value = setting.Trim();
        if (value.Contains("://", StringComparison.Ordinal) || value.StartsWith("gitlab:", StringComparison.OrdinalIgnoreCase))
        {
            throw new MlflowException(MlfError.RegistrySettingUnsupported, value,
                "this build of MlflowMsBuild knows only the embedded registry; MLflow and GitLab servers are not supported yet");
        }

        return new LocalRegistry(Path.GetFullPath(value, baseDirectory));
    }
}
