using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Naming;
using MlflowMsBuild.Core.Provenance;
using MlflowMsBuild.Core.Registry;

namespace MlflowMsBuild.Core.Publishing;

/// <summary>
/// Publishes a new model version: validates everything it can before the first request (name, files, keys,
/// git state; file names the registry would alter or Windows could not restore; the registry's own limits, see
/// <see cref="RegistryLimitCheck"/>: a param value too long for it moves to an artifact), reports an existing version that already holds the same content instead of publishing it twice,
/// then hands the registry its run data and files and completes the version, or aborts it on any failure.
/// </summary>
public sealed class ModelPublisher
{
    private readonly IModelRegistry registry;
    private readonly TimeProvider clock;
    private readonly ToolVersions tools;

    public ModelPublisher(IModelRegistry registry, TimeProvider? clock = null, ToolVersions? tools = null)
    {
        this.registry = registry;
        this.clock = clock ?? TimeProvider.System;
        this.tools = tools ?? ToolVersions.Current;
    }

    public async Task<PublishResult> PublishAsync(PublishInput input, CancellationToken cancellationToken = default)
    {
        PublishPreflight.CheckSettings(registry, input.ModelName, input.NamePrefixes, input.RequestedVersion, input.Params?.Keys ?? []);
        var files = ModelFileSet.Collect(input.ModelName, input.ModelDirectory, input.ModelFiles);
        var artifacts = EvaluationOutputs.Collect(input.Tables, input.Figures, input.ConfigFiles);
        var modelArtifacts = files.Select(f => (f.FullPath, ArtifactPath: PublicationRequest.DefaultModelArtifactPath + "/" + f.RelativePath)).ToList();
        EvaluationOutputs.ThrowIfColliding(modelArtifacts.Concat(artifacts.Select(a => (a.FullPath, a.ArtifactPath))));
        RestorableFileNames.ThrowIfNotRestorable(input.ModelName, files.Select(f => f.RelativePath));
        registry.ArtifactNames.ThrowIfAltered(modelArtifacts.Select(f => f.ArtifactPath).Concat(artifacts.Select(a => a.ArtifactPath)), registry.Descriptor);
        var metrics = input.MetricsFile is null ? new Dictionary<string, double>() : MetricsFile.Read(input.MetricsFile);
        var git = PublishPreflight.ReadGitState(input.SourceDirectory, input.AllowDirty);

        foreach (var warning in git.Warnings)
        {
            input.Warn?.Invoke(warning);
        }

        var record = new ProvenanceRecord(input, git, tools, clock.GetUtcNow(), artifacts);
        var parameters = record.Params();
        foreach (var (key, value, origin) in parameters)
        {
            RunKeyRules.ThrowIfInvalidParam(key, value, origin);
        }

        foreach (var key in metrics.Keys)
        {
            RunKeyRules.ThrowIfInvalidKey("metric", key, $"the metrics file '{input.MetricsFile}'");
        }

        var hashedFiles = modelArtifacts.Select(f => (f.ArtifactPath, EvaluationOutputs.Sha256Of(f.FullPath)))
            .Concat(artifacts.Select(a => (a.ArtifactPath, a.Sha256)));
        var contentHash = ContentHash.Compute(input.ModelName, hashedFiles, metrics,
            parameters.Select(p => KeyValuePair.Create(p.Key, p.Value)), git.CommitSha, git.ChangesDigest);

        var limits = registry.Limits;
        string? spillFolder = null;
        try
        {
            var (storedParams, spilled) = RegistryLimitCheck.FitParams(parameters, limits, registry.Descriptor,
                () => spillFolder ??= Directory.CreateTempSubdirectory("mlflow-msbuild-publish-").FullName);
            var uploads = modelArtifacts.Concat(artifacts.Concat(spilled).Select(a => (a.FullPath, a.ArtifactPath))).ToList();
            registry.ArtifactNames.ThrowIfAltered(spilled.Select(a => a.ArtifactPath), registry.Descriptor);
            var runTags = record.Tags(contentHash);
            var versionTags = record.VersionTags(contentHash);
            var modelDescription = ModelCard.ForRegisteredModel(input.ModelName, record);
            RegistryLimitCheck.ThrowIfRefused(limits, registry.Descriptor, metrics, input.MetricsFile is null ? null : $"the metrics file '{input.MetricsFile}'",
                runTags, versionTags,
                files.Select(f => (PublicationRequest.DefaultModelArtifactPath + "/" + f.RelativePath, f.Size))
                    .Concat(artifacts.Concat(spilled).Select(a => (a.ArtifactPath, a.Size))),
                modelDescription);

            if (!input.ForcePublish && await FindPublishedAsync(input.ModelName, contentHash, cancellationToken).ConfigureAwait(false) is { } existing)
            {
                return new PublishResult(existing.Name, existing.Version, existing.RunId, git.CommitSha, files.Count, files.Sum(f => f.Size), contentHash, AlreadyPublished: true);
            }

            var runData = new RunData(storedParams, metrics.Select(m => new Metric(m.Key, m.Value, record.Now)).ToList(), runTags);
            var request = new PublicationRequest(
                input.ModelName,
                RunName: $"{input.ModelName}-{record.Now:yyyyMMdd-HHmmss}",
                ModelDescription: modelDescription,
                VersionDescription: ModelCard.ForVersion(input.ModelName, record, metrics, modelArtifacts.Select(f => f.ArtifactPath).ToList(), artifacts, contentHash,
                    registry.Descriptor.MaxDescriptionLength),
                VersionTags: versionTags,
                ArtifactPaths: uploads.Select(u => u.ArtifactPath).ToList(),
                RequestedVersion: input.RequestedVersion,
                ExperimentName: input.ExperimentName);
            return await PublishVersionAsync(input, request, runData, uploads, git.CommitSha, files, contentHash, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (spillFolder is not null)
            {
                try
                {
                    Directory.Delete(spillFolder, recursive: true);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // A copy of a param value left in the temporary folder; the publish's own outcome is what counts.
                }
            }
        }
    }

    private async Task<PublishResult> PublishVersionAsync(PublishInput input, PublicationRequest request, RunData runData,
        IReadOnlyList<(string FullPath, string ArtifactPath)> uploads, string commitSha, IReadOnlyList<ModelFile> files, string contentHash, CancellationToken cancellationToken)
    {
        await using var publication = await registry.BeginPublicationAsync(request, cancellationToken).ConfigureAwait(false);
        try
        {
            await publication.LogRunDataAsync(runData, cancellationToken).ConfigureAwait(false);
            foreach (var (fullPath, artifactPath) in uploads)
            {
                await using var content = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
                await publication.UploadArtifactAsync(artifactPath, content, cancellationToken).ConfigureAwait(false);
            }

            var version = await publication.CompleteAsync(cancellationToken).ConfigureAwait(false);
            return new PublishResult(version.Name, version.Version, publication.RunId, commitSha, files.Count, files.Sum(f => f.Size), contentHash);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            try
            {
                await publication.AbortAsync(e.Message, CancellationToken.None).ConfigureAwait(false);
            }
            catch (MlflowException)
            {
                // The first failure is the one to report; the registry keeps the run unfinished.
            }

            if (e is IOException or HttpRequestException or UnauthorizedAccessException)
            {
                throw new MlflowException(MlfError.PublishFailed, e, input.ModelName, e.Message);
            }

            throw;
        }
    }

    /// <summary>A complete version of the model whose content hash tag matches, or null.</summary>
    private async Task<ModelVersionInfo?> FindPublishedAsync(string modelName, string contentHash, CancellationToken cancellationToken)
    {
        IReadOnlyList<ModelVersionInfo> versions;
        try
        {
            versions = await registry.ListModelVersionsAsync(modelName, cancellationToken).ConfigureAwait(false);
        }
        catch (MlflowException e) when (e.Error is MlfError.UnknownModel or MlfError.UnknownModelNoneExist)
        {
            return null;
        }

        return versions.FirstOrDefault(v =>
            v.Tags.TryGetValue(PublishTags.ContentHash, out var hash) && hash == contentHash
            && v.Status == "READY" && !IncompleteVersions.IsIncomplete(v));
    }
}
