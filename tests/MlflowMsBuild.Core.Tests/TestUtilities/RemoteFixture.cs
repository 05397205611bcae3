using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MlflowMsBuild.Core.Cache;
using MlflowMsBuild.Core.Credentials;
using MlflowMsBuild.Core.Credentials.Python;
using MlflowMsBuild.Core.Publishing;
using MlflowMsBuild.Core.Registry;
using MlflowMsBuild.Core.Restore;
using MlflowMsBuild.Core.Settings;
using MlflowMsBuild.TestServer;

namespace MlflowMsBuild.Core.Tests.TestUtilities;

/// <summary>
/// A loopback test server of one flavour, a git repository with model files, and a home folder: publish and
/// restore through <see cref="RegistryLocator"/> exactly as the tasks do, and read back over plain HTTP.
/// </summary>
internal sealed class RemoteFixture : IAsyncDisposable
{
    public const string Token = "glpat-test-token-0123456789";
    public const string ProjectPath = "group/sub/project";

    /// <summary><see cref="Token"/> sent the product's way, for the fixture's own requests.</summary>
    public static GitLabAuth Auth { get; } = new(GitLabTokenKind.Private, new Secret(Token), "test");

    private RemoteFixture(TestRegistryServer server, int projectId)
    {
        Server = server;
        ProjectId = projectId;
        Http = new HttpClient { BaseAddress = server.BaseAddress };
        if (server.Flavor == RegistryFlavor.GitLab)
        {
            Auth.ApplyTo(Http.DefaultRequestHeaders);
        }
    }

    public TestRegistryServer Server { get; }

    public int ProjectId { get; }

    public HttpClient Http { get; }

    public GitRepo Repo { get; } = GitRepo.Create("git@gitlab.example.org:group/sub/project.git");

    public TempDirectory Home { get; } = new();

    public Dictionary<string, string> Variables { get; } = new();

    public string Setting => Server.Flavor == RegistryFlavor.GitLab ? $"gitlab:{Server.BaseAddress}{ProjectPath}" : Server.BaseAddress.AbsoluteUri;

    /// <summary>Where the MLflow REST API of this server is: <c>{tracking}/api/2.0/mlflow/</c>.</summary>
    public string ApiPath => Server.Flavor == RegistryFlavor.GitLab ? $"api/v4/projects/{ProjectId}/ml/mlflow/api/2.0/mlflow/" : "api/2.0/mlflow/";

    public static async Task<RemoteFixture> StartAsync(RegistryFlavor flavor, Action<TestServerOptions>? configure = null)
    {
        var options = new TestServerOptions { Flavor = flavor };
        configure?.Invoke(options);
        var server = await TestRegistryServer.StartAsync(options);
        var projectId = 0;
        if (flavor == RegistryFlavor.GitLab)
        {
            projectId = server.AddProject(ProjectPath);
            server.AddToken(Token, "api");
        }

        var fixture = new RemoteFixture(server, projectId);
        if (flavor == RegistryFlavor.GitLab)
        {
            fixture.Variables["GITLAB_TOKEN"] = Token;
        }

        return fixture;
    }

    public CredentialEnvironment Environment() =>
        new(name => Variables.TryGetValue(name, out var value) ? value : null, Home.Path) { SystemConfigPath = Home.Combine("no-etc-python-gitlab.cfg") };

    public IModelRegistry OpenRegistry() => RegistryLocator.Open(Setting, new MlflowHome(Home.Path), Repo.Root, Environment());

    /// <summary>Writes the model files; returns every file under out/model (with any the test put there).</summary>
    public IReadOnlyList<string> WriteModel(int seed = 1)
    {
        Repo.WriteFile("out/model/model.zip", PublishFixture.RandomBytes(300_000, seed));
        Repo.WriteFile("out/model/config/settings.json", System.Text.Encoding.UTF8.GetBytes($"{{\"seed\": {seed}}}"));
        return Directory.GetFiles(Repo.Path("out", "model"), "*", SearchOption.AllDirectories);
    }

    public async Task<PublishResult> PublishAsync(string name = "test-model", int seed = 1, string? requestedVersion = null, IModelRegistry? registry = null)
    {
        var metrics = Repo.WriteFile("out/metrics.json", System.Text.Encoding.UTF8.GetBytes("{\"test\": {\"auc\": 0.93, \"f1\": 0.8}}"));
        var input = new PublishInput(name, Repo.Path("out", "model"), WriteModel(seed), Repo.Root, metrics, "Classifier --seed " + seed,
            RequestedVersion: requestedVersion);
        using var owned = registry is null ? OpenRegistry() : null;
        return await new ModelPublisher(registry ?? owned!).PublishAsync(input);
    }

    public async Task<RestoredModel> RestoreAsync(string name, string version)
    {
        using var registry = OpenRegistry();
        return await new ModelRestorer(registry, new ModelCache(Home.Combine("cache"))).RestoreAsync(name, version, Home.Combine("restored", name, version));
    }

    public async Task<JsonNode> GetJsonAsync(string relative)
    {
        using var response = await Http.GetAsync(ApiPath + relative);
        Assert.IsTrue(response.IsSuccessStatusCode, $"GET {relative}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonNode>())!;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        Repo.Dispose();
        Home.Dispose();
        await Server.DisposeAsync();
    }
}
