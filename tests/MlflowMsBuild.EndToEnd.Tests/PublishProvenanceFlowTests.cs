using System.Text.Json.Nodes;
using MlflowMsBuild.EndToEnd.Tests.TestUtilities;
using MlflowMsBuild.TestServer;

namespace MlflowMsBuild.EndToEnd.Tests;

/// <summary>
/// `dotnet build -t:PublishModel` with the packed package against the loopback MLflow and GitLab servers;
/// what the version carries is read back from the server's REST API with a plain HttpClient.
/// </summary>
[TestClass]
public sealed class PublishProvenanceFlowTests
{
    private const string Token = "glpat-e2e-token";

    // Writes every kind of evaluation output to evaluation/, as MlflowMsBuild's defaults expect.
    private const string Trainer = """
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <TargetFramework>net10.0</TargetFramework>
            <MlflowEvaluationTarget>Evaluate</MlflowEvaluationTarget>
            <MlflowModelName>test-provenance</MlflowModelName>
          </PropertyGroup>
          <ItemGroup>
            <MlflowConfigFile Include="train.json" />
          </ItemGroup>
          <Target Name="Evaluate" DependsOnTargets="Build">
            <WriteLinesToFile File="evaluation/model/weights.txt" Lines="0.5;0.25" Overwrite="true" />
            <WriteLinesToFile File="evaluation/metrics.json" Lines="{&quot;test&quot;: {&quot;auc&quot;: 0.9}, &quot;train&quot;: {&quot;auc&quot;: 0.95}}" Overwrite="true" />
            <WriteLinesToFile File="evaluation/command-line.txt" Lines="trainer --config train.json" Overwrite="true" />
            <WriteLinesToFile File="evaluation/database.txt" Lines="synthetic-e2e" Overwrite="true" />
            <WriteLinesToFile File="evaluation/tables/metrics.md" Lines="| split | auc |;|---|---|;| test | 0.9 |" Overwrite="true" />
            <WriteLinesToFile File="evaluation/figures/roc.svg" Lines="&lt;svg xmlns=&quot;http://www.w3.org/2000/svg&quot;&gt;&lt;text&gt;ROC&lt;/text&gt;&lt;/svg&gt;" Overwrite="true" />
          </Target>
        </Project>
        """;

    [TestMethod]
    [DataRow(RegistryFlavor.Mlflow)]
    [DataRow(RegistryFlavor.GitLab)]
    public async Task PublishRecordsEveryFieldOnTheServer_AndTheSameContentAgainMakesNoSecondVersion(RegistryFlavor flavor)
    {
        await using var server = await TestRegistryServer.StartAsync(new TestServerOptions { Flavor = flavor });
        using var http = new HttpClient();
        Uri tracking;
        if (flavor == RegistryFlavor.GitLab)
        {
            tracking = server.GitLabTrackingUri(server.AddProject("group/sub/project"));
            server.AddToken(Token, "api");
            http.DefaultRequestHeaders.Authorization = new("Bearer", Token);
        }
        else
        {
            tracking = server.BaseAddress;
        }

        using var workspace = new Workspace(AssemblySetup.Package);
        workspace.Environment["GITLAB_TOKEN"] = flavor == RegistryFlavor.GitLab ? Token : null;
        workspace.Environment["PYTHON_GITLAB_CFG"] = null;
        workspace.WriteFile("Trainer/Trainer.csproj", Trainer);
        workspace.WriteFile("Trainer/train.json", """{"rows": 100}""");
        workspace.CommitAll("trainer");
        var registry = "-p:MlflowRegistry=" + tracking.AbsoluteUri;

        var publish = workspace.DotNet("build", "Trainer", "-t:PublishModel", registry);
        var again = workspace.DotNet("build", "Trainer", "-t:PublishModel", registry);

        Assert.AreEqual(0, publish.ExitCode, publish.ToString());
        StringAssert.Contains(publish.Output, "Published model 'test-provenance' version ");
        Assert.AreEqual(0, again.ExitCode, again.ToString());
        StringAssert.Contains(again.Output, "already holds this content");

        async Task<JsonNode> Get(string endpoint) =>
            JsonNode.Parse(await http.GetStringAsync(new Uri(tracking.AbsoluteUri.TrimEnd('/') + "/api/2.0/mlflow/" + endpoint)))!;
        var versions = flavor == RegistryFlavor.GitLab
            ? (await Get("registered-models/get?name=test-provenance"))["registered_model"]!["latest_versions"]!.AsArray()
            : (await Get("model-versions/search?filter=" + Uri.EscapeDataString("name='test-provenance'")))["model_versions"]!.AsArray();
        var version = Assert.ContainsSingle(versions)!;
        var run = (await Get("runs/get?run_id=" + (string)version["run_id"]!))["run"]!;
        string? Value(JsonNode? pairs, string key) => pairs!.AsArray().FirstOrDefault(p => (string?)p!["key"] == key)?["value"]?.GetValue<string>();

        var sha = DotNet.Exec("git", workspace.Root, workspace.Environment, "rev-parse", "HEAD").Output.Trim();
        var parameters = run["data"]!["params"];
        var tags = run["data"]!["tags"];
        Assert.AreEqual("FINISHED", (string)run["info"]!["status"]!);
        Assert.AreEqual($"https://gitlab.example.org/group/sub/project/-/commit/{sha}", Value(parameters, "commit_url"));
        Assert.AreEqual("trainer --config train.json", Value(parameters, "command_line"));
        Assert.AreEqual("Trainer/train.json", Value(parameters, "config_file"));
        Assert.AreEqual("synthetic-e2e", Value(parameters, "database"));
        Assert.AreEqual(sha, Value(tags, "mlflow.source.git.commit"));
        Assert.AreEqual("git@gitlab.example.org:group/sub/project.git", Value(tags, "mlflow.source.git.repoURL"));
        Assert.AreEqual("main", Value(tags, "mlflow.source.git.branch"));
        Assert.IsNotNull(Value(tags, "mlflow.source.name"));
        Assert.AreEqual(AssemblySetup.Package.Version, Value(tags, "mlflow_msbuild.version"));
        CollectionAssert.IsSubsetOf(new[] { "test/auc", "train/auc" }, run["data"]!["metrics"]!.AsArray().Select(m => (string)m!["key"]!).ToList());
        StringAssert.Contains((string)version["description"]!, "| test/auc | 0.9 |");
        StringAssert.Contains((string)version["description"]!, "- `figures/roc.svg`");

        var artifactsRoot = flavor == RegistryFlavor.GitLab
            ? (string)version["version"]!
            : ((string)run["info"]!["artifact_uri"]!)["mlflow-artifacts:/".Length..];
        var svg = await http.GetStringAsync(new Uri(tracking.AbsoluteUri.TrimEnd('/') + $"/api/2.0/mlflow-artifacts/artifacts/{artifactsRoot}/figures/roc.svg"));
        StringAssert.Contains(svg, "<text>ROC</text>");
        var table = await http.GetStringAsync(new Uri(tracking.AbsoluteUri.TrimEnd('/') + $"/api/2.0/mlflow-artifacts/artifacts/{artifactsRoot}/tables/metrics.md"));
        StringAssert.Contains(table, "| test | 0.9 |");
        var config = await http.GetStringAsync(new Uri(tracking.AbsoluteUri.TrimEnd('/') + $"/api/2.0/mlflow-artifacts/artifacts/{artifactsRoot}/config/train.json"));
        Assert.AreEqual("""{"rows": 100}""", config);
    }
}
