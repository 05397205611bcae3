using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MlflowMsBuild.TestServer.GitLab;
using MlflowMsBuild.TestServer.Http;
using MlflowMsBuild.TestServer.Mlflow;

namespace MlflowMsBuild.TestServer;

/// <summary>
/// A loopback test double of a registry server, started in-process on 127.0.0.1. Metadata lives in memory;
/// artifact files are streamed to and from <see cref="DataDirectory"/>.
/// </summary>
public sealed class TestRegistryServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly GitLabState? gitlab;
    private readonly bool ownsDataDirectory;

    private TestRegistryServer(WebApplication app, RegistryFlavor flavor, Uri baseAddress, string dataDirectory, bool ownsDataDirectory,
        RequestLog log, FaultInjector faults, GitLabState? gitlab)
    {
        this.app = app;
        this.gitlab = gitlab;
        this.ownsDataDirectory = ownsDataDirectory;
        Flavor = flavor;
        BaseAddress = baseAddress;
        DataDirectory = dataDirectory;
        RequestLog = log;
        Faults = faults;
    }

    /// <summary>The imitated server.</summary>
    public RegistryFlavor Flavor { get; }

    /// <summary>MLflow: the tracking URI root. GitLab: the GitLab root (with the relative URL root, if any).</summary>
    public Uri BaseAddress { get; }

    /// <summary>Where artifact files are stored.</summary>
    public string DataDirectory { get; }

    /// <summary>Every request received, with counters per endpoint key.</summary>
    public RequestLog RequestLog { get; }

    /// <summary>Injects failures, slow bodies and connection resets.</summary>
    public FaultInjector Faults { get; }

    /// <summary>Starts a server; with the default URL it listens on 127.0.0.1 on a free port.</summary>
    public static async Task<TestRegistryServer> StartAsync(TestServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new TestServerOptions();
        var url = new Uri(options.Url);
        if (!url.IsLoopback) throw new ArgumentException($"The test server only listens on loopback, not '{options.Url}'.", nameof(options));
        var ownsData = options.DataDirectory is null;
        var data = Path.GetFullPath(options.DataDirectory ?? Path.Combine(Path.GetTempPath(), "mlflow-test-server-" + Guid.NewGuid().ToString("N")));
        Directory.CreateDirectory(data);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = data });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(options.Url);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // Werkzeug (MLflow 2.12) writes header values as latin-1: a non-ASCII file name goes out as its raw bytes.
            kestrel.ResponseHeaderEncodingSelector = _ => System.Text.Encoding.Latin1;
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Limits.MinRequestBodyDataRate = null;
            kestrel.Limits.MinResponseDataRate = null;
            kestrel.ConfigureEndpointDefaults(endpoint => endpoint.Protocols = HttpProtocols.Http1);
        });
        var app = builder.Build();

        var log = new RequestLog();
        var faults = new FaultInjector();
        GitLabState? gitlab = null;
        GitLabUrls? urls = null;
        IRegistryFlavor flavor;
        if (options.Flavor == RegistryFlavor.GitLab)
        {
            gitlab = new GitLabState(options);
            urls = new GitLabUrls();
            flavor = new GitLabFlavor(options, gitlab, urls, data);
        }
        else
        {
            flavor = new MlflowFlavor(options, data);
        }
        var pipeline = new RequestPipeline(flavor, log, faults, options.TimeProvider);
        app.Run(pipeline.HandleAsync);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            // E.g. the port is taken: nothing is left behind.
            await app.DisposeAsync();
            if (ownsData) Directory.Delete(data, recursive: true);
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var listening = new Uri(address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal));
        var root = $"{listening.Scheme}://{url.Host}:{listening.Port}";
        var relative = options.Flavor == RegistryFlavor.GitLab ? options.GitLabRelativeUrlRoot.TrimEnd('/') : "";
        if (urls is not null) urls.Root = root + relative;
        return new TestRegistryServer(app, options.Flavor, new Uri(root + relative + "/"), data, ownsData, log, faults, gitlab);
    }

    /// <summary>GitLab: the MLflow tracking URI of a project, <c>&lt;root&gt;/api/v4/projects/&lt;id&gt;/ml/mlflow</c>.</summary>
    public Uri GitLabTrackingUri(int projectId) => new(BaseAddress, $"api/v4/projects/{projectId}/ml/mlflow");

    /// <summary>GitLab: creates a project (private unless <paramref name="isPublic"/>) and returns its numeric id.</summary>
    public int AddProject(string pathWithNamespace, bool isPublic = false) => GitLab.AddProject(pathWithNamespace, isPublic);

    /// <summary>GitLab: a personal access token with Developer access to every project.
    /// Scopes: "api" (everything) or "read_api" (GET/HEAD only).</summary>
    public void AddToken(string value, params string[] scopes) => AddToken(value, GitLabRole.Developer, scopes);

    /// <summary>GitLab: a personal access token with <paramref name="role"/> in every project (see <see cref="SetProjectRole"/>).</summary>
    public void AddToken(string value, GitLabRole role, params string[] scopes) =>
        GitLab.AddToken(value, TokenKind.Personal, role, scopes.Length == 0 ? ["api"] : scopes);

    /// <summary>GitLab: a CI job token (as Bearer; a JOB-TOKEN header is not read), accepted on package file routes only; Developer access.</summary>
    public void AddJobToken(string value) => GitLab.AddToken(value, TokenKind.Job, GitLabRole.Developer, []);

    /// <summary>GitLab: overrides a token's role in one project (None makes a private project invisible to it).</summary>
    public void SetProjectRole(string tokenValue, int projectId, GitLabRole role)
    {
        lock (GitLab.Sync) GitLab.Tokens[tokenValue].ProjectRoles[projectId] = role;
    }

    /// <summary>GitLab: revokes a token (401 "Token has been revoked.").</summary>
    public void RevokeToken(string tokenValue)
    {
        lock (GitLab.Sync) GitLab.Tokens[tokenValue].Revoked = true;
    }

    /// <summary>Stops the server and deletes a temporary data directory.</summary>
    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        if (ownsDataDirectory)
        {
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A file still open by a late reader: leave the temporary folder behind.
            }
        }
    }

    private GitLabState GitLab => gitlab ?? throw new InvalidOperationException("Projects and tokens exist only on the GitLab flavour.");
}
