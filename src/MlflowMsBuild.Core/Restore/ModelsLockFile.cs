using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using MlflowMsBuild.Core.Cache;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Registry;
using MlflowMsBuild.Core.IO;

namespace MlflowMsBuild.Core.Restore;

/// <summary>
/// <c>models.lock.json</c> beside a project: for every model reference, the version as written, the exact version
/// it resolved to and every file with its size and sha256. Floating references (<c>@alias</c>, <c>latest</c>) keep
/// the locked version until the lock is updated; every restore checks the files against it.
/// </summary>
public sealed class ModelsLockFile
{
    public const string DefaultFileName = "models.lock.json";

    public int Version { get; set; } = 1;

    public List<LockedModel> Models { get; set; } = [];

    /// <summary>The lock file at <paramref name="path"/>, or null when there is none.</summary>
    public static ModelsLockFile? Read(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        ModelsLockFile document;
        try
        {
            document = AtomicFile.ReadJson(path, ModelsLockJson.Default.ModelsLockFile);
        }
        catch (JsonException e)
        {
            throw new MlflowException(MlfError.LockFileInvalid, e, path, e.Message);
        }

        if (document.Version != 1)
        {
            throw new MlflowException(MlfError.LockFileInvalid, path, $"its format version is {document.Version}; this MlflowMsBuild reads version 1");
        }

        if (document.Models.Any(m => m.Name.Length == 0 || m.Requested.Length == 0 || m.Resolved.Length == 0 || m.Files.Any(f => f.Sha256.Length != 64)))
        {
            throw new MlflowException(MlfError.LockFileInvalid, path, "an entry lacks its name, requested or resolved version, or a file's sha256");
        }

        return document;
    }

    public LockedModel? Find(string name, string requested) =>
        Models.FirstOrDefault(m => m.Name == name && m.Requested == requested.Trim());

    /// <summary>Locked mode: every reference has its entry and every entry its reference, or the lock would change.</summary>
    public static void ThrowIfOutOfDate(ModelsLockFile? lockFile, string path, IEnumerable<(string Name, string Version)> references)
    {
        if (lockFile is null)
        {
            throw new MlflowException(MlfError.LockFileOutOfDate, path, "it does not exist");
        }

        var wanted = references.Select(r => (r.Name, Version: r.Version.Trim())).ToList();
        foreach (var (name, version) in wanted.Where(r => lockFile.Find(r.Name, r.Version) is null))
        {
            throw new MlflowException(MlfError.LockFileOutOfDate, path, $"it has no entry for model '{name}' Version=\"{version}\"");
        }

        foreach (var extra in lockFile.Models.Where(m => !wanted.Contains((m.Name, m.Requested))))
        {
            throw new MlflowException(MlfError.LockFileOutOfDate, path, $"it lists model '{extra.Name}' Version=\"{extra.Requested}\", which the project no longer references");
        }
    }

    /// <summary>How <paramref name="actual"/> differs from <paramref name="locked"/> ("'a.bin' with 3 bytes, the lock file 4"), or null when it does not.</summary>
    public static string? Difference(IReadOnlyList<CacheManifestFile> locked, IReadOnlyList<CacheManifestFile> actual, bool compareHashes = true)
    {
        var expected = locked.ToDictionary(f => f.Path, StringComparer.Ordinal);
        foreach (var file in actual)
        {
            if (!expected.Remove(file.Path, out var lockedFile))
            {
                return $"'{file.Path}', which the lock file does not list";
            }

            if (lockedFile.Size != file.Size)
            {
                return $"'{file.Path}' with {file.Size} bytes, the lock file {lockedFile.Size}";
            }

            if (compareHashes && !string.Equals(lockedFile.Sha256, file.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                return $"'{file.Path}' with sha256 {file.Sha256}, the lock file {lockedFile.Sha256}";
            }
        }

        return expected.Count == 0 ? null : $"no '{expected.Keys.First()}', which the lock file lists";
    }

    /// <summary>Writes the file when its content changed (so incremental builds stay quiet); true when written.</summary>
    public bool WriteIfChanged(string path)
    {
        Models = Models.OrderBy(m => m.Name, StringComparer.Ordinal).ThenBy(m => m.Requested, StringComparer.Ordinal).ToList();
        foreach (var model in Models)
        {
            model.Files = model.Files.OrderBy(f => f.Path, StringComparer.Ordinal).ToList();
        }

        var text = JsonSerializer.Serialize(this, ModelsLockJson.Default.ModelsLockFile).ReplaceLineEndings("\n") + "\n";
        if (File.Exists(path) && File.ReadAllText(path, Encoding.UTF8) == text)
        {
            return false;
        }

        var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        File.WriteAllText(temp, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        File.Move(temp, path, overwrite: true);
        return true;
    }
}

public sealed class LockedModel
{
    public string Name { get; set; } = "";

    /// <summary>The version as the project writes it: "3", "@champion", "latest".</summary>
    public string Requested { get; set; } = "";

    /// <summary>The exact version it resolved to.</summary>
    public string Resolved { get; set; } = "";

    /// <summary>The registered version it resolved to, so a version replaced on the server is found; null in older lock files.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public VersionIdentity? Identity { get; set; }

    /// <summary>The folder of the version's stored files that holds the model ("model", or "" for all of them) where the
    /// registry keeps one (GitLab's package): with <see cref="VersionIdentity.InternalId"/>, what a GitLab CI job token
    /// needs to read the files; null elsewhere and in older lock files.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ArtifactPath { get; set; }

    public List<CacheManifestFile> Files { get; set; } = [];
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(ModelsLockFile))]
internal sealed partial class ModelsLockJson : JsonSerializerContext;
