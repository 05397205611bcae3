using MlflowMsBuild.Core.Credentials.Python;
using MlflowMsBuild.Core.Errors;

namespace MlflowMsBuild.Core.Credentials;

/// <summary>Everything needed to talk to one GitLab server. <see cref="ToString"/> shows no secret.</summary>
/// <param name="Server">The GitLab base URL (e.g. <c>https://gitlab.example.com/</c>), always ending with <c>/</c>.</param>
/// <param name="Auth">The token to send; null when none was found (anonymous requests).</param>
/// <param name="VerifyTls">False only when python-gitlab's <c>ssl_verify</c> says so.</param>
/// <param name="CaCertificatePath">A CA bundle (file or folder) to trust instead of the system's, or null.</param>
/// <param name="Timeout">python-gitlab's <c>timeout</c> (60 s unless configured).</param>
/// <param name="Source">Where the server, the token and the settings came from. Safe to show.</param>
public sealed record GitLabConnection(
    Uri Server, GitLabAuth? Auth, bool VerifyTls, string? CaCertificatePath, TimeSpan Timeout, string Source)
{
    /// <summary>A token found but kept from this server because <c>CI_SERVER_URL</c> names another; null when none was.</summary>
    public HeldBackCredentials? HeldBack { get; init; }

    /// <summary>True when the token is a CI job token, which GitLab refuses on its MLflow endpoints.</summary>
    public bool IsJobToken => Auth?.IsJobToken == true;

    /// <summary>The token, for endpoints that need one.</summary>
    /// <param name="allowJobToken">False on endpoints that refuse job tokens (GitLab's MLflow API).</param>
    /// <exception cref="MlflowException"><see cref="MlfError.GitLabTokenMissing"/> when there is no token,
    /// <see cref="MlfError.CredentialsForAnotherServer"/> when one was held back (<see cref="HeldBack"/>);
    /// <see cref="MlfError.GitLabJobTokenNotAccepted"/> for a job token when it is not allowed.</exception>
    public GitLabAuth RequireAuth(bool allowJobToken = false)
    {
        if (Auth is null)
        {
            throw HeldBack is { } heldBack
                ? new MlflowException(MlfError.CredentialsForAnotherServer, $"GitLab server '{Server.GetLeftPart(UriPartial.Authority)}'", "", heldBack.Reason, heldBack.Fix)
                : new MlflowException(MlfError.GitLabTokenMissing, Server.GetLeftPart(UriPartial.Authority));
        }

        if (Auth.IsJobToken && !allowJobToken)
        {
            throw new MlflowException(MlfError.GitLabJobTokenNotAccepted, Auth.Source);
        }

        return Auth;
    }
}

/// <summary>
/// Finds the GitLab server and credentials to use.
/// <para><b>Server</b>, first found wins:</para>
/// <list type="number">
/// <item>the host or URL the <c>MlflowRegistry</c> setting names (for a bare host name, the <c>url</c> of the
/// python-gitlab section chosen below supplies scheme, port and path; else <c>https://host/</c>);</item>
/// <item>the <c>url</c> of python-gitlab's default section (<c>[global] default</c>);</item>
/// <item><c>CI_SERVER_URL</c> (set in GitLab CI).</item>
/// </list>
/// <para><b>Token</b>, first found wins (every kind is sent as <c>Authorization: Bearer</c>: see <see cref="GitLabAuth"/>):</para>
/// <list type="number">
/// <item><c>GITLAB_TOKEN</c> (the glab CLI's name);</item>
/// <item><c>GITLAB_PRIVATE_TOKEN</c> then <c>GITLAB_OAUTH_TOKEN</c>, the python-gitlab CLI's names;</item>
/// <item><c>MLFLOW_TRACKING_TOKEN</c> (as the mlflow client sends it; GitLab's MLflow
/// documentation sets it to an access token beside <c>MLFLOW_TRACKING_URI</c> = the project's tracking URI), only when
/// <c>MLFLOW_TRACKING_URI</c> is unset or names this server (scheme, host and port);</item>
/// <item>python-gitlab's configuration (<c>PYTHON_GITLAB_CFG</c>, else <c>/etc/python-gitlab.cfg</c> and
/// <c>~/.python-gitlab.cfg</c>): the default section if its <c>url</c> is the server, then every other section whose
/// <c>url</c> is the server, in file order; within a section <c>private_token</c>, then
/// <c>oauth_token</c>, then <c>job_token</c>. A <c>helper:</c>
/// value runs only when its token is the one used;</item>
/// <item>in GitLab CI (<c>GITLAB_CI=true</c> or <c>CI=true</c>), <c>CI_JOB_TOKEN</c>, only when the
/// server is the job's own <c>CI_SERVER_URL</c> server, so the job token never goes to another server;</item>
/// <item>none: requests go unauthenticated (<see cref="GitLabConnection.RequireAuth"/> turns that into an error).</item>
/// </list>
/// <para>Tokens stay with their server. <c>CI_SERVER_URL</c>, when set (GitLab CI sets it), names the one server the
/// variables <c>GITLAB_TOKEN</c>, <c>GITLAB_PRIVATE_TOKEN</c>, <c>GITLAB_OAUTH_TOKEN</c> and <c>CI_JOB_TOKEN</c> are
/// for: another server gets none of them, and <see cref="GitLabConnection.RequireAuth"/> says so
/// (<see cref="MlfError.CredentialsForAnotherServer"/>). Without <c>CI_SERVER_URL</c> nothing names their server, and
/// they apply to whichever server was chosen, as python-gitlab's and glab's command lines apply theirs. A python-gitlab
/// section's tokens go only to its <c>url</c>. "Is the server" compares host names (ignoring case) and ports. <b>TLS and timeout</b> (<c>ssl_verify</c>, <c>timeout</c>) come from the section the token came from, else
/// the first section whose url is the server, else <c>[global]</c>; python-gitlab's defaults are: verify, 60 s.
/// An empty variable counts as unset.</para>
/// </summary>
public static class GitLabCredentials
{
    public const string TokenVariable = "GITLAB_TOKEN";
    public const string PrivateTokenVariable = "GITLAB_PRIVATE_TOKEN";
    public const string OAuthTokenVariable = "GITLAB_OAUTH_TOKEN";
    public const string CiServerUrlVariable = "CI_SERVER_URL";
    public const string CiJobTokenVariable = "CI_JOB_TOKEN";
    public const string MlflowTokenVariable = MlflowCredentials.TokenVariable;

    /// <summary>Where a GitLab server's request timeout is set, as MLF6007 names it.</summary>
    public const string TimeoutSetting = "python-gitlab's timeout (seconds, in the server's section or [global] of ~/" + PythonGitLabConfig.UserFileName + ")";

    private const string SettingOrigin = "the MlflowRegistry setting";

    private static readonly (string Variable, GitLabTokenKind Kind)[] TokenVariables =
    [
        (TokenVariable, GitLabTokenKind.Private),
        (PrivateTokenVariable, GitLabTokenKind.Private),
        (OAuthTokenVariable, GitLabTokenKind.OAuth),
    ];

    /// <summary>Resolves the connection, reading python-gitlab's configuration from where python-gitlab would.</summary>
    /// <param name="server">The host or URL the <c>MlflowRegistry</c> setting names, or null.</param>
    /// <exception cref="MlflowException">The 5xxx codes of <see cref="MlfError"/>.</exception>
    public static GitLabConnection Resolve(string? server, CredentialEnvironment environment) =>
        Resolve(server, environment, PythonGitLabConfig.Load(environment));

    /// <summary>Resolves the connection with an already loaded python-gitlab configuration.</summary>
    public static GitLabConnection Resolve(string? server, CredentialEnvironment environment, PythonGitLabConfig config)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(config);

        var (wanted, serverSource) = FindServer(server, environment, config);
        var matching = MatchingSections(config, wanted);

        GitLabAuth? auth = null;
        GitLabConfigSection? settingsSection = null;
        HeldBackCredentials? heldBack = null;
        var ciAddress = environment.GetVariable(CiServerUrlVariable) is { } ciUrl
            && GitLabServerAddress.TryParse(ciUrl, out var parsedCi) is null ? parsedCi : null;
        foreach (var (variable, kind) in TokenVariables)
        {
            if (CredentialText.CleanSecret(environment.GetVariable(variable), variable) is { } value)
            {
                if (ciAddress is not null && !wanted.Matches(ciAddress))
                {
                    heldBack = HeldBackFor(variable, ciAddress, wanted);
                    break;
                }

                auth = new GitLabAuth(kind, value, variable);
                break;
            }
        }

        if (auth is null
            && CredentialText.CleanSecret(environment.GetVariable(MlflowTokenVariable), MlflowTokenVariable) is { } mlflowToken)
        {
            var trackingUri = environment.GetVariable(MlflowCredentials.TrackingUriVariable);
            GitLabServerAddress? trackingServer = null;
            if (trackingUri is null
                || (trackingUri.Contains("://", StringComparison.Ordinal) && GitLabServerAddress.TryParse(trackingUri, out trackingServer) is null && wanted.Matches(trackingServer!)))
            {
                auth = new GitLabAuth(GitLabTokenKind.OAuth, mlflowToken, MlflowTokenVariable);
            }
            else
            {
                heldBack ??= new HeldBackCredentials(
                    $"{MlflowTokenVariable} is for {GitLabServerAddress.Display(trackingUri)} ({MlflowCredentials.TrackingUriVariable}) only",
                    $"To authenticate to {wanted.Url} with it, set {MlflowCredentials.TrackingUriVariable} to that server's project tracking URI (<server>/api/v4/projects/<id>/ml/mlflow), or set GITLAB_TOKEN.");
            }
        }

        if (auth is null)
        {
            foreach (var section in matching)
            {
                settingsSection ??= section;
                foreach (var kind in GitLabConfigSection.TokenPrecedence)
                {
                    if (section.GetToken(kind) is { } token)
                    {
                        auth = new GitLabAuth(kind, token, section.Describe(GitLabConfigSection.KeyOf(kind)));
                        settingsSection = section;
                        break;
                    }
                }

                if (auth is not null)
                {
                    break;
                }
            }
        }
        else
        {
            settingsSection = matching.FirstOrDefault();
        }

        if (auth is null && InGitLabCi(environment) && ciAddress is not null
            && CredentialText.CleanSecret(environment.GetVariable(CiJobTokenVariable), CiJobTokenVariable) is { } jobToken)
        {
            if (wanted.Matches(ciAddress))
            {
                auth = new GitLabAuth(GitLabTokenKind.Job, jobToken, CiJobTokenVariable + " (GitLab CI job)");
            }
            else
            {
                heldBack ??= HeldBackFor(CiJobTokenVariable, ciAddress, wanted);
            }
        }

        var url = wanted.Url;
        if (wanted.HostOnly && settingsSection?.Url is { } sectionUrl
            && GitLabServerAddress.TryParse(sectionUrl, out var sectionAddress) is null)
        {
            url = sectionAddress!.Url;
        }

        var settings = settingsSection?.Settings ?? config.GlobalSettings;
        var settingsSource = settingsSection is not null
            ? $"section [{settingsSection.Name}]"
            : config.Files.Count > 0 ? $"[{PythonGitLabConfig.GlobalSectionName}] or python-gitlab defaults" : "python-gitlab defaults";
        var source = $"server from {serverSource}; "
            + (auth is null ? "no token found" : $"token from {auth.Source}")
            + $"; TLS and timeout from {settingsSource}";

        return new GitLabConnection(url, auth, settings.VerifyTls, settings.CaCertificatePath, settings.Timeout, source)
        {
            HeldBack = auth is null ? heldBack : null,
        };
    }

    private static HeldBackCredentials HeldBackFor(string variable, GitLabServerAddress ciServer, GitLabServerAddress wanted) => new(
        $"{variable} is for {ciServer.Url} ({CiServerUrlVariable}) only",
        $"To authenticate to {wanted.Url}, add a section with url = {wanted.Url} and its private_token to ~/{PythonGitLabConfig.UserFileName} (or the file PYTHON_GITLAB_CFG names), or use a project on {ciServer.Url}.");

    /// <summary>True in a GitLab CI job (<c>GITLAB_CI=true</c> or <c>CI=true</c>).</summary>
    public static bool InGitLabCi(CredentialEnvironment environment) =>
        environment.IsTrue("GITLAB_CI") || environment.IsTrue("CI");

    private static (GitLabServerAddress Address, string Source) FindServer(
        string? server, CredentialEnvironment environment, PythonGitLabConfig config)
    {
        if (!string.IsNullOrWhiteSpace(server))
        {
            return (GitLabServerAddress.Parse(server, SettingOrigin), SettingOrigin);
        }

        if (config.GetDefaultSection() is { Url: { } url } section)
        {
            var origin = section.Describe("url");
            return (GitLabServerAddress.Parse(url, origin), origin);
        }

        if (environment.GetVariable(CiServerUrlVariable) is { } ciServer)
        {
            return (GitLabServerAddress.Parse(ciServer, CiServerUrlVariable), CiServerUrlVariable);
        }

        throw new MlflowException(MlfError.GitLabServerUnknown,
            config.Files.Count == 0 ? "no python-gitlab configuration file was found" : "none of " + string.Join(", ", config.Files) + " sets [global] default");
    }

    /// <summary>The default section if its url is the server, then the other sections whose url is, in file order.</summary>
    private static IEnumerable<GitLabConfigSection> MatchingSections(PythonGitLabConfig config, GitLabServerAddress wanted)
    {
        var defaultName = config.DefaultSectionName;
        var names = config.ServerSectionNames.Where(n => n == defaultName)
            .Concat(config.ServerSectionNames.Where(n => n != defaultName));
        foreach (var name in names)
        {
            if (config.Parser.Get(name, "url") is { Length: > 0 } url
                && GitLabServerAddress.TryParse(url, out var address) is null
                && url.Contains("://", StringComparison.Ordinal)
                && wanted.Matches(address!))
            {
                yield return config.GetSection(name)!;
            }
        }
    }
}
