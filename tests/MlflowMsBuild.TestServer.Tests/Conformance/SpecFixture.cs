// GitLab's MLflow API conformance suite: every case of GitLab's request specs spec/requests/api/ml/mlflow/*_spec.rb
// (gitlabhq/gitlabhq; a case is one `it` or `it_behaves_like` line of the file), as a test against the GitLab double
// named after the spec's describe/context/it strings, one class per spec file:
//   runs_spec.rb               60 cases, 60 covered (RunsSpec)
//   experiments_spec.rb        38 cases, 38 covered (ExperimentsSpec)
//   registered_models_spec.rb  41 cases, 40 covered (RegisteredModelsSpec: "when destroy fails" stubs a GitLab service)
//   model_versions_spec.rb     21 cases, 21 covered (ModelVersionsSpec)
//   metrics_spec.rb            11 cases, 10 covered (MetricsSpec: "authorizing granular token permissions")
//   total                     171 cases, 169 covered. The feature-flag context of "MLflow|shared error cases" has no
//   counterpart in the double; its other contexts are covered.
using System.Text.Json.Nodes;
using MlflowMsBuild.TestServer.Tests.TestUtilities;

namespace MlflowMsBuild.TestServer.Tests.Conformance;

/// <summary>
/// The world GitLab's MLflow request specs set up (spec/requests/api/ml/mlflow/*_spec.rb): a project, another project
/// the developer belongs to, an experiment with two tags, a candidate with two metrics, params and tags, and the
/// four tokens <c>write</c> (api), <c>read</c> (read_api), <c>no_access</c> (read_user) and <c>different_user</c>
/// (api, not a member).
/// </summary>
internal sealed class SpecFixture : IAsyncDisposable
{
    public const string Write = "glpat-write";
    public const string Read = "glpat-read";
    public const string NoAccess = "glpat-no-access";
    public const string DifferentUser = "glpat-different-user";
    public const string Reporter = "glpat-reporter";

    private SpecFixture(TestRegistryServer server, int projectId, int anotherProjectId)
    {
        Server = server;
        ProjectId = projectId;
        AnotherProjectId = anotherProjectId;
    }

    public TestRegistryServer Server { get; }

    public int ProjectId { get; }

    public int AnotherProjectId { get; }

    public string ExperimentId { get; private set; } = "";

    public string CandidateId { get; private set; } = "";

    public static async Task<SpecFixture> StartAsync(Action<TestServerOptions>? configure = null)
    {
        var options = new TestServerOptions { Flavor = RegistryFlavor.GitLab };
        configure?.Invoke(options);
        var server = await TestRegistryServer.StartAsync(options);
        var project = server.AddProject("group/project");
        var another = server.AddProject("group/another");
        server.AddToken(Write, "read_api", "api");
        server.AddToken(Read, "read_api");
        server.AddToken(NoAccess, "read_user");
        server.AddToken(DifferentUser, GitLabRole.None, "read_api", "api");
        server.AddToken(Reporter, GitLabRole.Reporter, "read_api", "api");
        var fixture = new SpecFixture(server, project, another);
        using var api = fixture.Api();
        var experiment = await api.PostAsync(fixture.Mlflow("experiments/create"), new
        {
            name = "experiment",
            tags = new[] { new { key = "e1", value = "v1" }, new { key = "e2", value = "v2" } },
        });
        Assert.AreEqual(200, experiment.Code, experiment.Body);
        fixture.ExperimentId = (string)experiment.Json["experiment_id"]!;
        fixture.CandidateId = await fixture.CreateRunAsync(api, fixture.ExperimentId, "candidate");
        var batch = await api.PostAsync(fixture.Mlflow("runs/log-batch"), new
        {
            run_id = fixture.CandidateId,
            metrics = new[] { new { key = "m1", value = 0.1, timestamp = 1 }, new { key = "m2", value = 0.2, timestamp = 1 } },
            @params = new[] { new { key = "p1", value = "a" }, new { key = "p2", value = "b" } },
            tags = new[] { new { key = "t1", value = "a" }, new { key = "t2", value = "b" } },
        });
        Assert.AreEqual(200, batch.Code, batch.Body);
        return fixture;
    }

    public Api Api(string? token = Write) =>
        token is null ? new Api(Server.BaseAddress) : new Api(Server.BaseAddress, ("Authorization", "Bearer " + token));

    public string Mlflow(string endpoint, int? projectId = null) => Servers.GitLabMlflow(projectId ?? ProjectId) + endpoint;

    public async Task<string> CreateRunAsync(Api api, string experimentId, string name)
    {
        var run = await api.PostAsync(Mlflow("runs/create"), new { experiment_id = experimentId, run_name = name, start_time = 1234 });
        Assert.AreEqual(200, run.Code, run.Body);
        return (string)run.Json["run"]!["info"]!["run_id"]!;
    }

    /// <summary>Sends <paramref name="body"/> the way the route expects: GET as a query, others as JSON.</summary>
    public Task<Answer> SendAsync(Api api, string method, string endpoint, JsonObject body, int? projectId = null)
    {
        if (method == "GET")
        {
            var query = string.Join('&', body.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value is JsonValue v ? v.ToString() : p.Value!.ToJsonString())));
            return api.GetAsync(Mlflow(endpoint, projectId) + (query.Length == 0 ? "" : "?" + query));
        }

        return api.SendAsync(new HttpMethod(method), Mlflow(endpoint, projectId), body);
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
