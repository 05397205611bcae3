using System.Diagnostics;
using MlflowMsBuild.Core.Cache;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Registry;
using MlflowMsBuild.Core.Versions;

namespace MlflowMsBuild.Core.Restore;

/// <param name="Reference">The model and version spec, checked where they entered.</param>
/// <param name="Destination">The folder that receives exactly the version's files.</param>
public sealed record ModelRequest(ModelReference Reference, string Destination);

/// <param name="Version">The exact version as the registry names it.</param>
/// <param name="Directory">Where the files were placed.</param>
/// <param name="FromCache">True when no file had to be downloaded.</param>
/// <param name="Identity">The registered version the files came from; null for cache entries written before it was recorded.</param>
/// <param name="ArtifactPath">The folder of the version's stored files that holds the model, where the registry has one (GitLab); else null.</param>
public sealed record RestoredModel(string Name, string Version, string Directory, IReadOnlyList<CacheManifestFile> Files, bool FromCache, VersionIdentity? Identity = null, string? ArtifactPath = null);

public sealed record RestoreResult(IReadOnlyList<RestoredModel> Models, RestoreSummary Summary);

/// <summary>
/// Restores model versions: resolve (lock file, registry) → global cache (download once, checked) → each
/// project's own folder (hard links). A pinned version already in the cache is placed without asking the
/// registry anything; in offline mode nothing ever is asked.
/// </summary>
public sealed class ModelRestorer
{
    private readonly IModelRegistry registry;
    private readonly ModelCache cache;
    private readonly RestoreOptions options;

    public ModelRestorer(IModelRegistry registry, ModelCache cache, RestoreOptions? options = null)
    {
        this.registry = registry;
        this.cache = cache;
        this.options = options ?? new RestoreOptions();
    }

    /// <summary>Makes <paramref name="destination"/> hold exactly the files of the version, from the cache.</summary>
    /// <param name="version">The version as the user wrote it; the registry resolves it.</param>
    public Task<RestoredModel> RestoreAsync(string name, string version, string destination, CancellationToken cancellationToken = default) =>
        RestoreAsync(ModelReference.Create(name, version), destination, cancellationToken);

    /// <summary>Makes <paramref name="destination"/> hold exactly the files of the version, from the cache.</summary>
    public async Task<RestoredModel> RestoreAsync(ModelReference reference, string destination, CancellationToken cancellationToken = default) =>
        (await RestoreAllAsync([new ModelRequest(reference, destination)], null, cancellationToken).ConfigureAwait(false)).Models[0];

    /// <summary>
    /// Restores every request, models in parallel. Every model is attempted; the first failure (in request order)
    /// is thrown afterwards, carrying the others in <see cref="MlflowException.AlsoFailed"/>. With <paramref name="lockFilePath"/>, floating references come from that lock file,
    /// every version's files are checked against it, and it is rewritten when references changed (in locked
    /// mode that is an error instead).
    /// </summary>
    public async Task<RestoreResult> RestoreAllAsync(IReadOnlyList<ModelRequest> requests, string? lockFilePath, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();

        // Specs the registry refuses fail before anything is locked, read or written; a pin's exact version is known from here on.
        var slots = requests.Select(r => new Slot(r, r.Reference.IsLatest ? null : registry.NormalizeExactVersion(r.Reference.Name, r.Reference.VersionSpec))).ToList();
        var lockFile = lockFilePath is null ? null : ModelsLockFile.Read(lockFilePath);
        if (options.LockedMode)
        {
            ModelsLockFile.ThrowIfOutOfDate(lockFile, lockFilePath ?? ModelsLockFile.DefaultFileName, requests.Select(r => (r.Reference.Name, r.Reference.VersionSpec)));
        }

        var progress = new TransferProgress();
        using var downloads = new SemaphoreSlim(Math.Max(1, options.MaxParallelDownloads));
        using (await CacheMutex.AcquireSharedAsync(cache.CacheMutexPath, "restoring models", options.Mutexes, cancellationToken).ConfigureAwait(false))
        await using (progress.Report(options.ProgressInterval, options.Log))
        {
            await Parallel.ForEachAsync(slots,
                new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.MaxParallelModels), CancellationToken = cancellationToken },
                async (slot, token) =>
                {
                    var context = new InstallContext(options)
                    {
                        Progress = progress,
                        Downloads = downloads,
                        LockFilePath = lockFilePath,
                    };
                    try
                    {
                        slot.Outcome = await RestoreOneAsync(slot.Request, slot.Exact, lockFile?.Find(slot.Request.Reference.Name, slot.Request.Reference.VersionSpec), context, token).ConfigureAwait(false);
                    }
                    catch (MlflowException e)
                    {
                        slot.Error = e;
                    }
                }).ConfigureAwait(false);
        }

        var failed = slots.Where(s => s.Error is not null).Select(s => s.Error!).ToList();
        if (failed.Count > 0)
        {
            failed[0].AlsoFailed = failed.Skip(1).ToList();
            throw failed[0];
        }

        var models = slots.Select(s => s.Outcome!.Model).ToList();
        if (lockFilePath is not null && !options.LockedMode)
        {
            UpdateLockFile(lockFilePath, requests, models);
        }

        var summary = new RestoreSummary(models.Count, models.Sum(m => m.Files.Sum(f => f.Size)),
            models.Count(m => m.FromCache), models.Count(m => !m.FromCache), slots.Sum(s => s.Outcome!.Received), clock.Elapsed);
        return new RestoreResult(models, summary);
    }

    /// <param name="exact">The registry's exact version of a pin; null when the reference floats.</param>
    private async Task<Outcome> RestoreOneAsync(ModelRequest request, string? exact, LockedModel? locked, InstallContext context, CancellationToken cancellationToken)
    {
        var (name, spec, latest) = (request.Reference.Name, request.Reference.VersionSpec, request.Reference.IsLatest);
        ModelVersionInfo? info = null;
        if (exact is null)
        {
            if (locked is not null && (!options.UpdateLockFile || options.LockedMode))
            {
                // The lock file is data from disk: its version becomes a folder name only once checked.
                exact = locked.Resolved;
                CachePaths.ThrowIfUnsafeSegment(name, spec, exact);
            }
            else if (options.Offline)
            {
                throw new MlflowException(MlfError.OfflineNotCached, registry.Descriptor.DisplayName,
                    $"the floating reference '{name}' Version=\"{spec}\" is not recorded in {(context.LockFilePath is null ? "a lock file" : $"'{context.LockFilePath}'")}", cache.Root);
            }
            else
            {
                await ThrowIfFilesOnlyAsync(name, spec, locked is null ? NoRecord(context) : "its entry is to be resolved again (MlflowUpdateLockFile)", cancellationToken).ConfigureAwait(false);
                info = FromRegistry(latest ? await LatestAsync(name, cancellationToken).ConfigureAwait(false) : await registry.GetModelVersionAsync(name, spec, cancellationToken).ConfigureAwait(false), spec);
                exact = info.Version;
            }
        }

        else if (locked is not null && locked.Resolved != exact && options.LockedMode)
        {
            throw new MlflowException(MlfError.LockFileOutOfDate, context.LockFilePath, $"it resolves model '{name}' Version=\"{spec}\" to {locked.Resolved}, not {exact}");
        }

        if (info is null && options.Refresh && !options.Offline)
        {
            info = FromRegistry(await registry.GetModelVersionAsync(name, request.Reference.IsFloating ? exact : spec, cancellationToken).ConfigureAwait(false), spec);
        }

        var lookup = cache.Lookup(registry.Descriptor.Key, name, exact);
        if (lookup.Damage is not null)
        {
            if (options.Offline)
            {
                throw new MlflowException(MlfError.CachedCopyChangedOffline, name, exact, lookup.Damage);
            }

            options.Warn?.Invoke(MlfWarning.Create(MlfError.CachedCopyChanged, name, exact, lookup.Damage));
        }

        var manifest = lookup.IsIntact ? lookup.Manifest : null;
        if (info is not null && manifest is not null && !IsSameVersion(name, exact, "the cache", manifest.Identity, info))
        {
            CacheFiles.DeleteFile(lookup.ManifestPath);
            manifest = null;
        }

        var fromCache = manifest is not null;
        bool? lockReplaced = null;
        long received = 0;
        if (manifest is null)
        {
            if (options.Offline)
            {
                throw new MlflowException(MlfError.OfflineNotCached, registry.Descriptor.DisplayName, $"model '{name}' version {exact} is not in the cache", cache.Root);
            }

            info ??= await RecordedVersionAsync(name, spec, exact, locked, context, cancellationToken).ConfigureAwait(false);

            // A pin is resolved as written, so that the registry's errors name what the project says ("4", not "4.0.0").
            info ??= FromRegistry(await registry.GetModelVersionAsync(name, request.Reference.IsFloating ? exact : spec, cancellationToken).ConfigureAwait(false), spec);
            lockReplaced ??= LockFileNamesAnotherVersion(name, locked, info, context);
            var lockedFiles = locked is not null && locked.Resolved == info.Version && lockReplaced != true ? locked.Files : null;
            var installed = await cache.InstallAsync(registry, info, new InstallContext(options)
            {
                Progress = context.Progress,
                Downloads = context.Downloads,
                LockFilePath = context.LockFilePath,
                LockedFiles = lockedFiles,
            }, cancellationToken).ConfigureAwait(false);
            (manifest, received, fromCache) = (installed.Manifest, installed.Received, !installed.Downloaded);
        }

        lockReplaced ??= info is not null && LockFileNamesAnotherVersion(name, locked, info, context);
        if (locked is not null && locked.Resolved == manifest.Version && lockReplaced != true && ModelsLockFile.Difference(locked.Files, manifest.Files) is { } difference)
        {
            throw new MlflowException(MlfError.LockFileMismatch, name, manifest.Version, context.LockFilePath, "the cache holds " + difference);
        }

        var destination = Path.GetFullPath(request.Destination);
        await ModelPlacement.PlaceAsync(manifest, cache, destination, options.Mutexes, cancellationToken).ConfigureAwait(false);
        ModelCache.MarkUsed(cache.ManifestPath(registry.Descriptor, name, manifest.Version));
        var artifactPath = manifest.ArtifactPath ?? (locked is not null && locked.Resolved == manifest.Version && lockReplaced != true ? locked.ArtifactPath : null);
        return new Outcome(new RestoredModel(name, manifest.Version, destination, manifest.Files, fromCache, manifest.Identity, artifactPath), received);
    }

    /// <summary>
    /// Where the registry's credentials read files only (a GitLab CI job token), the version as the lock file records it;
    /// null when the registry can be asked. MLF5030 when the lock file cannot stand in for the registry.
    /// </summary>
    private async Task<ModelVersionInfo?> RecordedVersionAsync(string name, string spec, string exact, LockedModel? locked, InstallContext context, CancellationToken cancellationToken)
    {
        if (!await registry.ReadsFilesOnlyAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        if (locked is null || locked.Resolved != exact)
        {
            throw new MlflowException(MlfError.GitLabJobTokenNeedsLockFile, name, spec, locked is null ? NoRecord(context) : $"its entry in '{context.LockFilePath}' names version {locked.Resolved}");
        }

        var files = locked.Files.Select(f => new ModelFileInfo(f.Path, f.Size, f.Sha256.ToLowerInvariant())).ToList();
        return registry.RecordedVersion(name, exact, locked.Identity, locked.ArtifactPath, files)
            ?? throw new MlflowException(MlfError.GitLabJobTokenNeedsLockFile, name, spec,
                $"its entry in '{context.LockFilePath}' lacks the version's GitLab id or the model's folder in its package (written by an older MlflowMsBuild)");
    }

    private async Task ThrowIfFilesOnlyAsync(string name, string spec, string reason, CancellationToken cancellationToken)
    {
        if (await registry.ReadsFilesOnlyAsync(cancellationToken).ConfigureAwait(false))
        {
            throw new MlflowException(MlfError.GitLabJobTokenNeedsLockFile, name, spec, reason);
        }
    }

    private static string NoRecord(InstallContext context) =>
        context.LockFilePath is not { } path || !File.Exists(path)
            ? "there is no models.lock.json beside the project"
            : $"'{path}' has no entry for it";

    private bool LockFileNamesAnotherVersion(string name, LockedModel? locked, ModelVersionInfo info, InstallContext context) =>
        locked is not null && locked.Resolved == info.Version
        && !IsSameVersion(name, info.Version, $"'{context.LockFilePath ?? ModelsLockFile.DefaultFileName}'", locked.Identity, info);

    /// <summary>
    /// False when <paramref name="recorded"/> (the cache's or the lock file's) names another registered version than
    /// the registry now has under the same number, and the restore accepts it (<see cref="RestoreOptions.UpdateLockFile"/>);
    /// a coded error when it does not. True when they match or nothing was recorded.
    /// </summary>
    private bool IsSameVersion(string name, string version, string where, VersionIdentity? recorded, ModelVersionInfo current)
    {
        var now = VersionIdentity.Of(current);
        if (recorded is null || recorded == now)
        {
            return true;
        }

        if (!options.UpdateLockFile || options.LockedMode)
        {
            throw new MlflowException(MlfError.VersionReplaced, name, version, registry.Descriptor.DisplayName, where, recorded, now);
        }

        options.Warn?.Invoke(MlfWarning.Create(MlfError.VersionReplacedAccepted, name, version, registry.Descriptor.DisplayName, recorded, now));
        return false;
    }

    /// <summary>A version the registry answered: its name becomes a folder in the cache, so it is checked where it arrives.</summary>
    private static ModelVersionInfo FromRegistry(ModelVersionInfo info, string spec)
    {
        CachePaths.ThrowIfUnsafeSegment(info.Name, spec, info.Version);
        return info;
    }

    /// <summary>The highest release (else pre-release) whose status is READY and that the registry calls complete.</summary>
    private async Task<ModelVersionInfo> LatestAsync(string name, CancellationToken cancellationToken)
    {
        var versions = await registry.ListModelVersionsAsync(name, cancellationToken).ConfigureAwait(false);
        var candidates = VersionOrder.LatestFirst(versions.Where(v => v.Status is "" or "READY").Select(v => v.Version));
        foreach (var candidate in candidates.Take(5))
        {
            try
            {
                return await registry.GetModelVersionAsync(name, candidate, cancellationToken).ConfigureAwait(false);
            }
            catch (MlflowException e) when (e.Error is MlfError.VersionNotReady or MlfError.VersionIncomplete)
            {
                // An unfinished or failed publication: the next lower version is the latest usable one.
            }
        }

        throw new MlflowException(MlfError.UnknownVersion, name, "latest", registry.Descriptor.DisplayName,
            versions.Count == 0 ? "none" : string.Join(", ", versions.Select(v => v.Version).Order(VersionOrder.Instance)) + " (none READY)");
    }

    private static void UpdateLockFile(string path, IReadOnlyList<ModelRequest> requests, IReadOnlyList<RestoredModel> models)
    {
        var document = new ModelsLockFile();
        for (var i = 0; i < requests.Count; i++)
        {
            var reference = requests[i].Reference;
            if (document.Find(reference.Name, reference.VersionSpec) is null)
            {
                document.Models.Add(new LockedModel
                {
                    Name = reference.Name,
                    Requested = reference.VersionSpec,
                    Resolved = models[i].Version,
                    Identity = models[i].Identity,
                    ArtifactPath = models[i].ArtifactPath,
                    Files = models[i].Files.Select(f => new CacheManifestFile { Path = f.Path, Size = f.Size, Sha256 = f.Sha256 }).ToList(),
                });
            }
        }

        document.WriteIfChanged(path);
    }

    /// <summary>
    /// One request of a restore and what became of it. Classes, not tuples, here and in <see cref="Outcome"/>: generic
    /// code over value types is JIT-compiled in every build process, over classes it is shared and precompiled (issue 10).
    /// </summary>
    private sealed class Slot(ModelRequest request, string? exact)
    {
        public ModelRequest Request { get; } = request;

        /// <summary>The registry's exact version of a pin; null when the reference floats.</summary>
        public string? Exact { get; } = exact;

        public Outcome? Outcome { get; set; }

        public MlflowException? Error { get; set; }
    }

    /// <param name="Received">Bytes received over the network for this model.</param>
    private sealed record Outcome(RestoredModel Model, long Received);
}
