using Microsoft.AspNetCore.Http;
using MlflowMsBuild.TestServer.Http;

namespace MlflowMsBuild.TestServer.GitLab;

/// <summary>Who calls, in which project, with which role.</summary>
internal sealed record GitLabAccess(GitLabToken? Token, GitLabProject Project, GitLabRole Role)
{
    /// <summary>read_model_experiments / read_model_registry: Reporter and up, or anyone on a public project.</summary>
    public bool CanRead => Role >= GitLabRole.Reporter || Project.IsPublic;

    /// <summary>write_model_experiments / write_model_registry: Developer and up.</summary>
    public bool CanWrite => Role >= GitLabRole.Developer;

    public string UserId => Token is null ? "" : Token.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// GitLab's checks, in order: authentication (token and scope) → project → permission. MLflow routes accept personal
/// access tokens (PRIVATE-TOKEN or Bearer) only: lib/api/ml/mlflow/entrypoint.rb and mlflow_artifacts/entrypoint.rb
/// set no <c>job_token_allowed</c>, so a JOB-TOKEN header is not read (401 "401 Unauthorized") and a job token as
/// Bearer is no access token (401 invalid_token). Package file routes (lib/api/ml_model_packages.rb) also accept CI job
/// tokens, but only as <c>Authorization: Bearer</c> (<c>token_types(:personal_access_token, :job_token)
/// .sent_through(:http_bearer_token)</c>): a JOB-TOKEN header there is not read either, so the request is anonymous.
/// </summary>
internal sealed class GitLabGuard(GitLabState state)
{
    public GitLabAccess ForProjectApi(ApiRequest request) => Resolve(Authenticate(request.Http, allowJobToken: false), request.Route["id"]);

    /// <summary>MLflow and mlflow-artifacts routes: no token 401; no read 404; no write 401 (sic).</summary>
    public GitLabAccess ForMlflow(ApiRequest request, bool write)
    {
        var token = Authenticate(request.Http, allowJobToken: false) ?? throw GitLabErrors.Unauthorized();
        var access = Resolve(token, request.Route["id"]);
        if (!access.CanRead) throw GitLabErrors.NotFound();
        if (write && !access.CanWrite) throw GitLabErrors.Unauthorized();
        return access;
    }

    /// <summary>Package files: anonymous GET allowed on public projects; upload needs a token (401) and Developer (403).</summary>
    public GitLabAccess ForPackageFiles(ApiRequest request, bool upload)
    {
        var token = Authenticate(request.Http, allowJobToken: true);
        if (upload && token is null) throw GitLabErrors.Unauthorized();
        var access = Resolve(token, request.Route["id"]);
        if (!access.CanRead) throw GitLabErrors.NotFound();
        if (upload && !access.CanWrite) throw GitLabErrors.Forbidden();
        return access;
    }

    private GitLabToken? Authenticate(HttpContext http, bool allowJobToken)
    {
        var headers = http.Request.Headers;
        var privateToken = headers["PRIVATE-TOKEN"].FirstOrDefault();
        var authorization = headers.Authorization.ToString();
        var bearer = authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization[7..].Trim() : null;

        GitLabToken? token;
        lock (state.Sync)
        {
            if (privateToken is not null) token = Find(privateToken, TokenKind.Personal) ?? throw GitLabErrors.InvalidToken("Bad Access Token.");
            else if (bearer is not null) token = Find(bearer, TokenKind.Personal) ?? (allowJobToken ? Find(bearer, TokenKind.Job) : null)
                ?? throw GitLabErrors.InvalidToken("Bad Access Token.");
            else return null;
            if (token.Revoked) throw GitLabErrors.InvalidToken("Token has been revoked.");
        }
        if (token.Kind == TokenKind.Job) return token;
        var readOnly = HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method);
        if (token.Scopes.Contains("api") || (readOnly && token.Scopes.Contains("read_api"))) return token;
        throw GitLabErrors.InsufficientScope();
    }

    private GitLabToken? Find(string value, TokenKind kind) =>
        state.Tokens.TryGetValue(value, out var token) && token.Kind == kind ? token : null;

    private GitLabAccess Resolve(GitLabToken? token, string idOrPath)
    {
        lock (state.Sync)
        {
            var project = state.FindProject(idOrPath) ?? throw GitLabErrors.ProjectNotFound();
            var role = token?.RoleIn(project.Id) ?? GitLabRole.None;
            if (!project.IsPublic && role == GitLabRole.None) throw GitLabErrors.ProjectNotFound();
            return new GitLabAccess(token, project, role);
        }
    }
}
