namespace MlflowMsBuild.TestServer;

/// <summary>Which real server the double imitates.</summary>
public enum RegistryFlavor
{
    /// <summary>A plain MLflow 2.12 tracking server started with <c>--serve-artifacts</c>.</summary>
    Mlflow,

    /// <summary>GitLab's MLflow-compatible API (tracking URI <c>/api/v4/projects/:id/ml/mlflow</c>) and its ml_model packages.</summary>
    GitLab,
}

/// <summary>
/// How GitLab picks the next SemVer when <c>model-versions/create</c> carries no <c>gitlab.version</c> tag.
/// Both rules shipped in some GitLab release; clients must read the SemVer from the response's <c>aliases</c>.
/// </summary>
public enum SemVerIncrement
{
    /// <summary>1.2.3 → 1.2.4 (Ml::IncrementVersionService default).</summary>
    Patch,

    /// <summary>1.2.3 → 2.0.0.</summary>
    Major,
}

/// <summary>A token holder's role in a GitLab project.</summary>
public enum GitLabRole
{
    /// <summary>Not a member: a private project is invisible (404 Project Not Found).</summary>
    None,

    /// <summary>Sees the project but cannot read experiments or models of a private project (404).</summary>
    Guest,

    /// <summary>Reads; writes on MLflow routes answer 401, package uploads 403.</summary>
    Reporter,

    /// <summary>Reads and writes.</summary>
    Developer,

    /// <summary>Reads and writes.</summary>
    Maintainer,
}

/// <summary>Settings for <see cref="TestRegistryServer.StartAsync"/>.</summary>
public sealed class TestServerOptions
{
    /// <summary>The server to imitate. Default: plain MLflow.</summary>
    public RegistryFlavor Flavor { get; set; } = RegistryFlavor.Mlflow;

    /// <summary>Listening URL; only loopback hosts are accepted; port 0 picks a free port.</summary>
    public string Url { get; set; } = "http://127.0.0.1:0";

    /// <summary>Where artifact files go. Null: a fresh temporary folder, deleted on dispose.</summary>
    public string? DataDirectory { get; set; }

    /// <summary>MLflow only: when set, every request needs <c>Authorization: Bearer &lt;token&gt;</c> (or the basic credentials below).</summary>
    public string? MlflowBearerToken { get; set; }

    /// <summary>MLflow only: with <see cref="MlflowPassword"/>, requests need HTTP Basic credentials (as the MLflow basic-auth app).</summary>
    public string? MlflowUsername { get; set; }

    /// <summary>MLflow only: password for <see cref="MlflowUsername"/>.</summary>
    public string? MlflowPassword { get; set; }

    /// <summary>MLflow only: false imitates <c>--no-serve-artifacts</c> (mlflow-artifacts routes answer 503).</summary>
    public bool MlflowServeArtifacts { get; set; } = true;

    /// <summary>
    /// MLflow only: the release imitated where 2.12 and 3.11 differ. From 3.0, model names with '/' or ':' and blank
    /// names are refused (400), and the artifact proxy answers the download of a non-ASCII file name with a text/plain
    /// 500 (starlette's WSGI adapter cannot encode the Content-Disposition header). Default 2.12.
    /// </summary>
    public Version MlflowVersion { get; set; } = new(2, 12);

    /// <summary>MLflow 3's logged models (<c>logged-models</c> endpoints, <c>models:/m-&lt;id&gt;</c> sources); off as in 2.12.</summary>
    public bool MlflowLoggedModels { get; set; }

    /// <summary>GitLab only: the increment rule for versions created without a <c>gitlab.version</c> tag.</summary>
    public SemVerIncrement GitLabVersionIncrement { get; set; } = SemVerIncrement.Patch;

    /// <summary>GitLab only: ml_model_max_file_size; an upload with size &gt;= this answers 400. Default 10 GiB.</summary>
    public long GitLabMaxFileSize { get; set; } = 10L * 1024 * 1024 * 1024;

    /// <summary>GitLab only: imitate object storage: downloads answer 302 to a pre-signed URL on this server,
    /// which refuses requests that still carry an Authorization header (as S3 does).</summary>
    public bool GitLabObjectStorage { get; set; }

    /// <summary>GitLab only: a relative URL root such as <c>/gitlab</c> (GitLab's relative_url_root).</summary>
    public string GitLabRelativeUrlRoot { get; set; } = "";

    /// <summary>Clock for timestamps (creation times, default run start).</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
