using MlflowMsBuild.Core.Credentials.Python;
using MlflowMsBuild.Core.Errors;

namespace MlflowMsBuild.Core.Credentials;

/// <summary>
/// A GitLab server as a setting names it: a host (<c>gitlab.example.com</c>, <c>gitlab.example.com:8443</c>) or a URL
/// (<c>https://gitlab.example.com/gitlab</c>). Matching a python-gitlab section compares host names (ignoring case)
/// and the port when one is known.
/// </summary>
internal sealed class GitLabServerAddress
{
    private GitLabServerAddress(Uri url, int? port, bool hostOnly)
    {
        Url = url;
        Port = port;
        HostOnly = hostOnly;
    }

    /// <summary>The base URL, always ending with <c>/</c>.</summary>
    public Uri Url { get; }

    /// <summary>The port to match; null matches any (a bare host name without a port).</summary>
    public int? Port { get; }

    /// <summary>True when only a host (and maybe a port) was given: a matching section may supply the scheme and path.</summary>
    public bool HostOnly { get; }

    /// <summary>Parses a setting or variable.</summary>
    /// <param name="origin">Where the text came from, for the error message (e.g. "CI_SERVER_URL").</param>
    /// <exception cref="MlflowException"><see cref="MlfError.GitLabServerInvalid"/>.</exception>
    public static GitLabServerAddress Parse(string text, string origin)
    {
        var error = TryParse(text, out var address);
        return address ?? throw new MlflowException(MlfError.GitLabServerInvalid, Display(text), origin, error!);
    }

    /// <summary>Null and a reason when <paramref name="text"/> is not a usable address.</summary>
    public static string? TryParse(string text, out GitLabServerAddress? address)
    {
        address = null;
        var trimmed = text.Trim();
        var hasScheme = trimmed.Contains("://", StringComparison.Ordinal);
        if (!Uri.TryCreate(hasScheme ? trimmed : "https://" + trimmed, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
        {
            return "it is neither a host name nor an http(s) URL";
        }

        if (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
        {
            return $"the scheme must be https or http, not '{uri.Scheme}'";
        }

        if (uri.UserInfo.Length > 0)
        {
            return "it holds a user name or password; put the token in GITLAB_TOKEN or ~/.python-gitlab.cfg instead";
        }

        if (uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            return "a server address has no query (?...) or fragment (#...)";
        }

        var path = uri.AbsolutePath.EndsWith('/') ? uri.AbsolutePath : uri.AbsolutePath + "/";
        var normalized = new UriBuilder(uri.Scheme, uri.Host, uri.Port, path).Uri;
        address = hasScheme
            ? new GitLabServerAddress(normalized, uri.Port, hostOnly: false)
            : new GitLabServerAddress(normalized, uri.IsDefaultPort ? null : uri.Port, hostOnly: uri.AbsolutePath == "/");
        return null;
    }

    /// <summary>True when <paramref name="other"/> is the same server: same host, and same port when known.</summary>
    public bool Matches(GitLabServerAddress other) =>
        string.Equals(Url.IdnHost, other.Url.IdnHost, StringComparison.OrdinalIgnoreCase)
        && (Port is null || other.Port is null || Port == other.Port);

    /// <summary>Text safe to show for a server address that may hold a user name and password: whatever stands
    /// between <c>://</c> and the last <c>@</c> of the authority becomes <c>***</c>.</summary>
    public static string Display(string text)
    {
        var trimmed = text.Trim();
        var schemeEnd = trimmed.IndexOf("://", StringComparison.Ordinal);
        var authorityStart = schemeEnd < 0 ? 0 : schemeEnd + 3;
        var authorityEnd = trimmed.IndexOfAny(['/', '?', '#'], authorityStart);
        if (authorityEnd < 0)
        {
            authorityEnd = trimmed.Length;
        }

        if (authorityEnd <= authorityStart)
        {
            return trimmed;
        }

        var at = trimmed.LastIndexOf('@', authorityEnd - 1, authorityEnd - authorityStart);
        return at < 0 ? trimmed : trimmed[..authorityStart] + Secret.Redacted + trimmed[at..];
    }

    public override string ToString() => Url.ToString();
}
