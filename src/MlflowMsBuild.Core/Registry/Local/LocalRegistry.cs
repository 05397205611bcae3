using System.Globalization;
using System.Text.Json;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.IO;
using MlflowMsBuild.Core.Naming;
using MlflowMsBuild.Core.Versions;

namespace MlflowMsBuild.Core.Registry.Local;

/// <summary>
/// The embedded registry: a folder of plain JSON documents and files that stores what MLflow stores.
/// <code>
/// models/&lt;name&gt;/registered-model.json
/// models/&lt;name&gt;/versions/&lt;N&gt;.json         written last, atomically: a version exists once this file does
/// runs/&lt;run_id&gt;/run.json
/// runs/&lt;run_id&gt;/artifacts/model/...        the model files
/// </code>
/// Version numbers are claimed with an exclusive create, so concurrent publishers get distinct versions.
/// </summary>
public sealed class LocalRegistry : IModelRegistry
{
    public LocalRegistry(string root)
    {
        Root = Path.GetFullPath(root);
        Descriptor = new RegistryDescriptor("local", "local-" + Sha256Hex.Short(Root), $"embedded registry '{Root}'") { Address = Root };
    }

    public string Root { get; }

    public RegistryDescriptor Descriptor { get; }

    /// <inheritdoc/>
    /// <remarks>Run, data and files first; the version document is written last (<see cref="LocalPublication"/>).</remarks>
    public bool RegistersVersionLast => true;

    internal string ModelDirectory(string name) => Path.Combine(Root, "models", ModelFolderName.Of(name));

    internal string VersionsDirectory(string name) => Path.Combine(ModelDirectory(name), "versions");

    internal string RunDirectory(string runId) => Path.Combine(Root, "runs", runId);

    public string? NormalizeExactVersion(string name, string version)
    {
        return WholeNumberVersion.Normalize(version)
            ?? throw new MlflowException(MlfError.VersionSpecInvalid, name, version, Descriptor.DisplayName,
                "its versions are whole numbers: 1, 2, 3 and so on");
    }

    public void CheckPublication(string modelName, string? requestedVersion)
    {
        ModelNameRules.ThrowIfInvalid(modelName);
        if (requestedVersion is not null)
        {
            throw new MlflowException(MlfError.RequestedVersionNotSupported, requestedVersion, Descriptor.DisplayName);
        }
    }

    public Task<ModelVersionInfo> GetModelVersionAsync(string name, string version, CancellationToken cancellationToken)
    {
        ModelNameRules.ThrowIfInvalid(name);
        var exact = NormalizeExactVersion(name, version);
        var existing = ReadVersions(name);
        var match = existing.FirstOrDefault(v => v.Version == exact)
            ?? throw new MlflowException(MlfError.UnknownVersion, name, version, Descriptor.DisplayName,
                existing.Count == 0 ? "none" : string.Join(", ", existing.Select(v => v.Version)));
        return Task.FromResult(IncompleteVersions.ThrowIfIncomplete(ToInfo(match), Descriptor));
    }

    public Task<IReadOnlyList<ModelVersionInfo>> ListModelVersionsAsync(string name, CancellationToken cancellationToken)
    {
        ModelNameRules.ThrowIfInvalid(name);
        IReadOnlyList<ModelVersionInfo> versions = ReadVersions(name).Select(ToInfo).ToList();
        return Task.FromResult(versions);
    }

    public Task<RunData> GetRunDataAsync(ModelVersionInfo version, CancellationToken cancellationToken)
    {
        ThrowIfRunIdNotAFolder(version);
        var path = Path.Combine(RunDirectory(version.RunId), "run.json");
        if (version.RunId.Length == 0 || !File.Exists(path))
        {
            return Task.FromResult(new RunData(new Dictionary<string, string>(), [], new Dictionary<string, string>()));
        }

        RunDocument run;
        try
        {
            run = AtomicFile.ReadJson(path, LocalRegistryJson.Default.RunDocument);
        }
        catch (JsonException e)
        {
            throw new MlflowException(MlfError.RegistryEntryCorrupt, e, Descriptor.DisplayName, path, e.Message);
        }

        return Task.FromResult(new RunData(
            run.Params,
            run.Metrics.Select(m => new Metric(m.Key, m.Value, DateTimeOffset.FromUnixTimeMilliseconds(m.Timestamp), m.Step)).ToList(),
            run.Tags));
    }

    public Task<IReadOnlyList<ModelFileInfo>> ListFilesAsync(ModelVersionInfo version, CancellationToken cancellationToken)
    {
        var document = ReadVersionDocument(version.Name, version.Version);
        IReadOnlyList<ModelFileInfo> files = document.Files.Select(f => new ModelFileInfo(f.Path, f.Size, f.Sha256)).ToList();
        return Task.FromResult(files);
    }

    public Task<Stream> OpenFileAsync(ModelVersionInfo version, ModelFileInfo file, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Root, version.Source, file.Path);
        Stream stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        return Task.FromResult(stream);
    }

    public Task<IReadOnlyList<ModelFileInfo>> ListRunArtifactsAsync(ModelVersionInfo version, string folder, CancellationToken cancellationToken)
    {
        ThrowIfRunIdNotAFolder(version);
        ThrowIfNotCanonical(folder);
        var root = Path.Combine(RunDirectory(version.RunId), "artifacts");
        var directory = Path.Combine(root, folder);
        IReadOnlyList<ModelFileInfo> files = version.RunId.Length == 0 || !Directory.Exists(directory)
            ? []
            : Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
                .Select(f => new ModelFileInfo(Path.GetRelativePath(root, f).Replace(Path.DirectorySeparatorChar, '/'), new FileInfo(f).Length, null))
                .OrderBy(f => f.Path, StringComparer.Ordinal)
                .ToList();
        return Task.FromResult(files);
    }

    public Task<Stream> OpenRunArtifactAsync(ModelVersionInfo version, string path, CancellationToken cancellationToken)
    {
        ThrowIfRunIdNotAFolder(version);
        ThrowIfNotCanonical(path);
        Stream stream = new FileStream(Path.Combine(RunDirectory(version.RunId), "artifacts", path), FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        return Task.FromResult(stream);
    }

    public string VersionPage(ModelVersionInfo version) =>
        Path.GetRelativePath(Root, Path.Combine(VersionsDirectory(version.Name), version.Version + ".json")).Replace(Path.DirectorySeparatorChar, '/');

    public void Dispose()
    {
        // Nothing is held open between calls.
    }

    public Task<IModelPublication> BeginPublicationAsync(PublicationRequest request, CancellationToken cancellationToken)
    {
        ModelNameRules.ThrowIfInvalid(request.ModelName);
        EnsureRegisteredModel(request);
        IModelPublication publication = LocalPublication.Start(this, request);
        return Task.FromResult(publication);
    }

    /// <summary>Claims the next free version number and writes its document; returns the number claimed.</summary>
    internal int RegisterVersion(ModelVersionDocument document)
    {
        var directory = VersionsDirectory(document.Name);
        Directory.CreateDirectory(directory);
        var next = ReadVersions(document.Name).Select(v => int.Parse(v.Version, CultureInfo.InvariantCulture)).DefaultIfEmpty(0).Max() + 1;
        while (true)
        {
            document.Version = next.ToString(CultureInfo.InvariantCulture);
            if (AtomicFile.TryCreateJson(Path.Combine(directory, document.Version + ".json"), document, LocalRegistryJson.Default.ModelVersionDocument))
            {
                return next;
            }

            next++;
        }
    }

    private void EnsureRegisteredModel(PublicationRequest request)
    {
        var path = Path.Combine(ModelDirectory(request.ModelName), "registered-model.json");
        if (File.Exists(path))
        {
            return;
        }

        var document = new RegisteredModelDocument
        {
            Name = request.ModelName,
            Description = request.ModelDescription,
            CreationTimestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        };
        AtomicFile.TryCreateJson(path, document, LocalRegistryJson.Default.RegisteredModelDocument);
    }

    private List<ModelVersionDocument> ReadVersions(string name)
    {
        var directory = VersionsDirectory(name);
        if (!Directory.Exists(directory))
        {
            throw UnknownModel(name);
        }

        return Directory.EnumerateFiles(directory, "*.json")
            .Select(path => Path.GetFileNameWithoutExtension(path))
            .Where(stem => int.TryParse(stem, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            .Select(stem => ReadVersionDocument(name, stem))
            .OrderBy(v => v.Version, VersionOrder.Instance)
            .ToList();
    }

    private ModelVersionDocument ReadVersionDocument(string name, string version)
    {
        var path = Path.Combine(VersionsDirectory(name), version + ".json");
        try
        {
            return AtomicFile.ReadJson(path, LocalRegistryJson.Default.ModelVersionDocument);
        }
        catch (JsonException e)
        {
            throw new MlflowException(MlfError.RegistryEntryCorrupt, e, Descriptor.DisplayName, path, e.Message);
        }
    }

    private void ThrowIfRunIdNotAFolder(ModelVersionInfo version)
    {
        if (version.RunId.IndexOfAny(['/', '\\']) >= 0 || version.RunId is "." or "..")
        {
            throw new MlflowException(MlfError.RegistryEntryCorrupt, Descriptor.DisplayName, version.Name + " version " + version.Version, $"its run id '{version.RunId}' is not a folder name");
        }
    }

    private static void ThrowIfNotCanonical(string path)
    {
        if (RelativePathRules.Problem(path) is { } problem)
        {
            throw new ArgumentException($"The artifact path '{RelativePathRules.Printable(path)}' is not canonical: {problem}.", nameof(path));
        }
    }

    private MlflowException UnknownModel(string name)
    {
        var models = Directory.Exists(Path.Combine(Root, "models"))
            ? Directory.EnumerateDirectories(Path.Combine(Root, "models"))
                .Where(d => Directory.Exists(Path.Combine(d, "versions")))
                .Select(d => Uri.UnescapeDataString(Path.GetFileName(d)))
                .Order(StringComparer.Ordinal)
                .ToList()
            : [];
        return models.Count == 0
            ? new MlflowException(MlfError.UnknownModelNoneExist, name, Descriptor.DisplayName)
            : new MlflowException(MlfError.UnknownModel, name, Descriptor.DisplayName, string.Join(", ", models));
    }

    private static ModelVersionInfo ToInfo(ModelVersionDocument d) => new(
        d.Name,
        d.Version,
        d.RunId,
        d.Source,
        d.Status,
        DateTimeOffset.FromUnixTimeMilliseconds(d.CreationTimestamp),
        d.Tags,
        d.Description);
}
