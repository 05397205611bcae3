using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Http;

namespace MlflowMsBuild.Core.RestApi;

/// <summary>
/// Where a run's or a model version's files live, resolved to HTTP the way the mlflow Python client does:
/// <c>mlflow-artifacts:/&lt;p&gt;</c> goes through the tracking server's artifact proxy
/// (<c>{tracking}/api/2.0/mlflow-artifacts/artifacts/&lt;p&gt;</c>, listable); an http(s) URI into that proxy is
/// the same thing; any other http(s) URI is used as is (readable and writable file by file, not listable).
/// </summary>
public sealed record ArtifactLocation
{
    internal const string ProxyEndpoint = "api/2.0/mlflow-artifacts/artifacts";

    private ArtifactLocation(Uri? proxyRoot, string proxyPath, Uri? plainBase)
    {
        ProxyRoot = proxyRoot;
        ProxyPath = proxyPath;
        PlainBase = plainBase;
    }

    /// <summary><c>…/api/2.0/mlflow-artifacts/artifacts</c> of the serving server, when the files are behind the proxy.</summary>
    public Uri? ProxyRoot { get; }

    /// <summary>The path under <see cref="ProxyRoot"/>, without leading or trailing '/'.</summary>
    public string ProxyPath { get; }

    /// <summary>A plain http(s) folder when the files are not behind the proxy.</summary>
    public Uri? PlainBase { get; }

    public bool IsListable => ProxyRoot is not null;

    /// <summary>The address of one file, <paramref name="relativePath"/> being '/'-separated.</summary>
    public Uri FileUri(string relativePath)
    {
        var escaped = string.Join('/', relativePath.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.EscapeDataString));
        if (ProxyRoot is not null)
        {
            return new Uri(ProxyRoot.AbsoluteUri.TrimEnd('/') + "/" + EscapePath(ProxyPath) + (escaped.Length > 0 ? "/" + escaped : ""));
        }

        return new Uri(PlainBase!.AbsoluteUri.TrimEnd('/') + "/" + escaped);
    }

    public ArtifactLocation Child(string relativePath)
    {
        var trimmed = relativePath.Trim('/');
        return ProxyRoot is not null
            ? new ArtifactLocation(ProxyRoot, string.Join('/', new[] { ProxyPath, trimmed }.Where(p => p.Length > 0)), null)
            : new ArtifactLocation(null, "", new Uri(PlainBase!.AbsoluteUri.TrimEnd('/') + "/" + trimmed + "/"));
    }

    /// <summary>The folder holding this location and the location's own name, when it is behind the proxy and has a parent.</summary>
    public (ArtifactLocation Folder, string Name)? SplitName()
    {
        var slash = ProxyPath.LastIndexOf('/');
        return ProxyRoot is null || slash < 0 ? null : (new ArtifactLocation(ProxyRoot, ProxyPath[..slash], null), ProxyPath[(slash + 1)..]);
    }

    /// <summary>Resolves an artifact URI as the server gave it (<c>runs:/</c> and <c>models:/</c> are resolved by the caller).</summary>
    /// <param name="describe">Names what the files belong to in the error, e.g. "model 'x' version 2".</param>
    public static ArtifactLocation Resolve(string artifactUri, Uri trackingUri, Func<string, MlflowException> unsupported)
    {
        if (artifactUri.StartsWith("mlflow-artifacts:", StringComparison.Ordinal))
        {
            var rest = artifactUri["mlflow-artifacts:".Length..];
            var root = trackingUri;
            if (rest.StartsWith("//", StringComparison.Ordinal))
            {
                // mlflow-artifacts://host:port/path names the serving host; the scheme stays the tracking server's.
                var authorityEnd = rest.IndexOf('/', 2);
                var authority = authorityEnd < 0 ? rest[2..] : rest[2..authorityEnd];
                rest = authorityEnd < 0 ? "" : rest[authorityEnd..];
                if (authority.Length > 0)
                {
                    root = new Uri($"{trackingUri.Scheme}://{authority}/");
                }
            }

            return new ArtifactLocation(MlflowRestClient.BuildUri(root, ProxyEndpoint), Uri.UnescapeDataString(rest.Trim('/')), null);
        }

        if (Uri.TryCreate(artifactUri, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            var marker = "/" + ProxyEndpoint;
            var index = uri.AbsolutePath.IndexOf(marker, StringComparison.Ordinal);
            if (index >= 0)
            {
                var root = new Uri(uri.GetLeftPart(UriPartial.Authority) + uri.AbsolutePath[..(index + marker.Length)]);
                return new ArtifactLocation(root, Uri.UnescapeDataString(uri.AbsolutePath[(index + marker.Length)..].Trim('/')), null);
            }

            return new ArtifactLocation(null, "", uri);
        }

        throw unsupported(artifactUri.Contains(':', StringComparison.Ordinal)
            ? $"the scheme '{artifactUri.Split(':')[0]}' is not served over HTTP by the tracking server"
            : "it is not a URI");
    }

    private static string EscapePath(string path) => string.Join('/', path.Split('/').Select(Uri.EscapeDataString));
}
