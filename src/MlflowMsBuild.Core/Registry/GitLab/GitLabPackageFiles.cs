using MlflowMsBuild.Core.Credentials;
using MlflowMsBuild.Core.Http;
using MlflowMsBuild.Core.RestApi;

namespace MlflowMsBuild.Core.Registry.GitLab;

/// <summary>
/// A project's ml_model package files, read straight from
/// <c>GET /api/v4/projects/:id/packages/ml_models/:model_version_id/files/(*path/):file_name</c>
/// (GitLab lib/api/ml_model_packages.rb): the one GitLab route that serves model files to a CI job token, which GitLab
/// refuses on its MLflow and mlflow-artifacts endpoints. Credentials are resolved on first use; no request is made
/// before a file is opened.
/// </summary>
public sealed class GitLabPackageFiles : IDisposable
{
    private readonly string project;
    private readonly Lazy<GitLabConnection> connection;
    private readonly Lazy<MlflowRestClient> client;

    /// <param name="project">The project's numeric id or full path (<c>group/sub/project</c>); GitLab takes either, the path URL-encoded.</param>
    /// <param name="resolve">Finds the server and credentials (<see cref="GitLabCredentials.Resolve(string?, CredentialEnvironment)"/>).</param>
    public GitLabPackageFiles(string project, Func<GitLabConnection> resolve)
    {
        this.project = project;
        connection = new Lazy<GitLabConnection>(resolve);
        client = new Lazy<MlflowRestClient>(() => new MlflowRestClient(Options(connection.Value)));
    }

    /// <summary>True when the only credential is a CI job token: then the files are all that can be read.</summary>
    public bool UsesJobToken => connection.Value.IsJobToken;

    /// <summary>The file <paramref name="path"/> ('/'-separated, relative to the package) of model version <paramref name="modelVersionId"/>.</summary>
    public Uri FileUri(string modelVersionId, string path)
    {
        var escaped = string.Join('/', path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.EscapeDataString));
        return MlflowRestClient.BuildUri(connection.Value.Server,
            $"api/v4/projects/{Uri.EscapeDataString(project)}/packages/ml_models/{Uri.EscapeDataString(modelVersionId)}/files/{escaped}");
    }

    /// <summary>Opens a file from byte <paramref name="offset"/> (see <see cref="MlflowRestClient.OpenArtifactAsync(Uri, long, CancellationToken)"/>).</summary>
    public async Task<FileRead> OpenAsync(string modelVersionId, string path, long offset, CancellationToken cancellationToken)
    {
        var (content, start) = await client.Value.OpenArtifactAsync(FileUri(modelVersionId, path), offset, cancellationToken).ConfigureAwait(false);
        return new FileRead(content, start);
    }

    public void Dispose()
    {
        if (client.IsValueCreated)
        {
            client.Value.Dispose();
        }
    }

    private static RegistryServerOptions Options(GitLabConnection connection)
    {
        var auth = connection.RequireAuth(allowJobToken: true);
        return GitLabServerOptions.For(connection.Server, connection, auth,
            $"The job token ({auth.Source}) reads the package files of its own project, or of a project whose CI/CD job token allowlist admits this project, when the job's user has at least the Reporter role there.",
            "GitLab answers 404 when the project, the model version (the id models.lock.json records) or the file does not exist, or the token cannot see the project: check that the lock file was written against this project.");
    }
}
