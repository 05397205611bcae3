using MlflowMsBuild.Core.Naming;
using MlflowMsBuild.Core.Registry;

namespace MlflowMsBuild.Core.Restore;

/// <param name="Version">The exact version as the registry names it.</param>
/// <param name="Directory">Where the files were placed.</param>
/// <param name="FromCache">True when no file had to be downloaded.</param>
public sealed record RestoredModel(string Name, string Version, string Directory, IReadOnlyList<CacheManifestFile> Files, bool FromCache);

/// <summary>
/// Restores model versions: resolve → global cache (download once) → a project's own folder.
/// A version already in the cache is placed without asking the registry anything.
/// </summary>
public sealed class ModelRestorer
{
    private readonly IModelRegistry registry;
    private readonly ModelCache cache;

    public ModelRestorer(IModelRegistry registry, ModelCache cache)
    {
        this.registry = registry;
        this.cache = cache;
    }

    /// <summary>Makes <paramref name="destination"/> hold exactly the files of the version, from the cache.</summary>
    /// <param name="version">The version as the user wrote it; the registry resolves it.</param>
    public async Task<RestoredModel> RestoreAsync(string name, string version, string destination, CancellationToken cancellationToken = default)
    {
        ModelNameRules.ThrowIfInvalid(name);
        var exact = registry.NormalizeExactVersion(name, version);
        var manifest = exact is null ? null : cache.TryGet(registry.Descriptor, name, exact);
        var fromCache = manifest is not null;
        if (manifest is null)
        {
            var resolved = await registry.GetModelVersionAsync(name, version, cancellationToken).ConfigureAwait(false);
            manifest = cache.TryGet(registry.Descriptor, resolved.Name, resolved.Version)
                ?? await cache.InstallAsync(registry, resolved, cancellationToken).ConfigureAwait(false);
        }

        destination = Path.GetFullPath(destination);
        Place(manifest, ModelCache.FilesDirectory(cache.EntryDirectory(registry.Descriptor, manifest.Name, manifest.Version)), destination);
        return new RestoredModel(manifest.Name, manifest.Version, destination, manifest.Files, fromCache);
    }

    private static void Place(CacheManifest manifest, string cachedFiles, string destination)
    {
        if (Directory.Exists(destination))
        {
            Directory.Delete(destination, recursive: true);
        }

        foreach (var file in manifest.Files)
        {
            var target = Path.Combine(destination, file.Path);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(Path.Combine(cachedFiles, file.Path), target);
        }
    }
}
