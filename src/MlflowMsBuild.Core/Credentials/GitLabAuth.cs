using System.Diagnostics;
using System.Net.Http.Headers;
using MlflowMsBuild.Core.Credentials.Python;

namespace MlflowMsBuild.Core.Credentials;

/// <summary>The kinds of GitLab token, in python-gitlab's names.</summary>
public enum GitLabTokenKind
{
    /// <summary>A personal, project or group access token (<c>private_token</c>): header <c>PRIVATE-TOKEN</c>.</summary>
    Private,

    /// <summary>An OAuth 2 token (<c>oauth_token</c>), or an access token sent the mlflow client's way
    /// (<c>MLFLOW_TRACKING_TOKEN</c>): header <c>Authorization: Bearer</c>.</summary>
    OAuth,

    /// <summary>A CI job token (<c>job_token</c>, <c>CI_JOB_TOKEN</c>): header <c>Authorization: Bearer</c>, the one place
    /// GitLab's ml_model package file routes read it (lib/api/ml_model_packages.rb:
    /// <c>token_types(:personal_access_token, :job_token).sent_through(:http_bearer_token)</c>); they ignore <c>JOB-TOKEN</c>.</summary>
    Job,
}

/// <summary>How to authenticate to GitLab: which header to send, with which token, found where.</summary>
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

    /// <summary><c>PRIVATE-TOKEN</c>, or <c>Authorization</c> (OAuth and job tokens).</summary>
    public string HeaderName => IsBearer ? "Authorization" : "PRIVATE-TOKEN";

    /// <summary>The header's value: the token, or <c>Bearer &lt;token&gt;</c>.</summary>
    public Secret HeaderValue() => IsBearer ? new Secret("Bearer " + Token.Reveal()) : Token;

    private bool IsBearer => Kind != GitLabTokenKind.Private;

    /// <summary>Adds the authentication header to a request.</summary>
    public void ApplyTo(HttpRequestHeaders headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (IsBearer)
        {
            headers.Authorization = new AuthenticationHeaderValue("Bearer", Token.Reveal());
        }
        else
        {
            headers.Remove(HeaderName);
            headers.TryAddWithoutValidation(HeaderName, Token.Reveal());
        }
    }

    public override string ToString() => IsBearer
        ? $"Authorization: Bearer {Secret.Redacted} (from {Source})"
        : $"{HeaderName}: {Secret.Redacted} (from {Source})";
}
