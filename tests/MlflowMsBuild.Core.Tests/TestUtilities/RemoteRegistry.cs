using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using MlflowMsBuild.Core.Credentials;
using MlflowMsBuild.Core.Http;
using MlflowMsBuild.Core.Registry;
using MlflowMsBuild.Core.Registry.GitLab;
using MlflowMsBuild.Core.Registry.MlflowServer;
using MlflowMsBuild.Core.RestApi;
using MlflowMsBuild.Core.Versions;
using MlflowMsBuild.TestServer;

namespace MlflowMsBuild.Core.Tests.TestUtilities;

/// <summary>
/// A loopback test server of one flavour, a registry of ours pointed at it, and a plain HttpClient that reads
/// the server's REST API directly (never through our client), for assertions.
/// </summary>
internal sealed class RemoteRegistry : IAsyncDisposable
{
    private const string Token = "glpat-test-token";
    private static readonly GitLabAuth Auth = new(GitLabTokenKind.Private, new Secret(Token), "test");
    private readonly HttpClient http;

    private RemoteRegistry(TestRegistryServer server, IModelRegistry registry, Uri trackingUri, int projectId)
    {
        Server = server;
        Registry = registry;
        TrackingUri = trackingUri;
        ProjectId = projectId;
        http = new HttpClient();
        if (server.Flavor == RegistryFlavor.GitLab)
        {
            Auth.ApplyTo(http.DefaultRequestHeaders);
        }
    }

    public TestRegistryServer Server { get; }

    public IModelRegistry Registry { get; }

    /// <summary>MLflow: the server root. GitLab: <c>&lt;root&gt;/api/v4/projects/&lt;id&gt;/ml/mlflow</c>.</summary>
    public Uri TrackingUri { get; }

    public int ProjectId { get; }

    public bool IsGitLab => Server.Flavor == RegistryFlavor.GitLab;

    public static async Task<RemoteRegistry> StartAsync(RegistryFlavor flavor)
    {
        var server = await TestRegistryServer.StartAsync(new TestServerOptions { Flavor = flavor });
        if (flavor == RegistryFlavor.GitLab)
        {
            var projectId = server.AddProject("group/sub/project");
            server.AddToken(Token, "api");
            var tracking = server.GitLabTrackingUri(projectId);
            return new RemoteRegistry(server, OpenRegistry(flavor, tracking), tracking, projectId);
        }

        return new RemoteRegistry(server, OpenRegistry(flavor, server.BaseAddress), server.BaseAddress, 0);
    }

    /// <summary>Another registry of ours pointed at the same server, for a caller that disposes what it opens.</summary>
    public IModelRegistry OpenAnother() => OpenRegistry(Server.Flavor, TrackingUri);

    private static IModelRegistry OpenRegistry(RegistryFlavor flavor, Uri tracking)
    {
        if (flavor == RegistryFlavor.GitLab)
        {
            var client = new MlflowRestClient(new RegistryServerOptions
            {
                TrackingUri = tracking,
                DisplayName = "GitLab test server",
                Authenticate = request => Auth.ApplyTo(request.Headers),
            });
            return new GitLabRegistry(client, "group/sub/project");
        }

        return new MlflowServerRegistry(new MlflowRestClient(new RegistryServerOptions { TrackingUri = tracking, DisplayName = "MLflow test server" }));
    }

    /// <summary>GET <c>{tracking}/api/2.0/mlflow/&lt;endpoint&gt;</c>; returns the status and the JSON body.</summary>
    public async Task<(int Status, JsonNode? Body)> GetAsync(string endpointAndQuery)
    {
        using var response = await http.GetAsync(new Uri(TrackingUri.AbsoluteUri.TrimEnd('/') + "/api/2.0/mlflow/" + endpointAndQuery));
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    /// <summary>The mlflow-artifacts listing of <paramref name="path"/> (flat on GitLab, per folder on MLflow).</summary>
    public async Task<IReadOnlyList<string>> ListArtifactsAsync(string path)
    {
        var (_, body) = await GetRawAsync("api/2.0/mlflow-artifacts/artifacts?path=" + Uri.EscapeDataString(path));
        return (body?["files"]?.AsArray() ?? []).Select(f => Uri.UnescapeDataString((string)f!["path"]!)).ToList();
    }

    public async Task<byte[]> DownloadArtifactAsync(string path)
    {
        using var response = await http.GetAsync(new Uri(TrackingUri.AbsoluteUri.TrimEnd('/') + "/api/2.0/mlflow-artifacts/artifacts/" + path));
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsByteArrayAsync();
    }

    /// <summary>All versions of a model as the server lists them (GitLab: registered-models/get; MLflow: model-versions/search).</summary>
    public async Task<JsonArray> VersionsAsync(string model)
    {
        if (IsGitLab)
        {
            var (status, body) = await GetAsync("registered-models/get?name=" + Uri.EscapeDataString(model));
            return status == 404 ? [] : body!["registered_model"]!["latest_versions"]!.AsArray();
        }

        var (_, search) = await GetAsync("model-versions/search?filter=" + Uri.EscapeDataString($"name='{model}'"));
        return search?["model_versions"]?.AsArray() ?? [];
    }

    public static string? Value(JsonNode? keyValues, string key) =>
        keyValues?.AsArray().FirstOrDefault(p => (string?)p!["key"] == key)?["value"]?.GetValue<string>();

    public async ValueTask DisposeAsync()
    {
        http.Dispose();
        Registry.Dispose();
        await Server.DisposeAsync();
    }

    private async Task<(int Status, JsonNode? Body)> GetRawAsync(string relative)
    {
        using var response = await http.GetAsync(new Uri(TrackingUri.AbsoluteUri.TrimEnd('/') + "/" + relative));
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }
}
