using System.Globalization;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Naming;
using MlflowMsBuild.Core.Provenance;
using MlflowMsBuild.Core.Registry;

namespace MlflowMsBuild.Core.Publishing;

/// <summary>
/// Publishes a new model version: validates everything it can before the first write, then hands the
/// registry its run data and files and completes the version, or aborts it on any failure.
/// </summary>
public sealed class ModelPublisher
{
    private readonly IModelRegistry registry;
    private readonly TimeProvider clock;

    public ModelPublisher(IModelRegistry registry, TimeProvider? clock = null)
    {
        this.registry = registry;
        this.clock = clock ?? TimeProvider.System;
    }

    public async Task<PublishResult> PublishAsync(PublishInput input, CancellationToken cancellationToken = default)
    {
        ModelNameRules.ThrowIfBreaksConvention(input.ModelName, input.NamePrefixes ?? ModelNameRules.DefaultPrefixes);
        var files = ModelFileSet.Collect(input.ModelName, input.ModelDirectory, input.ModelFiles);
        var metrics = input.MetricsFile is null ? new Dictionary<string, double>() : MetricsFile.Read(input.MetricsFile);
        var git = GitProvenance.Read(input.SourceDirectory);
        var now = clock.GetUtcNow();

        var runData = new RunData(
            BuildParams(input, git),
            metrics.Select(m => new Metric(m.Key, m.Value, now)).ToList(),
            BuildTags(git, input));
        var request = new PublicationRequest(
            input.ModelName,
            RunName: $"{input.ModelName}-{now:yyyyMMdd-HHmmss}",
            ModelDescription: $"Published by MlflowMsBuild from {git.RemoteUrl ?? git.RepositoryRoot}.",
            VersionDescription: $"Commit {git.CommitSha}" + (git.CommitWebUrl is null ? "" : $" ({git.CommitWebUrl})"),
            VersionTags: new Dictionary<string, string>
            {
                ["mlflow.source.git.commit"] = git.CommitSha,
            },
            ArtifactPaths: files.Select(f => PublicationRequest.DefaultModelArtifactPath + "/" + f.RelativePath).ToList(),
            RequestedVersion: input.RequestedVersion,
            ExperimentName: input.ExperimentName);

        await using var publication = await registry.BeginPublicationAsync(request, cancellationToken).ConfigureAwait(false);
        try
        {
            await publication.LogRunDataAsync(runData, cancellationToken).ConfigureAwait(false);
            foreach (var file in files)
            {
                await using var content = new FileStream(file.FullPath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
                await publication.UploadArtifactAsync(PublicationRequest.DefaultModelArtifactPath + "/" + file.RelativePath, content, cancellationToken).ConfigureAwait(false);
            }

            var version = await publication.CompleteAsync(cancellationToken).ConfigureAwait(false);
            return new PublishResult(version.Name, version.Version, publication.RunId, git.CommitSha, files.Count, files.Sum(f => f.Size));
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

    private Dictionary<string, string> BuildParams(PublishInput input, GitProvenance git)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in input.Params ?? new Dictionary<string, string>())
        {
            result[key] = value;
        }

        result["commit"] = git.CommitSha;
        if (git.CommitWebUrl is not null)
        {
            result["commit_url"] = git.CommitWebUrl;
        }

        if (!string.IsNullOrWhiteSpace(input.CommandLine))
        {
            result["command_line"] = input.CommandLine.Trim();
        }

        result["date"] = clock.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);
        return result;
    }

    private static Dictionary<string, string> BuildTags(GitProvenance git, PublishInput input)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["mlflow.source.git.commit"] = git.CommitSha,
            ["mlflow.source.type"] = "LOCAL",
            ["mlflow.source.name"] = input.SourceDirectory,
            ["mlflow_msbuild.git.dirty"] = git.IsDirty ? "true" : "false",
        };
        if (git.Branch is not null)
        {
            tags["mlflow.source.git.branch"] = git.Branch;
        }

        if (git.RemoteUrl is not null)
        {
            tags["mlflow.source.git.repoURL"] = git.RemoteUrl;
        }

        return tags;
    }
}
