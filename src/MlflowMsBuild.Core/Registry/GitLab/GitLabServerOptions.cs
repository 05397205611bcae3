using MlflowMsBuild.Core.Credentials;
using MlflowMsBuild.Core.Http;
using MlflowMsBuild.Core.RestApi;

namespace MlflowMsBuild.Core.Registry.GitLab;

/// <summary>
/// The transport settings of every request to a GitLab server (its MLflow API, the project lookup, the package files):
/// python-gitlab's timeout, TLS and CA settings of the connection, the token as <c>Authorization: Bearer</c>.
/// </summary>
internal static class GitLabServerOptions
{
    /// <param name="authenticationHint">What a 401 or 403 means for the credential in use.</param>
    /// <param name="notFoundHint">What a 404 means on the endpoints the client calls.</param>
    public static RegistryServerOptions For(Uri trackingUri, GitLabConnection connection, GitLabAuth auth, string authenticationHint, string notFoundHint) => new()
    {
        TrackingUri = trackingUri,
        DisplayName = $"GitLab server '{MlflowRestClient.RedactedUri(connection.Server)}'",
        Authenticate = request => auth.ApplyTo(request.Headers),
        AuthenticationHint = authenticationHint,
        NotFoundHint = notFoundHint,
        RequestTimeout = connection.Timeout,
        RequestTimeoutSetting = GitLabCredentials.TimeoutSetting,
        VerifyTls = connection.VerifyTls,
        CaCertificatePath = connection.CaCertificatePath,
    };
}
