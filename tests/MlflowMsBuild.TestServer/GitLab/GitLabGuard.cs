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
/// GitLab's checks, in order: authentication (token and scope) → project → permission.
/// <para>The project and MLflow routes (lib/api/ml/mlflow/entrypoint.rb, mlflow_artifacts/entrypoint.rb) declare no
/// <c>authenticate_with</c>: lib/api/api_guard.rb <c>find_user_from_sources</c> takes a personal, project or group
/// access token from <c>PRIVATE-TOKEN</c>, else from <c>Authorization: Bearer</c> (lib/gitlab/auth/auth_finders.rb
/// <c>find_personal_access_token</c>: <c>PRIVATE_TOKEN_HEADER</c> || <c>parsed_oauth_token</c>). They set no
/// <c>job_token_allowed</c>, so a JOB-TOKEN header is not read (401 "401 Unauthorized") and a job token as Bearer is no
/// access token (401 invalid_token).</para>
/// <para>The ml_model package file routes (lib/api/ml_model_packages.rb) declare
/// <c>authenticate_with { accept.token_types(:personal_access_token, :deploy_token, :job_token) }</c> on the one
/// <c>Authorization</c> location, and then <c>find_user_from_sources</c> reads only that (lib/api/helpers/authentication.rb
/// <c>token_from_namespace_inheritable</c>): PRIVATE-TOKEN and JOB-TOKEN are ignored and the request is anonymous. The
/// token is the header's last word, whatever the scheme (<c>Bearer</c>, <c>Token</c>): the <c>:http_bearer_token</c>
/// location of lib/gitlab/api_authentication/token_locator.rb, the one that lets spec/requests/api/ml_model_packages_spec.rb
/// and doc/api/model_registry.md succeed with <c>Authorization: Bearer &lt;token&gt;</c> (an older revision of the route
/// names <c>:http_token</c>, which hands over the raw header value). One location means never "Found more than one set
/// of credentials" (400) here. A value that is no token of an allowed type is 401 "401 Unauthorized"
/// (lib/api/helpers/authentication.rb <c>find_token_from_raw_credentials</c> → <c>unauthorized!</c>).</para>
/// </summary>
internal sealed class GitLabGuard(GitLabState state)
{
    public GitLabAccess ForProjectApi(ApiRequest request) => Resolve(AuthenticateAccessToken(request.Http), request.Route["id"]);

    /// <summary>MLflow and mlflow-artifacts routes: no token 401; no read 404; no write 401 (sic).</summary>
    public GitLabAccess ForMlflow(ApiRequest request, bool write)
    {
        var token = AuthenticateAccessToken(request.Http) ?? throw GitLabErrors.Unauthorized();
        var access = Resolve(token, request.Route["id"]);
        if (!access.CanRead) throw GitLabErrors.NotFound();
        if (write && !access.CanWrite) throw GitLabErrors.Unauthorized();
        return access;
    }

    /// <summary>Package files: anonymous GET allowed on public projects; upload needs a token (401) and Developer (403).</summary>
    public GitLabAccess ForPackageFiles(ApiRequest request, bool upload)
    {
        var token = AuthenticatePackageFiles(request.Http);
        if (upload && token is null) throw GitLabErrors.Unauthorized();
        var access = Resolve(token, request.Route["id"]);
        if (!access.CanRead) throw GitLabErrors.NotFound();
        if (upload && !access.CanWrite) throw GitLabErrors.Forbidden();
        return access;
    }

    private GitLabToken? AuthenticateAccessToken(HttpContext http)
    {
        var headers = http.Request.Headers;
        var privateToken = headers["PRIVATE-TOKEN"].FirstOrDefault();
        var authorization = headers.Authorization.ToString();
        var bearer = authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization[7..].Trim() : null;
        var value = privateToken ?? bearer;
        if (value is null) return null;

        GitLabToken token;
        lock (state.Sync)
        {
            token = Find(value, TokenKind.Personal) ?? throw GitLabErrors.InvalidToken("Bad Access Token.");
            if (token.Revoked) throw GitLabErrors.InvalidToken("Token has been revoked.");
        }
        return CheckScope(http, token);
    }

    private GitLabToken? AuthenticatePackageFiles(HttpContext http)
    {
        var words = http.Request.Headers.Authorization.ToString().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0) return null;

        GitLabToken token;
        lock (state.Sync)
        {
            token = Find(words[^1], TokenKind.Personal) ?? Find(words[^1], TokenKind.Job) ?? throw GitLabErrors.Unauthorized();
            if (token.Revoked) throw GitLabErrors.InvalidToken("Token has been revoked.");
        }
        return token.Kind == TokenKind.Job ? token : CheckScope(http, token);
    }

    private static GitLabToken CheckScope(HttpContext http, GitLabToken token)
    {
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
