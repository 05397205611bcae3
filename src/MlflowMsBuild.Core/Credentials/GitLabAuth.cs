using System.Diagnostics;
using System.Net.Http.Headers;
using MlflowMsBuild.Core.Credentials.Python;

namespace MlflowMsBuild.Core.Credentials;

/// <summary>The kinds of GitLab token, in python-gitlab's names.</summary>
public enum GitLabTokenKind
{
    /// <summary>A personal, project or group access token (<c>private_token</c>).</summary>
    Private,

    /// <summary>An OAuth 2 token (<c>oauth_token</c>), or an access token set the mlflow client's way
    /// (<c>MLFLOW_TRACKING_TOKEN</c>).</summary>
    OAuth,

    /// <summary>A CI job token (<c>job_token</c>, <c>CI_JOB_TOKEN</c>). GitLab takes it on its ml_model package file
    /// routes only (lib/api/ml_model_packages.rb).</summary>
    Job,
}

/// <summary>
/// How to authenticate to GitLab: which token, found where. Every kind is sent as <c>Authorization: Bearer</c>, the one
/// header every endpoint the product calls reads. The ml_model package file routes that hold model files
/// (lib/api/ml_model_packages.rb) declare <c>authenticate_with</c>, which makes lib/api/api_guard.rb
/// (<c>find_user_from_sources</c>) read only the <c>Authorization</c> header: a <c>PRIVATE-TOKEN</c> or
/// <c>JOB-TOKEN</c> header is ignored there and the request is anonymous (401 on upload, 404 on a private project's
/// download). The project and MLflow endpoints (lib/api/ml/mlflow/entrypoint.rb) read a personal, project or group
/// access token from <c>Authorization: Bearer</c> as well as from <c>PRIVATE-TOKEN</c>
/// (lib/gitlab/auth/auth_finders.rb <c>find_personal_access_token</c>: <c>parsed_oauth_token</c>).
/// </summary>
[DebuggerDisplay("{ToString(),nq}")]
public sealed class GitLabAuth
{
    public GitLabAuth(GitLabTokenKind kind, Secret token, string source)
    {
        Kind = kind;
        Token = token ?? throw new ArgumentNullException(nameof(token));
        Source = source ?? throw new ArgumentNullException(nameof(source));
    }

    public GitLabTokenKind Kind { get; }

    public Secret Token { get; }

    /// <summary>Where the token came from (a variable name, or a key, section and file). Safe to show.</summary>
    public string Source { get; }

    /// <summary>GitLab accepts job tokens only on its ml_model package file routes, not on its MLflow endpoints
    /// (lib/api/ml/mlflow/entrypoint.rb sets no <c>job_token_allowed</c>): refuse them there with
    /// <see cref="GitLabConnection.RequireAuth"/>.</summary>
    public bool IsJobToken => Kind == GitLabTokenKind.Job;

    /// <summary><c>Authorization</c>, for every kind of token.</summary>
    public string HeaderName => "Authorization";

    /// <summary>The header's value: <c>Bearer &lt;token&gt;</c>.</summary>
    public Secret HeaderValue() => new("Bearer " + Token.Reveal());

    /// <summary>Sets the request's <c>Authorization</c> header (replacing any earlier one).</summary>
    public void ApplyTo(HttpRequestHeaders headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        headers.Authorization = new AuthenticationHeaderValue("Bearer", Token.Reveal());
    }

    public override string ToString() => $"Authorization: Bearer {Secret.Redacted} (from {Source})";
}
