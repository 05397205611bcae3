using MlflowMsBuild.TestServer.Storage;

namespace MlflowMsBuild.TestServer.GitLab;

internal enum TokenKind { Personal, Job }

internal sealed class GitLabToken
{
    public required string Value { get; init; }

    public required TokenKind Kind { get; init; }

    public required int UserId { get; init; }

    public required IReadOnlyList<string> Scopes { get; init; }

    public GitLabRole DefaultRole { get; init; } = GitLabRole.Developer;

    public Dictionary<int, GitLabRole> ProjectRoles { get; } = [];

    public bool Revoked { get; set; }

    public GitLabRole RoleIn(int projectId) => ProjectRoles.TryGetValue(projectId, out var role) ? role : DefaultRole;
}

internal sealed class GitLabExperiment
{
    public required int Iid { get; init; }

    public required string Name { get; init; }

    public string? ModelName { get; init; }

    public TagList Tags { get; } = new();
}

internal sealed class GitLabModel
{
    public required int Id { get; init; }

    public required string Name { get; init; }

    public required int ExperimentIid { get; init; }

    public string Description { get; set; } = "";

    public long CreatedAt { get; init; }

    public long UpdatedAt { get; set; }

    public required int UserId { get; init; }

    public TagList Tags { get; } = new();

    public List<GitLabModelVersion> Versions { get; } = [];
}

internal sealed class GitLabModelVersion
{
    public required int Id { get; init; }

    public required string SemVer { get; init; }

    public required GitLabModel Model { get; init; }

    public required string RunId { get; set; }

    public string Description { get; set; } = "";

    public long CreatedAt { get; init; }

    public long UpdatedAt { get; set; }

    public TagList Tags { get; } = new();
}

/// <summary>One stored package file; several may share a name (GitLab does not dedupe ml_model files).</summary>
internal sealed record PackageFile(int Id, string StoredName, long Size, string DiskPath);

internal sealed class GitLabProject
{
    public required int Id { get; init; }

    public required string PathWithNamespace { get; init; }

    public bool IsPublic { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public List<GitLabExperiment> Experiments { get; } = [];

    public Dictionary<string, RunRecord> Runs { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, GitLabModel> Models { get; } = new(StringComparer.Ordinal);

    /// <summary>Package files by owner: "&lt;model version id&gt;" or "candidate:&lt;iid&gt;".</summary>
    public Dictionary<string, List<PackageFile>> Packages { get; } = new(StringComparer.Ordinal);

    public int NextExperimentIid { get; set; } = 1;

    public int NextCandidateIid { get; set; } = 1;
}

/// <summary>
/// Everything the GitLab double knows, guarded by <see cref="Sync"/>. Ids are global counters starting at distinct
/// values (projects 20, models 5, model versions 40) so a client cannot confuse one kind of id with another.
/// </summary>
internal sealed class GitLabState(TestServerOptions options)
{
    private int nextProjectId = 20;
    private int nextUserId = 1;
    private int nextModelId = 5;
    private int nextVersionId = 40;
    private int nextPackageFileId = 1;

    public object Sync { get; } = new();

    public TestServerOptions Options => options;

    public long NowSeconds => options.TimeProvider.GetUtcNow().ToUnixTimeSeconds();

    public Dictionary<int, GitLabProject> Projects { get; } = [];

    public Dictionary<string, GitLabToken> Tokens { get; } = new(StringComparer.Ordinal);

    public int AddProject(string pathWithNamespace, bool isPublic)
    {
        lock (Sync)
        {
            if (Projects.Values.Any(p => string.Equals(p.PathWithNamespace, pathWithNamespace, StringComparison.OrdinalIgnoreCase)))
            {
                throw new InvalidOperationException($"Project '{pathWithNamespace}' already exists.");
            }
            var id = nextProjectId++;
            Projects[id] = new GitLabProject
            {
                Id = id, PathWithNamespace = pathWithNamespace, IsPublic = isPublic, CreatedAt = options.TimeProvider.GetUtcNow(),
            };
            return id;
        }
    }

    public void AddToken(string value, TokenKind kind, GitLabRole role, IReadOnlyList<string> scopes)
    {
        lock (Sync)
        {
            Tokens[value] = new GitLabToken { Value = value, Kind = kind, UserId = nextUserId++, Scopes = scopes, DefaultRole = role };
        }
    }

    /// <summary>By numeric id or full path (case-insensitive, as GitLab).</summary>
    public GitLabProject? FindProject(string idOrPath) =>
        int.TryParse(idOrPath, out var id)
            ? Projects.GetValueOrDefault(id)
            : Projects.Values.FirstOrDefault(p => string.Equals(p.PathWithNamespace, idOrPath, StringComparison.OrdinalIgnoreCase));

    public int NextModelId() => nextModelId++;

    public int NextVersionId() => nextVersionId++;

    public int NextPackageFileId() => nextPackageFileId++;
}
