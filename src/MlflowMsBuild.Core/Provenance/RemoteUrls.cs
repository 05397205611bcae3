using System.Text.RegularExpressions;

namespace MlflowMsBuild.Core.Provenance;

/// <summary>Derives web addresses from git remote URLs (https, ssh and scp-like forms; GitLab and GitHub).</summary>
public static partial class RemoteUrls
{
    // git@host:group/sub/project.git; a one-letter "host" is a Windows drive (C:\repos), not a host.
    [GeneratedRegex(@"\A(?:[^@/\\]+@)?(?<host>[^:/\\]{2,}):(?!//)(?<path>[^\\]+?)(?:\.git)?/?\z")]
    private static partial Regex ScpLike();

    /// <summary>The remote URL without user name and password (CI clones carry a token there).</summary>
    public static string WithoutCredentials(string remoteUrl)
    {
        if (Uri.TryCreate(remoteUrl, UriKind.Absolute, out var uri) && !string.IsNullOrEmpty(uri.UserInfo) && uri.Scheme is "https" or "http")
        {
            return new UriBuilder(uri) { UserName = "", Password = "" }.Uri.AbsoluteUri;
        }

        if (Uri.TryCreate(remoteUrl, UriKind.Absolute, out uri) && uri.UserInfo.Contains(':', StringComparison.Ordinal))
        {
            // ssh://user:password@host/... keeps the user (it selects the account), never the password.
            return new UriBuilder(uri) { Password = "" }.Uri.AbsoluteUri;
        }

        return remoteUrl;
    }

    /// <summary>The project's web address (https), or null when the remote is not a network URL.</summary>
    public static string? ProjectWebUrl(string remoteUrl)
    {
        var url = remoteUrl.Trim();
        if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "file")
        {
            return null;
        }

        if (uri is not null && uri.Scheme is "https" or "http" or "ssh" or "git")
        {
            var path = uri.AbsolutePath.Trim('/');
            if (path.EndsWith(".git", StringComparison.Ordinal))
            {
                path = path[..^4];
            }

            var scheme = uri.Scheme == "http" ? "http" : "https";
            var port = uri.Scheme is "http" or "https" && !uri.IsDefaultPort ? ":" + uri.Port : "";
            return path.Length == 0 ? null : $"{scheme}://{uri.Host}{port}/{path}";
        }

        var match = ScpLike().Match(url);
        return match.Success && !url.StartsWith('/') ? $"https://{match.Groups["host"].Value}/{match.Groups["path"].Value.Trim('/')}" : null;
    }

    /// <summary>The commit's page: <c>/commit/sha</c> on GitHub, <c>/-/commit/sha</c> elsewhere (GitLab).</summary>
    public static string? CommitWebUrl(string remoteUrl, string commitSha)
    {
        var project = ProjectWebUrl(remoteUrl);
        if (project is null)
        {
            return null;
        }

        var isGitHub = new Uri(project).Host.Equals("github.com", StringComparison.OrdinalIgnoreCase);
        return isGitHub ? $"{project}/commit/{commitSha}" : $"{project}/-/commit/{commitSha}";
    }
}
