using MlflowMsBuild.TestServer.Storage;

namespace MlflowMsBuild.TestServer.Mlflow;

/// <summary>One listing entry: basename (or run-relative path), directory flag, size of files.</summary>
internal sealed record ArtifactEntry(string Name, bool IsDirectory, long Size);

/// <summary>The artifact root the server proxies (<c>mlflow-artifacts:/</c>), a folder on disk.</summary>
internal sealed class MlflowArtifactStore(string root, string uploads)
{
    public string PathOf(string relative)
    {
        var full = Path.GetFullPath(Path.Combine(root, relative.Replace('/', Path.DirectorySeparatorChar)));
        var rootFull = Path.GetFullPath(root);
        return full == rootFull || full.StartsWith(rootFull + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? full
            : throw MlflowErrors.Invalid("Invalid path");
    }

    /// <summary>The relative path behind <c>mlflow-artifacts:/x/y</c>, or null for another scheme.</summary>
    public static string? RelativeOf(string uri)
    {
        const string Scheme = "mlflow-artifacts:";
        if (!uri.StartsWith(Scheme, StringComparison.Ordinal)) return null;
        var rest = uri[Scheme.Length..];
        if (rest.StartsWith("//", StringComparison.Ordinal))
        {
            var slash = rest.IndexOf('/', 2);
            rest = slash < 0 ? "" : rest[slash..];
        }
        return rest.Trim('/');
    }

    public Task<long> SaveAsync(string relative, Stream body, CancellationToken cancellationToken) =>
        ArtifactFiles.SaveAsync(body, PathOf(relative), uploads, cancellationToken);

    /// <summary>Direct children sorted by name; empty when the path is not a directory.</summary>
    public IReadOnlyList<ArtifactEntry> List(string relative)
    {
        var directory = PathOf(relative);
        if (!Directory.Exists(directory)) return [];
        return new DirectoryInfo(directory).EnumerateFileSystemInfos()
            .Select(i => new ArtifactEntry(i.Name, i is DirectoryInfo, i is FileInfo f ? f.Length : 0))
            .OrderBy(e => e.Name, StringComparer.Ordinal)
            .ToList();
    }

    public void Delete(string relative)
    {
        var path = PathOf(relative);
        if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
        else if (File.Exists(path)) File.Delete(path);
    }

    /// <summary>mlflow.server.handlers._guess_mime_type.</summary>
    public static string MimeType(string fileName)
    {
        var extension = Path.GetExtension(fileName).TrimStart('.');
        if (extension.Length == 0) extension = fileName;
        if (TextExtensions.Contains(extension)) return "text/plain";
        return extension.ToLowerInvariant() switch
        {
            "html" or "htm" => "text/html",
            "png" => "image/png",
            "jpg" or "jpeg" => "image/jpeg",
            "gif" => "image/gif",
            "svg" => "image/svg+xml",
            "pdf" => "application/pdf",
            "gz" or "tgz" => "application/gzip",
            "zip" => "application/zip",
            _ => "application/octet-stream",
        };
    }

    private static readonly HashSet<string> TextExtensions =
    [
        "txt", "log", "err", "cfg", "conf", "cnf", "cf", "ini", "properties", "prop", "hocon", "toml", "yaml", "yml", "xml",
        "json", "js", "py", "py3", "csv", "tsv", "md", "rst", "MLmodel", "mlproject",
    ];
}
