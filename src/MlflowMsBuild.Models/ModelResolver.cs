using Resolution = MlflowMsBuild.Core.Resolution;
using MlflowMsBuild.Core.Errors;

namespace MlflowMsBuild.Models;

/// <summary>
/// Turns a model given as <c>models:/NAME/VERSION</c>, <c>models:/NAME@ALIAS</c> (each optionally with
/// <c>?registry=REGISTRY</c>) or a folder's path into a local folder that holds the model's files. A URI goes
/// through the machine-wide cache exactly as MlflowMsBuild's restore does (same entries, locks, size and sha256
/// checks), so a version a build restored is never downloaded again and a pinned version in the cache is found
/// without a request.
/// </summary>
public sealed class ModelResolver
{
    private readonly Resolution.ModelResolver resolver;

    /// <param name="options">Registry, home, cache and offline; null for the defaults a build uses.</param>
    public ModelResolver(ModelResolverOptions? options = null) =>
        resolver = new Resolution.ModelResolver((options ?? new ModelResolverOptions()).ToCore());

    /// <summary>Resolves <paramref name="pathOrUri"/> to a local folder.</summary>
    /// <param name="pathOrUri">A model URI, or a folder's path (relative to the working folder), or a <c>file:</c> URI.</param>
    /// <param name="progress">Receives download progress, waits for other processes' cache locks and resumed transfers; from any thread.</param>
    /// <param name="cancellationToken">Stops waits and downloads; a partial download is resumed by the next call.</param>
    /// <exception cref="ModelResolutionException">
    /// With the code of the failure, e.g. MLF7001 (not a valid URI), MLF2002 (no such version), MLF3004 (offline and
    /// not in the cache); the README's error-code table says what each means.
    /// </exception>
    public async Task<ResolvedModel> ResolveAsync(string pathOrUri, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pathOrUri);
        try
        {
            var resolved = await resolver.ResolveAsync(pathOrUri, progress, cancellationToken).ConfigureAwait(false);
            return new ResolvedModel(
                resolved.Directory,
                resolved.Uri?.ToString(),
                resolved.Uri?.Name,
                resolved.Version,
                resolved.Registry?.DisplayName,
                resolved.Files.Select(f => new ModelFile(f.Path, f.Size, f.Sha256)).ToList(),
                resolved.FromCache)
            {
                Warnings = resolved.Warnings.Select(w => new ModelWarning(w.Code, w.Message)).ToList(),
            };
        }
        catch (MlflowException e)
        {
            throw new ModelResolutionException(e.Code, e.Message, e);
        }
    }
}
