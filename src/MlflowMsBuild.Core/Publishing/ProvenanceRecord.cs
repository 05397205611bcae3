using System.Globalization;
using MlflowMsBuild.Core.Provenance;

namespace MlflowMsBuild.Core.Publishing;

/// <summary>Names of the tags MlflowMsBuild writes besides MLflow's own <c>mlflow.source.*</c> tags, and the one of those it reads back.</summary>
public static class PublishTags
{
    /// <summary>MLflow's own tag of the commit, on the run and the version (every version MlflowMsBuild publishes carries it).</summary>
    public const string GitCommit = "mlflow.source.git.commit";

    /// <summary>On the run and the version: SHA-256 over the model files and the provenance (see <see cref="ContentHash"/>).</summary>
    public const string ContentHash = "mlflow_msbuild.content_hash";
    public const string Dirty = "mlflow_msbuild.git.dirty";
    public const string ChangesDigest = "mlflow_msbuild.git.changes_sha256";
    public const string ToolVersion = "mlflow_msbuild.version";
    public const string Runtime = "mlflow_msbuild.dotnet";
    public const string OperatingSystem = "mlflow_msbuild.os";
}

/// <summary>Turns what was gathered for a publish into the run's params and tags (MLflow's source tags included).</summary>
internal sealed class ProvenanceRecord(PublishInput input, GitProvenance git, ToolVersions tools, DateTimeOffset now, IReadOnlyList<PublishedArtifact> artifacts)
{
    public const string DateParam = "date";

    /// <summary>The params this record sets itself (<see cref="Params"/>); an MlflowParam of one of these names is MLF1052.</summary>
    public static readonly IReadOnlyList<string> ReservedParams = ["command_line", "commit", "commit_url", "config_file", "database", DateParam];

    public GitProvenance Git => git;

    public ToolVersions Tools => tools;

    public DateTimeOffset Now => now;

    public string? CommandLine => string.IsNullOrWhiteSpace(input.CommandLine) ? null : input.CommandLine.Trim();

    public string? Database => string.IsNullOrWhiteSpace(input.Database) ? null : input.Database.Trim();

    /// <summary>The configuration files as the param <c>config_file</c> names them: relative to the repository root.</summary>
    public IReadOnlyList<string> ConfigFiles { get; } = artifacts
        .Where(a => a.ArtifactPath.StartsWith("config/", StringComparison.Ordinal))
        .Select(a => RepositoryRelative(git.RepositoryRoot, a.FullPath))
        .ToList();

    /// <summary>Params with where each came from, for messages: user params first, then ours (which win).</summary>
    public IReadOnlyList<(string Key, string Value, string Origin)> Params()
    {
        var result = new Dictionary<string, (string Value, string Origin)>(StringComparer.Ordinal);
        foreach (var (key, value) in input.Params ?? new Dictionary<string, string>())
        {
            result[key] = (value, "the MlflowParam items");
        }

        void Add(string key, string? value, string origin)
        {
            if (value is not null)
            {
                result[key] = (value, origin);
            }
        }

        Add("commit", git.CommitSha, "git");
        Add("commit_url", git.CommitWebUrl, $"the git remote '{git.RemoteName}'");
        Add("command_line", CommandLine, "MlflowCommandLine (or MlflowCommandLineFile)");
        Add("config_file", ConfigFiles.Count == 0 ? null : string.Join(", ", ConfigFiles), "the MlflowConfigFile items");
        Add("database", Database, "MlflowDatabase");
        Add(DateParam, now.ToString("O", CultureInfo.InvariantCulture), "the clock");
        return result.Select(p => (p.Key, p.Value.Value, p.Value.Origin)).OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Run tags: MLflow's own source tags (its UI shows them natively), then ours; without
    /// <see cref="PublishTags.ContentHash"/> when <paramref name="contentHash"/> is null (it is logged once known).
    /// </summary>
    public Dictionary<string, string> Tags(string? contentHash)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [PublishTags.GitCommit] = git.CommitSha,
            ["mlflow.source.type"] = "LOCAL",
            ["mlflow.source.name"] = input.SourceDirectory,
            [PublishTags.Dirty] = git.IsDirty ? "true" : "false",
            [PublishTags.ToolVersion] = tools.MlflowMsBuild,
            [PublishTags.Runtime] = tools.Runtime,
            [PublishTags.OperatingSystem] = tools.OperatingSystem,
        };
        if (contentHash is not null)
        {
            tags[PublishTags.ContentHash] = contentHash;
        }

        if (git.Branch is not null)
        {
            tags["mlflow.source.git.branch"] = git.Branch;
        }

        if (git.RemoteUrl is not null)
        {
            tags["mlflow.source.git.repoURL"] = git.RemoteUrl;
        }

        if (git.ChangesDigest is not null)
        {
            tags[PublishTags.ChangesDigest] = git.ChangesDigest;
        }

        return tags;
    }

    /// <summary>Tags of the model version itself (the registry shows them without opening the run).</summary>
    public Dictionary<string, string> VersionTags(string contentHash)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [PublishTags.GitCommit] = git.CommitSha,
            [PublishTags.ContentHash] = contentHash,
        };
        if (git.IsDirty)
        {
            tags[PublishTags.Dirty] = "true";
        }

        return tags;
    }

    private static string RepositoryRelative(string root, string path)
    {
        var relative = Path.GetRelativePath(root, path);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative)
            ? path
            : relative.Replace(Path.DirectorySeparatorChar, '/');
    }
}
