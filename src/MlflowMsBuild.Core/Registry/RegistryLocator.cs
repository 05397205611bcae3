using System.Text.RegularExpressions;
using MlflowMsBuild.Core.Credentials;
using MlflowMsBuild.Core.Credentials.Python;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Http;
using MlflowMsBuild.Core.Registry.GitLab;
using MlflowMsBuild.Core.Registry.Local;
using MlflowMsBuild.Core.Registry.MlflowServer;
using MlflowMsBuild.Core.RestApi;
using MlflowMsBuild.Core.Settings;
using MlflowMsBuild.Core.Versions;

namespace MlflowMsBuild.Core.Registry;

/// <summary>
/// Turns the <c>MlflowRegistry</c> setting into a registry:
/// <list type="bullet">
/// <item>empty: <c>MLFLOW_TRACKING_URI</c> when it is an http(s) URL, else the embedded registry in the home folder;</item>
/// <item><c>gitlab:group/project</c> (server from python-gitlab's default section or <c>CI_SERVER_URL</c>),
/// <c>gitlab:https://host/group/project</c>, or an http(s) URL ending in <c>/api/v4/projects/&lt;id&gt;/ml/mlflow</c>: GitLab;</item>
/// <item>any other http(s) URL: an MLflow tracking server;</item>
/// <item>anything else: a folder holding an embedded registry (relative to the project).</item>
/// </list>
/// Opening makes no request; credentials are read when the first request needs them.
/// </summary>
public static partial class RegistryLocator
{
    public const string TrackingUriVariable = MlflowCredentials.TrackingUriVariable;

    [GeneratedRegex(@"^(?<server>.*?/)api/v4/projects/(?<id>\d+)/ml/mlflow/?$", RegexOptions.CultureInvariant)]
    private static partial Regex GitLabTrackingUri();

    public static IModelRegistry Open(string? setting, MlflowHome home, string baseDirectory, CredentialEnvironment? environment = null)
    {
        environment ??= CredentialEnvironment.FromProcess(baseDirectory);
        var fromSetting = !string.IsNullOrWhiteSpace(setting);
        var value = fromSetting ? setting!.Trim() : TrackingUriFromEnvironment(environment);
        if (value is null)
        {
            return new LocalRegistry(home.DefaultRegistry);
        }

        RefuseCredentials(value, fromSetting ? MessageSetting.Registry : TrackingUriVariable);

        if (value.StartsWith("gitlab:", StringComparison.OrdinalIgnoreCase))
        {
            return OpenGitLab(value["gitlab:".Length..].Trim(), home, environment);
        }

        if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            var gitlab = GitLabTrackingUri().Match(uri.GetLeftPart(UriPartial.Path));
            if (!gitlab.Success)
            {
                return OpenMlflow(uri, environment);
            }

            return long.TryParse(gitlab.Groups["id"].Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var projectId)
                ? OpenGitLabTrackingUri(new Uri(gitlab.Groups["server"].Value), projectId, environment)
                : throw new MlflowException(MlfError.RegistrySettingUnsupported, value, "the GitLab project id is not a number GitLab uses");
        }

        if (value.Contains("://", StringComparison.Ordinal))
        {
            throw new MlflowException(MlfError.RegistrySettingUnsupported, value, "only http(s) MLflow servers, gitlab: projects and folders are registries");
        }

        return new LocalRegistry(Path.GetFullPath(value, baseDirectory));
    }

    /// <summary>MLF1085 (<see cref="AddressUserInfo"/>) when the address, or a <c>gitlab:</c> URL, holds user information.</summary>
    private static void RefuseCredentials(string value, object origin)
    {
        var gitlab = value.StartsWith("gitlab:", StringComparison.OrdinalIgnoreCase);
        if (Uri.TryCreate(gitlab ? value["gitlab:".Length..].Trim() : value, UriKind.Absolute, out var uri))
        {
            AddressUserInfo.Refuse(uri, origin, gitlab || GitLabTrackingUri().IsMatch(uri.GetLeftPart(UriPartial.Path)), gitlab ? "gitlab:" : "");
        }
    }

    private static string? TrackingUriFromEnvironment(CredentialEnvironment environment) =>
        environment.GetVariable(TrackingUriVariable) is { } uri && (uri.StartsWith("http://", StringComparison.Ordinal) || uri.StartsWith("https://", StringComparison.Ordinal))
            ? uri.Trim()
            : null;

    private static MlflowServerRegistry OpenMlflow(Uri trackingUri, CredentialEnvironment environment) =>
        new(trackingUri, () =>
        {
            var settings = MlflowCredentials.Resolve(environment, trackingUri);
            return new MlflowRestClient(new RegistryServerOptions
            {
                TrackingUri = trackingUri,
                DisplayName = $"MLflow server '{MlflowRestClient.RedactedUri(trackingUri)}'",
                Authenticate = settings.Auth is { } auth ? request => auth.ApplyTo(request.Headers) : null,
                HeldBack = settings.HeldBack,
                RequestTimeout = settings.RequestTimeout,
                Retry = settings.Retry,
                VerifyTls = settings.VerifyTls,
                CaCertificatePath = settings.ServerCertificatePath,
            });
        });

    private static GitLabRegistry OpenGitLab(string target, MlflowHome home, CredentialEnvironment environment)
    {
        string? server = null;
        var path = target;
        if (Uri.TryCreate(target, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            server = uri.GetLeftPart(UriPartial.Authority) + "/";
            path = uri.AbsolutePath;
        }

        path = path.Trim('/');
        if (path.Length == 0 || !path.Contains('/', StringComparison.Ordinal))
        {
            throw new MlflowException(MlfError.RegistrySettingUnsupported, "gitlab:" + target,
                "name the project by its full path, e.g. gitlab:group/sub/project or gitlab:https://gitlab.example.org/group/project");
        }

        // The server is needed for the cache key, but reading python-gitlab's file for it is cheap; tokens
        // (and helper commands) are only resolved when a request is made.
        var serverUri = server is not null ? new Uri(server) : GitLabCredentials.Resolve(null, environment).Server;
        var project = new GitLabProject(serverUri, path);
        GitLabConnection Resolve() => GitLabCredentials.Resolve(serverUri.AbsoluteUri, environment);
        return new GitLabRegistry(project.Key, project.DisplayName, async cancellationToken =>
        {
            var connection = Resolve();
            var auth = connection.RequireAuth(allowJobToken: false);
            using var api = new MlflowRestClient(GitLabOptions(connection.Server, connection, auth));
            var id = await project.GetIdAsync(api, home.Cache, cancellationToken).ConfigureAwait(false);
            return new MlflowRestClient(GitLabOptions(GitLabProject.TrackingUri(connection.Server, id), connection, auth));
        }, new GitLabPackageFiles(project.Path, Resolve), MlflowRestClient.RedactedUri(serverUri), project.Path,
            () => Resolve().RequireAuth(allowJobToken: false));
    }

    private static GitLabRegistry OpenGitLabTrackingUri(Uri server, long projectId, CredentialEnvironment environment)
    {
        var tracking = GitLabProject.TrackingUri(server, projectId);
        var display = $"{MlflowRestClient.RedactedUri(server).TrimEnd('/')} project {projectId}";
        var id = projectId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        GitLabConnection Resolve() => GitLabCredentials.Resolve(server.AbsoluteUri, environment);
        return new GitLabRegistry(new GitLabProject(server, "projects/" + projectId).Key, display, cancellationToken =>
        {
            var connection = Resolve();
            return Task.FromResult(new MlflowRestClient(GitLabOptions(tracking, connection, connection.RequireAuth(allowJobToken: false))));
        }, new GitLabPackageFiles(id, Resolve), MlflowRestClient.RedactedUri(server), id, () => Resolve().RequireAuth(allowJobToken: false));
    }

    private static RegistryServerOptions GitLabOptions(Uri trackingUri, GitLabConnection connection, GitLabAuth auth) => GitLabServerOptions.For(trackingUri, connection, auth,
        $"The token ({auth.Source}) must belong to a user with at least the Developer role in the project and have the 'api' scope ('read_api' only reads).",
        "GitLab answers 404 when the project does not exist, the token cannot see it, or the GitLab version lacks this endpoint (17.9 or later is needed): check the project path and the token's access.");
}
