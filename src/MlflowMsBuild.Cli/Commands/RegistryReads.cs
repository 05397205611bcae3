using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Registry;

namespace MlflowMsBuild.Cli.Commands;

/// <summary>Reads for showing and listing: unlike a restore, an incomplete or unready version is shown (and said to be so), not refused.</summary>
internal static class RegistryReads
{
    public static async Task<ModelVersionInfo> GetVersionAsync(IModelRegistry registry, string name, string version, CancellationToken cancellationToken)
    {
        try
        {
            return await registry.GetModelVersionAsync(name, version, cancellationToken).ConfigureAwait(false);
        }
        catch (MlflowException e) when (e.Error is MlfError.VersionIncomplete or MlfError.VersionNotReady && registry.NormalizeExactVersion(name, version) is { } exact)
        {
            var versions = await registry.ListModelVersionsAsync(name, cancellationToken).ConfigureAwait(false);
            if (versions.FirstOrDefault(v => v.Version == exact) is { } found)
            {
                return found;
            }

            throw;
        }
    }
}
