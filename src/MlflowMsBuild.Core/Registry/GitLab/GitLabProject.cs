using System.Text.Json;
using System.Text.Json.Serialization;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Http;
using MlflowMsBuild.Core.IO;
using MlflowMsBuild.Core.RestApi;
using MlflowMsBuild.Core.Versions;

namespace MlflowMsBuild.Core.Registry.GitLab;

/// <summary>
/// A GitLab project named by its path (<c>group/sub/project</c>). Its numeric id comes from
/// <c>GET /api/v4/projects/&lt;url-encoded path&gt;</c> once, then from a small file in the cache folder.
/// </summary>
public sealed class GitLabProject
{
    public GitLabProject(Uri server, string path)
    {
        Server = server;
        Path = path.Trim('/');
    }

    /// <summary>The GitLab root, ending with '/'.</summary>
    public Uri Server { get; }

    public string Path { get; }

    public string DisplayName => $"{MlflowRestClient.RedactedUri(Server).TrimEnd('/')}/{Path}";

    /// <summary>Stable key of this project for cache entries (the id may only be known later).</summary>
    public string Key => Sha256Hex.Short(DisplayName.ToLowerInvariant());

    public static Uri TrackingUri(Uri server, long projectId) => MlflowRestClient.BuildUri(server, $"api/v4/projects/{projectId}/ml/mlflow");

    /// <summary>The project's numeric id, from <paramref name="cacheDirectory"/> when known there.</summary>
    public async Task<long> GetIdAsync(MlflowRestClient api, string cacheDirectory, CancellationToken cancellationToken)
    {
        var cacheFile = System.IO.Path.Combine(cacheDirectory, "gitlab-projects", Key + ".json");
        if (File.Exists(cacheFile))
        {
            try
            {
                var cached = AtomicFile.ReadJson(cacheFile, GitLabProjectJson.Default.ProjectDocument);
                if (string.Equals(cached.PathWithNamespace, Path, StringComparison.OrdinalIgnoreCase) && cached.Id > 0)
                {
                    return cached.Id;
                }
            }
            catch (JsonException)
            {
                // A damaged entry is looked up again and rewritten.
            }
        }

        var uri = MlflowRestClient.BuildUri(Server, "api/v4/projects/" + Uri.EscapeDataString(Path));
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        using var response = await api.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        ProjectDocument project;
        try
        {
            project = await JsonSerializer.DeserializeAsync(stream, GitLabProjectJson.Default.ProjectDocument, cancellationToken).ConfigureAwait(false)
                ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            throw new MlflowException(MlfError.UnexpectedResponse, e, $"GitLab server '{Server}'", "GET " + uri, "not a project");
        }

        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(cacheFile)!);
        project.PathWithNamespace ??= Path;
        AtomicFile.WriteJson(cacheFile, project, GitLabProjectJson.Default.ProjectDocument, flushToDisk: false);
        return project.Id;
    }
}

internal sealed class ProjectDocument
{
    public long Id { get; set; }
    public string? PathWithNamespace { get; set; }
    public string? WebUrl { get; set; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(ProjectDocument))]
internal sealed partial class GitLabProjectJson : JsonSerializerContext;
