using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Naming;
using MlflowMsBuild.Core.Provenance;
using MlflowMsBuild.Core.Registry;

namespace MlflowMsBuild.Core.Publishing;

/// <summary>
/// Publishes a new model version: validates everything it can before the first request (name, files, keys,
/// git state; file names the registry would alter or Windows could not restore; the registry's own limits, see
/// <see cref="RegistryLimitCheck"/>: a param value too long for it moves to an artifact), reports an existing version that already holds the same content instead of publishing it twice,
/// then hands the registry its run data and files and completes the version, or aborts it on any failure. The model
/// files are hashed for the content hash (<see cref="ModelFileHashes"/>) while they are uploaded; the publish waits for
/// the hash before creating anything only when a version of the same commit exists or the registry creates the version
/// first (<see cref="IModelRegistry.RegistersVersionLast"/>), else the content-hash run tag is logged after the uploads.
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

        // Once the files and the git state passed, the model files are hashed beside the remaining checks and the
        // uploads; the publish waits for the hash up front only where the "already published?" check or the registry's order needs it.
        using var hashing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var modelHashes = ModelFileHashes.Start(input.ModelName, files.Zip(modelArtifacts, (f, a) => (f, a.ArtifactPath)).ToList(), hashing.Token);
        string? spillFolder = null;
        try
        {
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

            var contentHash = ContentHashAsync(modelHashes, input.ModelName, artifacts, metrics, parameters, git);
            var limits = registry.Limits;
            var (storedParams, spilled) = RegistryLimitCheck.FitParams(parameters, limits, registry.Descriptor,
                () => spillFolder ??= Directory.CreateTempSubdirectory("mlflow-msbuild-publish-").FullName);
            var uploads = modelArtifacts.Concat(artifacts.Concat(spilled).Select(a => (a.FullPath, a.ArtifactPath))).ToList();
            registry.ArtifactNames.ThrowIfAltered(spilled.Select(a => a.ArtifactPath), registry.Descriptor);
            var modelDescription = ModelCard.ForRegisteredModel(input.ModelName, record);
            // The tags are checked before the hash is known, with a stand-in of its fixed shape: the lengths are final.
            RegistryLimitCheck.ThrowIfRefused(limits, registry.Descriptor, metrics, input.MetricsFile is null ? null : $"the metrics file '{input.MetricsFile}'",
                record.Tags(ContentHash.Shape), record.VersionTags(ContentHash.Shape),
                files.Select(f => (PublicationRequest.DefaultModelArtifactPath + "/" + f.RelativePath, f.Size))
                    .Concat(artifacts.Concat(spilled).Select(a => (a.ArtifactPath, a.Size))),
                modelDescription);

            // Known up front when the registry creates the version (with its tags) first, or when the check needs it.
            var hashFirst = !registry.RegistersVersionLast;
            if (!input.ForcePublish && await PublishedOfCommitAsync(input.ModelName, git.CommitSha, cancellationToken).ConfigureAwait(false) is { Count: > 0 } candidates)
            {
                hashFirst = true;
                var hash = await contentHash.ConfigureAwait(false);
                if (candidates.FirstOrDefault(v => v.Tags[PublishTags.ContentHash] == hash) is { } existing)
                {
                    return new PublishResult(existing.Name, existing.Version, existing.RunId, git.CommitSha, files.Count, files.Sum(f => f.Size), hash, AlreadyPublished: true);
                }
            }

            VersionCompletion VersionFor(string hash) => new(record.VersionTags(hash),
                ModelCard.ForVersion(input.ModelName, record, metrics, modelArtifacts.Select(f => f.ArtifactPath).ToList(), artifacts, hash,
                    registry.Descriptor.MaxDescriptionLength));

            string? knownHash = hashFirst ? await contentHash.ConfigureAwait(false) : null;
            var runData = new RunData(storedParams, metrics.Select(m => new Metric(m.Key, m.Value, record.Now)).ToList(), record.Tags(knownHash));
            var request = new PublicationRequest(
                input.ModelName,
                RunName: $"{input.ModelName}-{record.Now:yyyyMMdd-HHmmss}",
                ModelDescription: modelDescription,
                ArtifactPaths: uploads.Select(u => u.ArtifactPath).ToList(),
                RequestedVersion: input.RequestedVersion,
                ExperimentName: input.ExperimentName,
                Version: knownHash is null ? null : VersionFor(knownHash));
            return await PublishVersionAsync(input, request, runData, uploads, contentHash, VersionFor, git.CommitSha, files, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await hashing.CancelAsync().ConfigureAwait(false);
            // No file stays open after the publish returns, whatever ended it.
            await ((Task)modelHashes).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
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

    /// <summary>The content hash (<see cref="ContentHash"/>) once the model files are hashed; the other artifacts were hashed when collected.</summary>
    private static async Task<string> ContentHashAsync(Task<IReadOnlyList<(string ArtifactPath, string Sha256)>> modelHashes, string modelName,
        IReadOnlyList<PublishedArtifact> artifacts, IReadOnlyDictionary<string, double> metrics, IReadOnlyList<(string Key, string Value, string Origin)> parameters,
        Provenance.GitProvenance git)
    {
        var hashedFiles = (await modelHashes.ConfigureAwait(false)).Concat(artifacts.Select(a => (a.ArtifactPath, a.Sha256)));
        return ContentHash.Compute(modelName, hashedFiles, metrics, parameters.Select(p => KeyValuePair.Create(p.Key, p.Value)), git.CommitSha, git.ChangesDigest);
    }

    /// <summary>
    /// Registers the run's data and files, then the version. When <paramref name="runData"/> lacks the content-hash tag
    /// (the registry registers the version last and nothing needed the hash before), the hash is awaited after the uploads
    /// and logged as a run tag of its own just before the version is registered with it.
    /// </summary>
    private async Task<PublishResult> PublishVersionAsync(PublishInput input, PublicationRequest request, RunData runData,
        IReadOnlyList<(string FullPath, string ArtifactPath)> uploads, Task<string> contentHash, Func<string, VersionCompletion> versionFor,
        string commitSha, IReadOnlyList<ModelFile> files, CancellationToken cancellationToken)
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

            var hash = await contentHash.ConfigureAwait(false);
            if (!runData.Tags.ContainsKey(PublishTags.ContentHash))
            {
                var tag = new Dictionary<string, string>(StringComparer.Ordinal) { [PublishTags.ContentHash] = hash };
                await publication.LogRunDataAsync(new RunData(new Dictionary<string, string>(), [], tag), cancellationToken).ConfigureAwait(false);
            }

            var version = await publication.CompleteAsync(versionFor(hash), cancellationToken).ConfigureAwait(false);
            return new PublishResult(version.Name, version.Version, publication.RunId, commitSha, files.Count, files.Sum(f => f.Size), hash);
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

    /// <summary>
    /// The complete versions of the model published from <paramref name="commitSha"/> with a content hash tag: the only
    /// ones that can hold this content, since the content hash covers the commit and every version carries its commit's
    /// tag. Empty when there are none, and then the "already published?" check needs no content hash.
    /// </summary>
    private async Task<IReadOnlyList<ModelVersionInfo>> PublishedOfCommitAsync(string modelName, string commitSha, CancellationToken cancellationToken)
    {
        IReadOnlyList<ModelVersionInfo> versions;
        try
        {
            versions = await registry.ListModelVersionsAsync(modelName, cancellationToken).ConfigureAwait(false);
        }
        catch (MlflowException e) when (e.Error is MlfError.UnknownModel or MlfError.UnknownModelNoneExist)
        {
            return [];
        }

        return versions.Where(v => v.Tags.ContainsKey(PublishTags.ContentHash) && v.Status == "READY" && !IncompleteVersions.IsIncomplete(v)
            && v.Tags.TryGetValue(PublishTags.GitCommit, out var commit) && commit == commitSha).ToList();
    }
}
