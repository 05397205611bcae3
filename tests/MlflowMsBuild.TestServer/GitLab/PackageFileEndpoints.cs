using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MlflowMsBuild.TestServer.Http;
using MlflowMsBuild.TestServer.Storage;

namespace MlflowMsBuild.TestServer.GitLab;

/// <summary>
/// Files of model versions and candidates: upload/download at the run's artifact_uri
/// (<c>/api/v4/projects/:id/packages/ml_models/:owner/files/(*path/):file_name</c>), the flat read-only
/// mlflow-artifacts listing and download, and (optionally) object-storage redirects.
/// </summary>
internal sealed partial class PackageFileEndpoints(GitLabContext context, TestServerOptions options)
{
    public const string ObjectStoragePrefix = "_object_storage/";
    private const string Artifacts = "api/v4/projects/{id}/ml/mlflow/api/2.0/mlflow-artifacts/";
    private const string Packages = "api/v4/projects/{id}/packages/ml_models/{owner}/files/{*path}";
    private readonly byte[] signingKey = RandomNumberGenerator.GetBytes(32);

    [GeneratedRegex(@"\A[A-Za-z0-9._\-+ ]+\z")]
    private static partial Regex FileName();

    public void Map(RouteTable routes)
    {
        routes.Map("PUT", Packages, "artifacts", Upload);
        routes.Map("GET", Packages, "artifacts", DownloadPackageFile);
        routes.Map("GET", Artifacts + "artifacts", "mlflow-artifacts/list", List);
        routes.Map("GET", Artifacts + "artifacts/{owner}/{*path}", "artifacts", DownloadArtifact);
        routes.Map("GET", ObjectStoragePrefix + "{file}", "object-storage", DownloadSigned);
    }

    /// <summary>Grape validates before authenticating here: bad names are 400 even without a token.</summary>
    private static (string? Folder, string FileName) SplitPath(ApiRequest request)
    {
        var segments = request.Route.Rest("path");
        var fileName = segments[^1];
        if (fileName is "." or ".." || segments[..^1].Any(s => s is ".." or "." || s.Contains("..", StringComparison.Ordinal)))
        {
            throw GitLabErrors.Validation("file_name should be a valid file path");
        }
        if (!FileName().IsMatch(fileName)) throw GitLabErrors.Validation("file_name is invalid");
        return (segments.Length > 1 ? string.Join('/', segments[..^1]) : null, fileName);
    }

    private async Task Upload(ApiRequest request)
    {
        var (folder, fileName) = SplitPath(request);
        var project = context.Guard.ForPackageFiles(request, upload: true).Project;
        var owner = request.Route["owner"];
        int id;
        lock (context.State.Sync)
        {
            OwnerFiles(project, owner, create: true);
            id = context.State.NextPackageFileId();
        }
        var diskPath = Path.Combine(context.PackageDirectory, id.ToString(CultureInfo.InvariantCulture));
        var size = await ArtifactFiles.SaveAsync(request.Http.Request.Body, diskPath, context.UploadDirectory, request.Aborted);
        if (size >= options.GitLabMaxFileSize)
        {
            File.Delete(diskPath);
            throw GitLabErrors.BadRequest("Artifact file is too large");
        }
        var stored = EncodeUriComponent(folder is null ? fileName : folder + "/" + fileName);
        lock (context.State.Sync) OwnerFiles(project, owner, create: true).Add(new PackageFile(id, stored, size, diskPath));
        await request.WriteJsonAsync(new JsonObject { ["message"] = "201 Created" }, 201);
    }

    private async Task DownloadPackageFile(ApiRequest request)
    {
        var (folder, fileName) = SplitPath(request);
        var project = context.Guard.ForPackageFiles(request, upload: false).Project;
        var stored = EncodeUriComponent(folder is null ? fileName : folder + "/" + fileName);
        PackageFile? file;
        lock (context.State.Sync) file = OwnerFiles(project, request.Route["owner"], create: false).LastOrDefault(f => f.StoredName == stored);
        await SendAsync(request, file ?? throw GitLabErrors.Message(404, "404 Not found"));
    }

    /// <summary>Flat: every file of the owner, nested names %2F-encoded; a sub-path lists nothing.</summary>
    private async Task List(ApiRequest request)
    {
        var project = context.Guard.ForMlflow(request, write: false).Project;
        var path = request.Query("path") ?? throw GitLabErrors.InternalError();
        var slash = path.IndexOf('/');
        var (owner, sub) = slash < 0 ? (path, "") : (path[..slash], path[(slash + 1)..]);
        JsonArray files;
        lock (context.State.Sync)
        {
            var all = OwnerFiles(project, owner, create: false, notFound: GitLabErrors.ResourceNotFound);
            files = sub.Length > 0 ? [] : new JsonArray(all.Select(f => (JsonNode?)new JsonObject
            {
                ["path"] = f.StoredName, ["file_size"] = f.Size, ["is_dir"] = false,
            }).ToArray());
        }
        await request.WriteJsonAsync(new JsonObject { ["files"] = files });
    }

    /// <summary>Looked up as CGI.escape(path): names with spaces never match (stored with %20, looked up with '+').</summary>
    private async Task DownloadArtifact(ApiRequest request)
    {
        var project = context.Guard.ForMlflow(request, write: false).Project;
        var stored = CgiEscape(string.Join('/', request.Route.Rest("path")));
        PackageFile? file;
        lock (context.State.Sync)
        {
            file = OwnerFiles(project, request.Route["owner"], create: false, notFound: GitLabErrors.ResourceNotFound)
                .LastOrDefault(f => f.StoredName == stored);
        }
        await SendAsync(request, file ?? throw GitLabErrors.ResourceNotFound());
    }

    /// <summary>The pre-signed object-storage URL: like S3, it refuses a second auth mechanism (an Authorization header).</summary>
    private async Task DownloadSigned(ApiRequest request)
    {
        var file = request.Route["file"];
        if (request.Query("X-Amz-Signature") != Sign(file))
        {
            throw new ApiErrorException(403, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>SignatureDoesNotMatch</Code></Error>", "application/xml");
        }
        if (request.Http.Request.Headers.Authorization.Count > 0)
        {
            throw new ApiErrorException(400, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>InvalidArgument</Code><Message>Only one auth " +
                "mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header " +
                "should be specified</Message></Error>", "application/xml");
        }
        var path = Path.Combine(context.PackageDirectory, file);
        if (!File.Exists(path)) throw new ApiErrorException(404, "<Error><Code>NoSuchKey</Code></Error>", "application/xml");
        await FileResponses.StreamWithRangesAsync(request.Http, path, "application/octet-stream", null);
    }

    private async Task SendAsync(ApiRequest request, PackageFile file)
    {
        if (options.GitLabObjectStorage)
        {
            var authority = new Uri(context.Urls.Root).GetLeftPart(UriPartial.Authority);
            var name = file.Id.ToString(CultureInfo.InvariantCulture);
            request.Http.Response.StatusCode = 302;
            request.Http.Response.Headers.Location =
                $"{authority}/{ObjectStoragePrefix}{name}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=540&X-Amz-Signature={Sign(name)}";
            return;
        }
        await FileResponses.StreamWithRangesAsync(request.Http, file.DiskPath, "application/octet-stream",
            $"attachment; filename=\"{file.StoredName}\"; filename*=UTF-8''{file.StoredName}");
    }

    private string Sign(string name) => Convert.ToHexStringLower(HMACSHA256.HashData(signingKey, Encoding.UTF8.GetBytes(name)));

    /// <summary>Files of "&lt;version id&gt;" or "candidate:&lt;iid&gt;" in the project (caller holds the lock).</summary>
    private static List<PackageFile> OwnerFiles(GitLabProject project, string owner, bool create, Func<Http.ApiErrorException>? notFound = null)
    {
        notFound ??= GitLabErrors.NotFound;
        const string Candidate = "candidate:";
        if (owner.StartsWith(Candidate, StringComparison.Ordinal))
        {
            var iid = int.TryParse(owner[Candidate.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1;
            if (!project.Runs.Values.Any(r => r.CandidateIid == iid)) throw notFound();
        }
        else if (!project.Models.Values.SelectMany(m => m.Versions).Any(v => GitLabJson.Id(v.Id) == owner))
        {
            throw notFound();
        }
        if (project.Packages.TryGetValue(owner, out var files)) return files;
        return create ? project.Packages[owner] = [] : [];
    }

    /// <summary>Ruby URI.encode_uri_component: keeps A-Z a-z 0-9 * - . _, space → %20.</summary>
    public static string EncodeUriComponent(string value) => Escape(value, c => char.IsAsciiLetterOrDigit(c) || c is '*' or '-' or '.' or '_', spaceAsPlus: false);

    /// <summary>Ruby CGI.escape: keeps A-Z a-z 0-9 _ . - ~, space → '+'.</summary>
    public static string CgiEscape(string value) => Escape(value, c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-' or '~', spaceAsPlus: true);

    private static string Escape(string value, Func<char, bool> keep, bool spaceAsPlus)
    {
        var builder = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (b < 128 && keep(c)) builder.Append(c);
            else if (c == ' ' && spaceAsPlus) builder.Append('+');
            else builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }
        return builder.ToString();
    }
}
