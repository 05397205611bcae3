using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.IO;
using MlflowMsBuild.Core.Naming;
using MlflowMsBuild.Core.Registry;
using MlflowMsBuild.Core.Restore;
using MlflowMsBuild.Core.Versions;

namespace MlflowMsBuild.Core.Cache;

/// <summary>
/// The machine-wide copy of every restored model version, so nothing is downloaded twice:
/// <code>
/// blobs/sha256/&lt;2&gt;/&lt;sha256&gt;                       file contents, by hash, read-only
/// manifests/&lt;registry key&gt;/&lt;name&gt;/&lt;version&gt;.json   every file of a version (path, size, sha256), written last
/// mutexes/                                         cross-process mutexes (file locks) and their owner records
/// tmp/&lt;key&gt;.partial                               downloads in progress (resumed by the next restore)
/// </code>
/// Install protocol, under the entry's lock: download each file to its temporary file while hashing it, check the
/// size (the registry's listing) and the hash (the lock file's, else the registry's), move it into <c>blobs/</c>,
/// then write the manifest. A reader trusts a version only once its manifest exists.
/// </summary>
public sealed class ModelCache
{
    private const string ManifestsFolder = "manifests";

    public ModelCache(string root)
    {
        Root = Path.GetFullPath(root);
    }

    public string Root { get; }

    public string BlobsDirectory => Path.Combine(Root, "blobs", "sha256");

    public string ManifestsDirectory => Path.Combine(Root, ManifestsFolder);

    public string TempDirectory => Path.Combine(Root, "tmp");

    /// <summary>Held shared by restores and exclusively by a prune or repair, which delete from the cache.</summary>
    internal string CacheMutexPath => Path.Combine(Root, "mutexes", "cache.mutex");

    public string BlobPath(string sha256) => Path.Combine(BlobsDirectory, sha256[..2], sha256);

    public string ManifestPath(RegistryDescriptor registry, string name, string version) => ManifestPath(registry.Key, name, version);

    /// <summary>The manifest of a version: <c>manifests/&lt;registry&gt;/&lt;model folder&gt;/&lt;version&gt;.json</c> (<see cref="ModelFolderName"/>).</summary>
    public string ManifestPath(string registryKey, string name, string version) => ManifestPathInFolder(registryKey, ModelFolderName.Of(name), version);

    /// <summary>As <see cref="ManifestPath(string, string, string)"/> for a model folder already mapped from its name.</summary>
    internal string ManifestPathInFolder(string registryKey, string modelFolder, string version) => Path.Combine(ManifestsDirectory, registryKey, modelFolder, version + ".json");

    /// <summary>One placement at a time into a folder, across processes: keyed by the folder's full path.</summary>
    internal string PlacementMutexPath(string destination) =>
        Path.Combine(Root, "mutexes", "placements", Sha256Hex.Short(Path.GetFullPath(destination), 24) + ".mutex");

    /// <summary>
    /// One install of a version at a time, across processes. Keyed by registry, model folder and version, in one
    /// folder: a folder per model cost a directory creation per model in a cold restore (issue 10).
    /// </summary>
    internal string EntryMutexPath(string registryKey, string name, string version) =>
        Path.Combine(Root, "mutexes", "entries", Sha256Hex.Short(EntryKey(registryKey, name, version), 24) + ".mutex");

    /// <summary>
    /// The partial download of one file of a version: kept when a transfer broke off (the next restore resumes it),
    /// deleted when the registry served wrong data. All in <c>tmp/</c> itself, named by registry, model folder,
    /// version and path: no folder is created per model or version (issue 10).
    /// </summary>
    internal string PartialPath(string registryKey, string name, string version, string filePath) =>
        Path.Combine(TempDirectory, Sha256Hex.Short(EntryKey(registryKey, name, version) + "/" + filePath, 32) + ".partial");

    private static string EntryKey(string registryKey, string name, string version) => registryKey + "/" + ModelFolderName.Of(name) + "/" + version;

    /// <summary>
    /// The complete, intact entry, or null when there is none. An entry whose manifest is unreadable, whose blobs are
    /// missing, or whose blobs were changed after install is reported (MLF3002), never used. Costs one small read
    /// and one stat per file; a blob whose modification time moved is hashed again (<see cref="CacheEntryCheck"/>).
    /// </summary>
    public CacheManifest? TryGet(RegistryDescriptor registry, string name, string version)
    {
        var lookup = Lookup(registry.Key, name, version);
        return lookup.Damage is null ? lookup.Manifest : throw new MlflowException(MlfError.CacheEntryCorrupt, name, version, lookup.Damage, lookup.ManifestPath);
    }

    /// <summary>The entry of a version as it is, damage included: see <see cref="CacheEntryCheck"/>.</summary>
    internal CacheLookup Lookup(string registryKey, string name, string version) =>
        CacheEntryCheck.Run(this, ManifestPath(registryKey, name, version), name, version);

    /// <summary>
    /// Downloads every file of <paramref name="version"/>, checks sizes and hashes, and installs the entry. MLF1003 when
    /// the version cannot name a folder.
    /// </summary>
    public async Task<CacheManifest> InstallAsync(IModelRegistry registry, ModelVersionInfo version, CancellationToken cancellationToken)
    {
        CachePaths.ThrowIfUnsafeSegment(version.Name, version.Version, version.Version);
        return (await InstallAsync(registry, version, new InstallContext(new RestoreOptions()), cancellationToken).ConfigureAwait(false)).Manifest;
    }

    /// <param name="version">As the registry answered, its version already checked by the caller (<see cref="CachePaths.IsSafeSegment"/>).</param>
    internal async Task<InstallResult> InstallAsync(IModelRegistry registry, ModelVersionInfo version, InstallContext context, CancellationToken cancellationToken)
    {
        var key = registry.Descriptor.Key;
        var manifestPath = ManifestPath(key, version.Name, version.Version);
        using var entryLock = await CacheMutex.AcquireAsync(EntryMutexPath(key, version.Name, version.Version),
            $"restoring model '{version.Name}' version {version.Version}", context.Options.Mutexes, cancellationToken).ConfigureAwait(false);
        var existing = Lookup(key, version.Name, version.Version);
        if (existing.IsIntact)
        {
            // Another process installed it while we waited for the lock.
            return new InstallResult(existing.Manifest!, 0, false);
        }

        if (existing.Damage is not null)
        {
            // Links to a damaged blob elsewhere keep their (damaged) bytes; the blob's name gets the right ones again.
            DeleteManifest(manifestPath);
            foreach (var blob in existing.DamagedBlobs)
            {
                CacheFiles.DeleteFile(blob);
            }
        }

        var files = await registry.ListFilesAsync(version, cancellationToken).ConfigureAwait(false);
        if (files.Count == 0)
        {
            // A listing of a missing or emptied folder is just empty: never cache (and "restore") an empty model.
            throw new MlflowException(MlfError.ModelVersionWithoutFiles, version.Name, version.Version, registry.Descriptor.DisplayName, version.Source);
        }

        CachePaths.ThrowIfUnsafe(files, registry.Descriptor, version, manifestPath);
        var locked = context.LockedFiles?.ToDictionary(f => f.Path, StringComparer.Ordinal);
        if (locked is not null && ModelsLockFile.Difference(locked.Values.ToList(), files.Select(f => new CacheManifestFile { Path = f.Path, Size = f.Size }).ToList(), compareHashes: false) is { } difference)
        {
            throw new MlflowException(MlfError.LockFileMismatch, version.Name, version.Version, context.LockFilePath, "the registry lists " + difference);
        }

        var results = new CacheManifestFile[files.Count];
        long received = 0;
        try
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, files.Count),
                new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, context.Options.MaxParallelDownloads), CancellationToken = cancellationToken },
                async (index, token) =>
                {
                    var file = files[index];
                    var lockedFile = locked?.GetValueOrDefault(file.Path);
                    var expected = (lockedFile?.Sha256 ?? file.Sha256)?.ToLowerInvariant();
                    if (expected is not null && CacheEntryCheck.HoldsContent(BlobPath(expected), expected, file.Size))
                    {
                        results[index] = new CacheManifestFile { Path = file.Path, Size = file.Size, Sha256 = expected, BlobModified = BlobModified(expected) };
                        return;
                    }

                    await context.Downloads.WaitAsync(token).ConfigureAwait(false);
                    try
                    {
                        var partial = PartialPath(key, version.Name, version.Version, file.Path);
                        var (sha256, got) = await new FileDownload(registry, version, file, partial, context.Options, context.Progress).RunAsync(token).ConfigureAwait(false);
                        Interlocked.Add(ref received, got);
                        var checkedFile = Check(partial, sha256, file, lockedFile, version, manifestPath, context.LockFilePath);
                        InstallBlob(partial, sha256);
                        checkedFile.BlobModified = BlobModified(sha256);
                        results[index] = checkedFile;
                    }
                    finally
                    {
                        context.Downloads.Release();
                    }
                }).ConfigureAwait(false);
        }
        catch (MlflowException e) when (e.Error is MlfError.DownloadSizeMismatch or MlfError.LockFileMismatch or MlfError.CacheEntryCorrupt)
        {
            // The registry served something other than it listed: no partial download of this version is worth
            // resuming. Parallel.ForEachAsync has awaited every sibling, so nothing writes here any more. A registry
            // that could not be reached or failed (MLF6xxx) keeps them: the next restore resumes where they stopped.
            foreach (var file in files)
            {
                CacheFiles.DeleteFile(PartialPath(key, version.Name, version.Version, file.Path));
            }

            throw;
        }

        var manifest = new CacheManifest
        {
            Registry = key,
            Name = version.Name,
            Version = version.Version,
            RunId = version.RunId,
            CreatedTimestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            Identity = VersionIdentity.Of(version),
            ArtifactPath = registry.ModelArtifactPath(version),
            Files = results.ToList(),
        };
        AtomicFile.WriteJson(manifestPath, manifest, CacheJson.Default.CacheManifest, flushToDisk: false);
        return new InstallResult(manifest, received, true);
    }

    /// <summary>Records that a version was used now (its manifest's modification time), for prune by age; at most hourly.</summary>
    internal static void MarkUsed(string manifestPath)
    {
        try
        {
            if (DateTime.UtcNow - File.GetLastWriteTimeUtc(manifestPath) > TimeSpan.FromHours(1))
            {
                File.SetLastWriteTimeUtc(manifestPath, DateTime.UtcNow);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A read-only cache (a shared CI volume) restores fine; it only cannot be pruned by age.
        }
    }

    internal CacheManifest? ReadManifest(string path, string name, string version)
    {
        if (!File.Exists(path))
        {
            // Asked only here, not on every warm restore.
            return Directory.Exists(path) ? throw new MlflowException(MlfError.CacheEntryCorrupt, name, version, "its manifest is a folder", path) : null;
        }

        try
        {
            var manifest = CacheManifestReader.Read(AtomicFile.ReadAllJson(path));
            if (manifest.Files.Any(f => f.Sha256.Length != 64 || !f.Sha256.All(Uri.IsHexDigit)))
            {
                throw new System.Text.Json.JsonException("a file without a sha256");
            }

            if (manifest.Files.Count == 0)
            {
                // Installs never write one (MLF2006): an empty list is an edited or damaged manifest, not an empty model.
                throw new System.Text.Json.JsonException("no files");
            }

            // Installs refuse such paths (CachePaths.ThrowIfUnsafe); in a manifest they were edited in, and placing them
            // would fail (MLF9001) on every build.
            var paths = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            if (manifest.Files.Any(f => RelativePathRules.Problem(f.Path) is not null || !paths.Add(f.Path) || f.Size < 0))
            {
                throw new System.Text.Json.JsonException("a file path that cannot be placed, listed twice, or a negative size");
            }

            return manifest;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or IOException or UnauthorizedAccessException)
        {
            // No read permission or a link to nothing are as damaged as a cut-short file, and as repairable (the folder is ours).
            throw new MlflowException(MlfError.CacheEntryCorrupt, e, name, version, "its manifest is not readable", path);
        }
    }

    /// <summary>Deletes a version's manifest, also when something else (a folder) took its name; a missing one is fine.</summary>
    internal static void DeleteManifest(string path)
    {
        if (Directory.Exists(path))
        {
            CacheFiles.DeleteDirectory(path);
        }
        else
        {
            CacheFiles.DeleteFile(path);
        }
    }

    private long BlobModified(string sha256) => File.GetLastWriteTimeUtc(BlobPath(sha256)).Ticks;

    /// <summary>Moves a checked download into <c>blobs/</c>, read-only, replacing a damaged copy of the same blob.</summary>
    private void InstallBlob(string partial, string sha256)
    {
        var blob = BlobPath(sha256);
        Directory.CreateDirectory(Path.GetDirectoryName(blob)!);
        CacheFiles.MakeReadOnly(partial);
        if (OperatingSystem.IsWindows() && File.Exists(blob))
        {
            File.SetAttributes(blob, FileAttributes.Normal);
        }

        File.Move(partial, blob, overwrite: true);
    }

    private static CacheManifestFile Check(string partial, string sha256, ModelFileInfo file, CacheManifestFile? locked, ModelVersionInfo version, string manifestPath, string? lockFilePath)
    {
        var size = new FileInfo(partial).Length;
        if (file.Size >= 0 && size != file.Size)
        {
            File.Delete(partial);
            throw new MlflowException(MlfError.DownloadSizeMismatch, file.Path, version.Name, version.Version, size, file.Size);
        }

        if (locked is not null && !string.Equals(locked.Sha256, sha256, StringComparison.OrdinalIgnoreCase))
        {
            File.Delete(partial);
            throw new MlflowException(MlfError.LockFileMismatch, version.Name, version.Version, lockFilePath,
                $"the registry's '{file.Path}' has sha256 {sha256}, the lock file records {locked.Sha256}");
        }

        if (file.Sha256 is not null && !string.Equals(file.Sha256, sha256, StringComparison.OrdinalIgnoreCase))
        {
            File.Delete(partial);
            throw new MlflowException(MlfError.CacheEntryCorrupt, version.Name, version.Version,
                $"'{file.Path}' has sha256 {sha256} but the registry recorded {file.Sha256}", manifestPath);
        }

        return new CacheManifestFile { Path = file.Path, Size = size, Sha256 = sha256 };
    }
}

/// <summary>What one restore shares between its installs.</summary>
internal sealed class InstallContext(RestoreOptions options)
{
    public RestoreOptions Options { get; } = options;

    public TransferProgress Progress { get; init; } = new();

    /// <summary>Bounds the files in transfer across every model of the restore.</summary>
    public SemaphoreSlim Downloads { get; init; } = new(Math.Max(1, options.MaxParallelDownloads));

    /// <summary>The files the lock file records for this version, when it records them.</summary>
    public IReadOnlyList<CacheManifestFile>? LockedFiles { get; init; }

    public string? LockFilePath { get; init; }
}

/// <param name="Received">Bytes that came over the network.</param>
/// <param name="Downloaded">False when another process installed the entry while this one waited.</param>
internal sealed record InstallResult(CacheManifest Manifest, long Received, bool Downloaded);
