using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.IO;

namespace MlflowMsBuild.Core.Registry.Local;

/// <summary>
/// Publishing into the embedded registry, in MLflow's order: the run receives data and files first,
/// the version document is written last, so a version never exists without its files.
/// </summary>
internal sealed class LocalPublication : IModelPublication
{
    private readonly LocalRegistry registry;
    private readonly PublicationRequest request;
    private readonly RunDocument run;
    private readonly string runDirectory;
    private readonly Dictionary<string, FileDocument> uploaded = new(StringComparer.Ordinal);
    private bool finished;

    private LocalPublication(LocalRegistry registry, PublicationRequest request, RunDocument run)
    {
        this.registry = registry;
        this.request = request;
        this.run = run;
        runDirectory = registry.RunDirectory(run.RunId);
    }

    public string RunId => run.RunId;

    private string RunFile => Path.Combine(runDirectory, "run.json");

    private string ArtifactsDirectory => Path.Combine(runDirectory, "artifacts");

    public static LocalPublication Start(LocalRegistry registry, PublicationRequest request)
    {
        var run = new RunDocument
        {
            RunId = Guid.NewGuid().ToString("N"),
            RunName = request.RunName,
            StartTime = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        };
        var publication = new LocalPublication(registry, request, run);
        Directory.CreateDirectory(publication.ArtifactsDirectory);
        publication.SaveRun();
        return publication;
    }

    public Task LogRunDataAsync(RunData data, CancellationToken cancellationToken)
    {
        foreach (var (key, value) in data.Params)
        {
            if (run.Params.TryGetValue(key, out var logged) && logged != value)
            {
                throw new MlflowException(MlfError.ParamInvalid, key, $"it was already logged with the value '{logged}' (MLflow params cannot change)");
            }

            run.Params[key] = value;
        }

        run.Metrics.AddRange(data.Metrics.Select(m => new MetricDocument
        {
            Key = m.Key,
            Value = m.Value,
            Timestamp = m.Timestamp.ToUnixTimeMilliseconds(),
            Step = m.Step,
        }));
        foreach (var (key, value) in data.Tags)
        {
            run.Tags[key] = value;
        }

        SaveRun();
        return Task.CompletedTask;
    }

    public async Task UploadArtifactAsync(string artifactPath, Stream content, CancellationToken cancellationToken)
    {
        var destination = ArtifactFullPath(artifactPath);
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        var temp = destination + ".partial";
        (long Size, string Sha256) copied;
        await using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1, FileOptions.Asynchronous))
        {
            copied = await HashingCopy.CopyAsync(content, file, cancellationToken).ConfigureAwait(false);
        }

        File.Move(temp, destination, overwrite: true);
        var relative = Path.GetRelativePath(ArtifactsDirectory, destination).Replace(Path.DirectorySeparatorChar, '/');
        uploaded[relative] = new FileDocument { Path = relative, Size = copied.Size, Sha256 = copied.Sha256 };
    }

    public async Task<ModelVersionInfo> CompleteAsync(VersionCompletion version, CancellationToken cancellationToken)
    {
        var prefix = request.ModelArtifactPath.TrimEnd('/') + "/";
        var files = uploaded.Values
            .Where(f => f.Path.StartsWith(prefix, StringComparison.Ordinal))
            .Select(f => new FileDocument { Path = f.Path[prefix.Length..], Size = f.Size, Sha256 = f.Sha256 })
            .OrderBy(f => f.Path, StringComparer.Ordinal)
            .ToList();

        run.Status = "FINISHED";
        run.EndTime = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        SaveRun();

        var document = new ModelVersionDocument
        {
            Name = request.ModelName,
            CreationTimestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            Description = version.Description,
            Source = $"runs/{run.RunId}/artifacts/{request.ModelArtifactPath}",
            RunId = run.RunId,
            Status = "READY",
            Tags = new Dictionary<string, string>(version.Tags),
            Files = files,
        };
        registry.RegisterVersion(document);
        finished = true;
        return await registry.GetModelVersionAsync(request.ModelName, document.Version, cancellationToken).ConfigureAwait(false);
    }

    public Task AbortAsync(string reason, CancellationToken cancellationToken)
    {
        run.Status = "FAILED";
        run.StatusMessage = reason;
        run.EndTime = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        SaveRun();
        finished = true;
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        if (!finished)
        {
            await AbortAsync("the publication was not completed", CancellationToken.None).ConfigureAwait(false);
        }
    }

    private string ArtifactFullPath(string artifactPath)
    {
        var full = Path.GetFullPath(Path.Combine(ArtifactsDirectory, artifactPath));
        if (!full.StartsWith(ArtifactsDirectory + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Artifact path '{artifactPath}' leaves the run's artifact folder.", nameof(artifactPath));
        }

        return full;
    }

    private void SaveRun() => AtomicFile.WriteJson(RunFile, run, LocalRegistryJson.Default.RunDocument);
}
