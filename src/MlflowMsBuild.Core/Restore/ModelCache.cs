using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.IO;
using MlflowMsBuild.Core.Registry;

namespace MlflowMsBuild.Core.Restore;

/// <summary>
/// The machine-wide copy of every restored model version, so nothing is downloaded twice:
/// <c>&lt;cache&gt;/&lt;registry key&gt;/&lt;name&gt;/&lt;version&gt;/{manifest.json, files/...}</c>.
/// An entry is assembled in a private temporary folder and moved into place whole; the manifest
/// inside it is written last, so a reader sees a complete entry or none.
/// </summary>
public sealed class ModelCache
{
    private const string ManifestFileName = "manifest.json";

    public ModelCache(string root)
    {
        Root = Path.GetFullPath(root);
    }

    public string Root { get; }

    public string EntryDirectory(RegistryDescriptor registry, string name, string version) =>
        Path.Combine(Root, registry.Key, name, version);

    public static string FilesDirectory(string entryDirectory) => Path.Combine(entryDirectory, "files");

    /// <summary>
    /// The complete entry, or null when there is none. An entry whose manifest is unreadable or whose files
    /// are missing or of the wrong size is reported (MLF3002), never used and never silently replaced.
    /// </summary>
    public CacheManifest? TryGet(RegistryDescriptor registry, string name, string version)
    {
        var entry = EntryDirectory(registry, name, version);
        var path = Path.Combine(entry, ManifestFileName);
        if (!File.Exists(path))
        {
            return null;
        }

        CacheManifest manifest;
        try
        {
            manifest = AtomicFile.ReadJson(path, CacheJson.Default.CacheManifest);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new MlflowException(MlfError.CacheEntryCorrupt, e, name, version, "its manifest is not readable", entry);
        }

        foreach (var file in manifest.Files)
        {
            var cached = new FileInfo(Path.Combine(FilesDirectory(entry), file.Path));
            if (!cached.Exists || cached.Length != file.Size)
            {
                throw new MlflowException(MlfError.CacheEntryCorrupt, name, version,
                    cached.Exists ? $"'{file.Path}' has {cached.Length} bytes instead of {file.Size}" : $"'{file.Path}' is missing", entry);
            }
        }

        return manifest;
    }

    /// <summary>Downloads every file of <paramref name="version"/>, checks sizes and hashes, and installs the entry.</summary>
    public async Task<CacheManifest> InstallAsync(IModelRegistry registry, ModelVersionInfo version, CancellationToken cancellationToken)
    {
        var entry = EntryDirectory(registry.Descriptor, version.Name, version.Version);
        var staging = Path.Combine(Path.GetDirectoryName(entry)!, ".staging-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(staging);
        try
        {
            var manifest = new CacheManifest
            {
                Registry = registry.Descriptor.Key,
                Name = version.Name,
                Version = version.Version,
                RunId = version.RunId,
                CreatedTimestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            };
            foreach (var file in await registry.ListFilesAsync(version, cancellationToken).ConfigureAwait(false))
            {
                manifest.Files.Add(await DownloadAsync(registry, version, file, FilesDirectory(staging), cancellationToken).ConfigureAwait(false));
            }

            AtomicFile.WriteJson(Path.Combine(staging, ManifestFileName), manifest, CacheJson.Default.CacheManifest);
            try
            {
                Directory.Move(staging, entry);
            }
            catch (IOException) when (File.Exists(Path.Combine(entry, ManifestFileName)))
            {
                // Another process installed the same entry first; its copy is as good as ours.
                Directory.Delete(staging, recursive: true);
            }

            return TryGet(registry.Descriptor, version.Name, version.Version)!;
        }
        catch
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }

            throw;
        }
    }

    private static async Task<CacheManifestFile> DownloadAsync(
        IModelRegistry registry, ModelVersionInfo version, ModelFileInfo file, string filesDirectory, CancellationToken cancellationToken)
    {
        var destination = Path.GetFullPath(Path.Combine(filesDirectory, file.Path));
        if (!destination.StartsWith(filesDirectory + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new MlflowException(MlfError.CacheEntryCorrupt, version.Name, version.Version,
                $"the registry lists a file path '{file.Path}' that leaves the model folder", filesDirectory);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        (long Size, string Sha256) copied;
        await using (var source = await registry.OpenFileAsync(version, file, cancellationToken).ConfigureAwait(false))
        await using (var target = new FileStream(destination, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1, FileOptions.Asynchronous))
        {
            copied = await HashingCopy.CopyAsync(source, target, cancellationToken).ConfigureAwait(false);
        }

        if (copied.Size != file.Size)
        {
            throw new MlflowException(MlfError.DownloadSizeMismatch, file.Path, version.Name, version.Version, copied.Size, file.Size);
        }

        if (file.Sha256 is not null && !string.Equals(file.Sha256, copied.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new MlflowException(MlfError.CacheEntryCorrupt, version.Name, version.Version,
                $"'{file.Path}' has sha256 {copied.Sha256} but the registry recorded {file.Sha256}", filesDirectory);
        }

        return new CacheManifestFile { Path = file.Path, Size = copied.Size, Sha256 = copied.Sha256 };
    }
}
