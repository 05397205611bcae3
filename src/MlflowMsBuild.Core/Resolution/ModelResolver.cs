using System.Collections.Concurrent;
using MlflowMsBuild.Core.Cache;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Registry;
using MlflowMsBuild.Core.Restore;
using MlflowMsBuild.Core.Settings;
using MlflowMsBuild.Core.Uris;

namespace MlflowMsBuild.Core.Resolution;

/// <param name="Directory">The folder that holds the model's files.</param>
/// <param name="Uri">The model URI resolved; null for a local path.</param>
/// <param name="Version">The exact version (an alias or <c>latest</c> resolved); null for a local path.</param>
/// <param name="Registry">The registry the files came from; null for a local path.</param>
/// <param name="Files">Every file with its size and sha256, as the cache recorded it; empty for a local path, which is not read
/// (a program that resolves its model folder at every start must not pay a hash of the model; <see cref="ModelFolderFiles"/> lists one).</param>
/// <param name="FromCache">True when the files came from the machine-wide cache without a download; false when a file had
/// to be downloaded, and for a local path (its files are read where they are, not from the cache).</param>
public sealed record ResolvedModel(
    string Directory,
    ModelUri? Uri,
    string? Version,
    RegistryDescriptor? Registry,
    IReadOnlyList<CacheManifestFile> Files,
    bool FromCache)
{
    /// <summary>What the resolution warned about (MLF3009: a damaged cached copy downloaded again; MLF3012 …), in order; empty for none.</summary>
    public IReadOnlyList<MlfWarning> Warnings { get; init; } = [];
}

/// <summary>
/// Turns what a user gave as a model (a <c>models:/</c> URI or a folder's path) into a local folder, for any program:
/// no MSBuild needed. A URI goes through the machine-wide cache exactly as an MSBuild restore does (same cache entries,
/// locks, size and hash checks, offline switch), so a model restored by a build is never downloaded again, and a
/// pinned version already cached is found without a single request.
/// </summary>
public sealed class ModelResolver(ModelResolverOptions? options = null)
{
    private readonly ModelResolverOptions options = options ?? new ModelResolverOptions();

    /// <param name="pathOrUri"><c>models:/NAME/VERSION</c>, <c>models:/NAME@ALIAS</c> (each optionally with <c>?registry=</c>), or a folder's path.</param>
    /// <param name="progress">Receives download progress, waits for other processes' locks and resumed transfers; from any thread.</param>
    public Task<ResolvedModel> ResolveAsync(string pathOrUri, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        var settings = options.ToSettings();
        var location = ModelLocation.Parse(pathOrUri, settings.BaseDirectory);
        return location.Uri is { } uri ? ResolveAsync(uri, settings, progress, cancellationToken) : Task.FromResult(LocalFolder(location.LocalPath!));
    }

    public Task<ResolvedModel> ResolveAsync(ModelUri uri, IProgress<string>? progress = null, CancellationToken cancellationToken = default) =>
        ResolveAsync(uri, options.ToSettings(), progress, cancellationToken);

    private async Task<ResolvedModel> ResolveAsync(ModelUri uri, MlflowSettings settings, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        uri = uri.RequireVersion();
        var reference = ModelReference.Create(uri.Name, uri.Version!);
        var cache = settings.OpenCache();
        using var registry = settings.OpenRegistry(uri.Registry);
        var warnings = new ConcurrentQueue<MlfWarning>();
        var restoreOptions = options.ToRestoreOptions(settings, progress);
        var report = restoreOptions.Warn;
        var restorer = new ModelRestorer(registry, cache, restoreOptions with
        {
            Warn = warning =>
            {
                warnings.Enqueue(warning);
                report?.Invoke(warning);
            },
        });
        if (!string.IsNullOrWhiteSpace(options.Destination))
        {
            var destination = settings.FullPath(options.Destination);
            var placed = await restorer.RestoreAsync(reference, destination, cancellationToken).ConfigureAwait(false);
            return new ResolvedModel(placed.Directory, uri, placed.Version, registry.Descriptor, placed.Files, placed.FromCache) { Warnings = [.. warnings] };
        }

        var staging = SharedModelFolders.NewStagingDirectory(cache);
        try
        {
            var restored = await restorer.RestoreAsync(reference, staging, cancellationToken).ConfigureAwait(false);
            var folder = await SharedModelFolders.InstallAsync(cache, registry.Descriptor, restored, options.Mutexes, cancellationToken).ConfigureAwait(false);
            return new ResolvedModel(folder, uri, restored.Version, registry.Descriptor, restored.Files, restored.FromCache) { Warnings = [.. warnings] };
        }
        finally
        {
            CacheFiles.DeleteDirectory(staging);
        }
    }

    /// <exception cref="MlflowException">MLF7004 (a file), MLF7003 (no such folder), MLF7095 (with a <see cref="ModelResolverOptions.Destination"/>).</exception>
    private ResolvedModel LocalFolder(string path)
    {
        if (File.Exists(path))
        {
            throw new MlflowException(MlfError.ModelPathNotADirectory, path, Path.GetDirectoryName(path));
        }

        if (!Directory.Exists(path))
        {
            throw new MlflowException(MlfError.ModelPathNotFound, path);
        }

        if (!string.IsNullOrWhiteSpace(options.Destination))
        {
            throw new MlflowException(MlfError.ModelPathDestination, path, options.Destination);
        }

        return new ResolvedModel(Path.TrimEndingDirectorySeparator(path), null, null, null, [], FromCache: false);
    }
}
