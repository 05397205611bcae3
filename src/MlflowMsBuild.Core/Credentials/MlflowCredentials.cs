using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using MlflowMsBuild.Core.Credentials.Python;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Settings;

namespace MlflowMsBuild.Core.Credentials;

/// <summary>How the MLflow client authenticates: HTTP basic or a bearer token.</summary>
public enum MlflowAuthKind
{
    Basic,
    Bearer,
}

/// <summary>The <c>Authorization</c> header for an MLflow tracking server.</summary>
[DebuggerDisplay("{ToString(),nq}")]
public sealed class MlflowAuth
{
    private MlflowAuth(MlflowAuthKind kind, string? username, Secret secret, string source)
    {
        Kind = kind;
        Username = username;
        Secret = secret;
        Source = source;
    }

    public MlflowAuthKind Kind { get; }

    /// <summary>The user name for <see cref="MlflowAuthKind.Basic"/>; null for a token.</summary>
    public string? Username { get; }

    /// <summary>The password (basic) or the token (bearer).</summary>
    public Secret Secret { get; }

    /// <summary>Where the credentials came from. Safe to show.</summary>
    public string Source { get; }

    public static MlflowAuth Bearer(Secret token, string source) => new(MlflowAuthKind.Bearer, null, token, source);

    public static MlflowAuth Basic(string username, Secret password, string source) =>
        new(MlflowAuthKind.Basic, username ?? throw new ArgumentNullException(nameof(username)), password, source);

    /// <summary>The <c>Authorization</c> header value: <c>Bearer &lt;token&gt;</c> or <c>Basic &lt;base64(user:password)&gt;</c>
    /// (UTF-8, as the mlflow Python client encodes it).</summary>
    public Secret AuthorizationValue() => new(Scheme + " " + Parameter());

    /// <summary>Sets the <c>Authorization</c> header of a request.</summary>
    public void ApplyTo(HttpRequestHeaders headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        headers.Authorization = new AuthenticationHeaderValue(Scheme, Parameter());
    }

    public override string ToString() => Kind == MlflowAuthKind.Basic
        ? $"Authorization: Basic {Secret.Redacted} (user '{Username}', from {Source})"
        : $"Authorization: Bearer {Secret.Redacted} (from {Source})";

    private string Scheme => Kind == MlflowAuthKind.Basic ? "Basic" : "Bearer";

    private string Parameter() => Kind == MlflowAuthKind.Basic
        ? Convert.ToBase64String(Encoding.UTF8.GetBytes(Username + ":" + Secret.Reveal()))
        : Secret.Reveal();
}

/// <summary>What the MLflow client needs besides the tracking URI. <see cref="ToString"/> shows no secret.</summary>
/// <param name="Auth">The credentials; null for none.</param>
/// <param name="VerifyTls">False when <c>MLFLOW_TRACKING_INSECURE_TLS</c> is true.</param>
/// <param name="ServerCertificatePath">A CA bundle (file or folder) to trust instead of the system's
/// (<c>MLFLOW_TRACKING_SERVER_CERT_PATH</c>), full path, or null.</param>
/// <param name="ClientCertificatePath">A client certificate, PEM with its key
/// (<c>MLFLOW_TRACKING_CLIENT_CERT_PATH</c>), full path, or null.</param>
public sealed record MlflowConnectionSettings(
    MlflowAuth? Auth, bool VerifyTls, string? ServerCertificatePath, string? ClientCertificatePath)
{
    /// <summary>Credentials found but kept from this server because they are for another one; null when none were.</summary>
    public HeldBackCredentials? HeldBack { get; init; }

    /// <summary><c>MLFLOW_HTTP_REQUEST_TIMEOUT</c>, else <see cref="MlflowCredentials.DefaultRequestTimeout"/>
    /// (<see cref="Http.RegistryServerOptions.RequestTimeout"/>).</summary>
    public TimeSpan RequestTimeout { get; init; } = MlflowCredentials.DefaultRequestTimeout;

    /// <summary>From <c>MLFLOW_HTTP_REQUEST_MAX_RETRIES</c> and <c>MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR</c> (<see cref="MlflowRetryVariables"/>).</summary>
    public Http.RetrySettings Retry { get; init; } = Http.RetrySettings.Default;
}

/// <summary>
/// Reads the MLflow client's credentials from the environment as the mlflow Python client does
/// (<c>mlflow/utils/credentials.py</c>, <c>mlflow/utils/rest_utils.py</c>):
/// <list type="bullet">
/// <item>User name and password: <c>MLFLOW_TRACKING_USERNAME</c> / <c>MLFLOW_TRACKING_PASSWORD</c>, each falling back
/// to <c>mlflow_tracking_username</c> / <c>mlflow_tracking_password</c> in the <c>[mlflow]</c> section of
/// <c>~/.mlflow/credentials</c>.</item>
/// <item>Precedence: when both a user name and a password are present, HTTP basic; else
/// <c>MLFLOW_TRACKING_TOKEN</c> as <c>Authorization: Bearer</c>; else none. (The mlflow documentation says the token
/// wins, but its code sends basic authentication whenever both user name and password are set; we do what the code
/// does, so the same environment behaves the same with both clients.)</item>
/// <item>Only one of user name and password, and no token: <see cref="MlfError.MlflowBasicAuthIncomplete"/>
/// (mlflow silently sends nothing).</item>
/// <item><c>MLFLOW_TRACKING_INSECURE_TLS</c>: <c>true</c>/<c>false</c>/<c>1</c>/<c>0</c> (any case), else
/// <see cref="MlfError.EnvironmentBooleanInvalid"/>; true together with <c>MLFLOW_TRACKING_SERVER_CERT_PATH</c> is
/// <see cref="MlfError.MlflowTlsSettingsConflict"/>, as in mlflow.</item>
/// <item><c>MLFLOW_TRACKING_SERVER_CERT_PATH</c>, <c>MLFLOW_TRACKING_CLIENT_CERT_PATH</c>: must exist
/// (<see cref="MlfError.CertificateFileMissing"/>); relative to the working folder.</item>
/// <item>An http(s) <c>MLFLOW_TRACKING_URI</c> with a user name or password in it (other schemes, such as mlflow's
/// <c>databricks://scope:prefix@profile</c>, are not ours to judge): <see cref="MlfError.RegistryAddressHoldsCredentials"/>
/// (<see cref="AddressUserInfo"/>); mlflow would send them, but they belong in the variables above.</item>
/// <item><c>MLFLOW_HTTP_REQUEST_TIMEOUT</c>: whole seconds, 120 when unset, as in mlflow
/// (<c>mlflow/environment_variables.py</c>); not a number from 1 to <see cref="MaxRequestTimeoutSeconds"/> is
/// <see cref="MlfError.RequestTimeoutInvalid"/>. Like requests' read timeout in mlflow, it bounds each wait for the
/// server, not a whole transfer.</item>
/// <item><c>MLFLOW_HTTP_REQUEST_MAX_RETRIES</c>, <c>MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR</c>: see <see cref="MlflowRetryVariables"/>.</item>
/// </list>
/// An empty variable counts as unset. Every value loses the whitespace around it, and one with a control character
/// inside is <see cref="MlfError.CredentialValueInvalid"/> (<see cref="CredentialText"/>).
/// </summary>
public static class MlflowCredentials
{
    public const string UsernameVariable = "MLFLOW_TRACKING_USERNAME";
    public const string PasswordVariable = "MLFLOW_TRACKING_PASSWORD";
    public const string TokenVariable = "MLFLOW_TRACKING_TOKEN";
    public const string InsecureTlsVariable = "MLFLOW_TRACKING_INSECURE_TLS";
    public const string ServerCertVariable = "MLFLOW_TRACKING_SERVER_CERT_PATH";
    public const string ClientCertVariable = "MLFLOW_TRACKING_CLIENT_CERT_PATH";
    public const string RequestTimeoutVariable = "MLFLOW_HTTP_REQUEST_TIMEOUT";

    /// <summary>mlflow's default for <see cref="RequestTimeoutVariable"/> (<c>mlflow/environment_variables.py</c>).</summary>
    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(120);

    /// <summary>The longest timeout a .NET timer takes (<see cref="int.MaxValue"/> milliseconds), in whole seconds.</summary>
    public const int MaxRequestTimeoutSeconds = int.MaxValue / 1000;

    /// <summary>The variable naming the server the MLflow credentials are for.</summary>
    public const string TrackingUriVariable = "MLFLOW_TRACKING_URI";

    /// <summary>The section of <c>~/.mlflow/credentials</c> mlflow reads.</summary>
    public const string CredentialsFileSection = "mlflow";

    /// <summary>The settings for the server <c>MLFLOW_TRACKING_URI</c> names (or for any server when it names none).</summary>
    public static MlflowConnectionSettings Resolve(CredentialEnvironment environment) => Resolve(environment, null);

    /// <summary>
    /// The settings for <paramref name="server"/>. The credentials are for the server <c>MLFLOW_TRACKING_URI</c> names
    /// (scheme, host and port; the path does not matter, as with git's credentials): when it is set and names another
    /// server (or no http(s) server), <see cref="MlflowConnectionSettings.Auth"/> is null and
    /// <see cref="MlflowConnectionSettings.HeldBack"/> says why. When it is unset they go to <paramref name="server"/>,
    /// the one tracking server in use, as the mlflow client sends them to its tracking URI.
    /// </summary>
    /// <param name="server">The tracking server the requests go to; null to skip the check.</param>
    public static MlflowConnectionSettings Resolve(CredentialEnvironment environment, Uri? server)
    {
        ArgumentNullException.ThrowIfNull(environment);

        var (fileUsername, filePassword, file) = ReadCredentialsFile(environment);
        var envUsername = CredentialText.Clean(environment.GetVariable(UsernameVariable), UsernameVariable);
        var envPassword = CredentialText.Clean(environment.GetVariable(PasswordVariable), PasswordVariable);
        var username = envUsername ?? CredentialText.Clean(fileUsername, $"mlflow_tracking_username in {file}");
        var password = envPassword ?? CredentialText.Clean(filePassword, $"mlflow_tracking_password in {file}");
        var token = CredentialText.Clean(environment.GetVariable(TokenVariable), TokenVariable);

        MlflowAuth? auth = null;
        if (username is not null && password is not null)
        {
            var usernameSource = envUsername is not null ? UsernameVariable : $"mlflow_tracking_username in {file}";
            var passwordSource = envPassword is not null ? PasswordVariable : $"mlflow_tracking_password in {file}";
            auth = MlflowAuth.Basic(username, new Secret(password), $"{usernameSource} and {passwordSource}");
        }
        else if (token is not null)
        {
            auth = MlflowAuth.Bearer(new Secret(token), TokenVariable);
        }
        else if (username is not null || password is not null)
        {
            throw username is not null
                ? new MlflowException(MlfError.MlflowBasicAuthIncomplete, UsernameVariable, PasswordVariable)
                : new MlflowException(MlfError.MlflowBasicAuthIncomplete, PasswordVariable, UsernameVariable);
        }

        var insecure = BooleanSetting.ParseOptional(InsecureTlsVariable, environment.GetVariable(InsecureTlsVariable)) ?? false;

        var serverCert = CertificatePath(environment, ServerCertVariable);
        if (insecure && serverCert is not null)
        {
            throw new MlflowException(MlfError.MlflowTlsSettingsConflict);
        }

        var clientCert = CertificatePath(environment, ClientCertVariable);
        if (environment.GetVariable(TrackingUriVariable) is { } trackingUri && Uri.TryCreate(trackingUri.Trim(), UriKind.Absolute, out var tracking)
            && tracking.Scheme is "http" or "https")
        {
            AddressUserInfo.Refuse(tracking, TrackingUriVariable, gitlab: false);
        }

        var timeout = RequestTimeout(environment.GetVariable(RequestTimeoutVariable));
        var retry = MlflowRetryVariables.Read(environment);
        HeldBackCredentials? heldBack = null;
        if (auth is not null && server is not null && environment.GetVariable(TrackingUriVariable) is { } named && !SameServer(named, server))
        {
            heldBack = new HeldBackCredentials(
                $"{auth.Source} {(auth.Kind == MlflowAuthKind.Basic ? "are" : "is")} for {DisplayUri(named)} ({TrackingUriVariable}) only",
                $"To authenticate to this server, set {TrackingUriVariable} to {DisplayUri(server.GetLeftPart(UriPartial.Authority))} (or leave MlflowRegistry empty to use the server {TrackingUriVariable} names).");
            auth = null;
        }

        return new MlflowConnectionSettings(auth, !insecure, serverCert, clientCert) { HeldBack = heldBack, RequestTimeout = timeout, Retry = retry };
    }

    /// <summary>mlflow reads the variable with Python's <c>int()</c> (<see cref="Python.PythonText.Int"/>).</summary>
    private static TimeSpan RequestTimeout(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return DefaultRequestTimeout;
        }

        return Python.PythonText.Int(value) is > 0 and <= MaxRequestTimeoutSeconds and var seconds
            ? TimeSpan.FromSeconds(seconds)
            : throw new MlflowException(MlfError.RequestTimeoutInvalid, RequestTimeoutVariable, value, MaxRequestTimeoutSeconds, (int)DefaultRequestTimeout.TotalSeconds);
    }

    /// <summary>Same scheme, host (ignoring case) and port.</summary>
    private static bool SameServer(string named, Uri server) =>
        Uri.TryCreate(named.Trim(), UriKind.Absolute, out var uri)
        && uri.Scheme is "http" or "https"
        && string.Equals(uri.Scheme, server.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(uri.IdnHost, server.IdnHost, StringComparison.OrdinalIgnoreCase)
        && uri.Port == server.Port;

    private static string DisplayUri(string text) => GitLabServerAddress.Display(text);

    private static string? CertificatePath(CredentialEnvironment environment, string variable)
    {
        if (environment.GetVariable(variable) is not { } path)
        {
            return null;
        }

        var full = environment.FullPath(path);
        return File.Exists(full) || Directory.Exists(full)
            ? full
            : throw new MlflowException(MlfError.CertificateFileMissing, variable, full);
    }

    /// <summary>mlflow's <c>_read_mlflow_creds_from_file</c>: nothing when the file or its <c>[mlflow]</c> section is
    /// missing; the values go through configparser's <c>%</c> interpolation.</summary>
    private static (string? Username, string? Password, string File) ReadCredentialsFile(CredentialEnvironment environment)
    {
        if (environment.HomeDirectory is not { } home)
        {
            return (null, null, string.Empty);
        }

        var path = Path.Combine(home, ".mlflow", "credentials");
        if (!File.Exists(path))
        {
            return (null, null, path);
        }

        var parser = new ConfigParserFile();
        try
        {
            parser.ReadFile(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return (null, null, path); // configparser.read skips a file it cannot open.
        }

        if (!parser.HasSection(CredentialsFileSection))
        {
            return (null, null, path);
        }

        static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
        return (
            NonEmpty(parser.Get(CredentialsFileSection, UsernameVariable.ToLowerInvariant())),
            NonEmpty(parser.Get(CredentialsFileSection, PasswordVariable.ToLowerInvariant())),
            path);
    }
}
