using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Publishing;
using MlflowMsBuild.Core.Registry;
using MlflowMsBuild.Core.Uris;
using MlflowMsBuild.Core.Versions;

namespace MlflowMsBuild.Core.Reporting;

/// <summary>
/// Reads what a results page shows from the registries: each exact version, its run's params and metrics, and the
/// tables and figures its run stored (under <see cref="EvaluationFolder.TablesFolderName"/> and
/// <see cref="EvaluationFolder.FiguresFolderName"/>, with the extensions <see cref="EvaluationFolder"/> lists).
/// </summary>
internal static class ReportReader
{
    /// <param name="openRegistry">Opens the registry a URI's <c>?registry=</c> names (null: the configured one).</param>
    /// <returns>The versions in the page's order: by name (ordinal), then by version (<see cref="VersionOrder"/>).</returns>
    /// <exception cref="MlflowException">MLF1071 for a URI that is not an exact version; the registry's errors (MLF2001, MLF2002 ...).</exception>
    public static async Task<IReadOnlyList<ReportedVersion>> ReadAsync(IReadOnlyList<ModelUri> models, Func<string?, IModelRegistry> openRegistry,
        Action<MlfWarning>? warn, CancellationToken cancellationToken)
    {
        var registries = new Dictionary<string, IModelRegistry>(StringComparer.Ordinal);
        try
        {
            var result = new List<ReportedVersion>();
            foreach (var uri in models.Distinct())
            {
                if (!registries.TryGetValue(uri.Registry ?? "", out var registry))
                {
                    registry = registries[uri.Registry ?? ""] = openRegistry(uri.Registry);
                }

                result.Add(await ReadOneAsync(registry, uri, warn, cancellationToken).ConfigureAwait(false));
            }

            // models:/x/1 and models:/x/01 name one version: it is shown once.
            return result
                .DistinctBy(v => (v.Version.Name, v.Version.Version, v.Uri.Registry))
                .OrderBy(v => v.Version.Name, StringComparer.Ordinal)
                .ThenBy(v => v.Version.Version, VersionOrder.Instance)
                .ThenBy(v => v.Uri.Registry ?? "", StringComparer.Ordinal)
                .ToList();
        }
        finally
        {
            foreach (var registry in registries.Values)
            {
                registry.Dispose();
            }
        }
    }

    private static async Task<ReportedVersion> ReadOneAsync(IModelRegistry registry, ModelUri uri, Action<MlfWarning>? warn, CancellationToken cancellationToken)
    {
        if (uri.Version is null || uri.IsFloating || registry.NormalizeExactVersion(uri.Name, uri.Version) is null)
        {
            throw new MlflowException(MlfError.ReportVersionNotExact, uri.ToString(), uri.Version is null ? "no version" : "a version the registry resolves when asked");
        }

        var version = await registry.GetModelVersionAsync(uri.Name, uri.Version, cancellationToken).ConfigureAwait(false);
        await WarnIfNewerAsync(registry, version, warn, cancellationToken).ConfigureAwait(false);
        var run = await registry.GetRunDataAsync(version, cancellationToken).ConfigureAwait(false);
        var metrics = run.Metrics
            .GroupBy(m => m.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(m => m.Step).ThenBy(m => m.Timestamp).Last().Value, StringComparer.Ordinal);
        var tables = await ReadArtifactsAsync(registry, version, EvaluationFolder.TablesFolderName, EvaluationFolder.TableExtensions, cancellationToken).ConfigureAwait(false);
        var figures = await ReadArtifactsAsync(registry, version, EvaluationFolder.FiguresFolderName, EvaluationFolder.FigureExtensions, cancellationToken).ConfigureAwait(false);
        return new ReportedVersion(uri with { Version = version.Version }, registry.Descriptor.Kind, version, run.Params, metrics,
            registry.VersionPage(version), tables, figures);
    }

    private static async Task WarnIfNewerAsync(IModelRegistry registry, ModelVersionInfo pinned, Action<MlfWarning>? warn, CancellationToken cancellationToken)
    {
        if (warn is null)
        {
            return;
        }

        var versions = await registry.ListModelVersionsAsync(pinned.Name, cancellationToken).ConfigureAwait(false);
        var newest = versions
            .Where(v => v.Status == "READY" && !IncompleteVersions.IsIncomplete(v))
            .Select(v => v.Version)
            .Max(VersionOrder.Instance);
        if (newest is not null && VersionOrder.Instance.Compare(newest, pinned.Version) > 0)
        {
            warn(MlfWarning.Create(MlfError.ReportNewerVersion, pinned.Name, pinned.Version, registry.Descriptor.DisplayName, newest));
        }
    }

    private static async Task<IReadOnlyList<RunArtifact>> ReadArtifactsAsync(IModelRegistry registry, ModelVersionInfo version, string folder,
        IReadOnlyList<string> extensions, CancellationToken cancellationToken)
    {
        var files = await registry.ListRunArtifactsAsync(version, folder, cancellationToken).ConfigureAwait(false);
        var result = new List<RunArtifact>();
        foreach (var file in files.Where(f => extensions.Contains(Path.GetExtension(f.Path).ToLowerInvariant())).OrderBy(f => f.Path, StringComparer.Ordinal))
        {
            await using var stream = await registry.OpenRunArtifactAsync(version, file.Path, cancellationToken).ConfigureAwait(false);
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            result.Add(new RunArtifact(file.Path, buffer.ToArray()));
        }

        return result;
    }
}
