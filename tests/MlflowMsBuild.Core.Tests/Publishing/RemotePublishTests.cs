using System.Text.Json.Nodes;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Publishing;
using MlflowMsBuild.Core.Registry;
using MlflowMsBuild.Core.Tests.TestUtilities;
using MlflowMsBuild.TestServer;
using static MlflowMsBuild.Core.Tests.TestUtilities.RemoteRegistry;

namespace MlflowMsBuild.Core.Tests.Publishing;

/// <summary>
/// Publishing to the loopback MLflow and GitLab doubles over HTTP; every assertion reads the server's REST API
/// with a plain HttpClient, never our client.
/// </summary>
[TestClass]
public sealed class RemotePublishTests
{
    private const string Origin = "https://gitlab.example.org/group/sub/project.git";
    private const string Model = "test-classifier";

    public TestContext TestContext { get; set; } = null!;

    private static PublishInput FullInput(PublishFixture fixture)
    {
        var metrics = fixture.Repo.WriteFile("out/metrics.json", """{"train": {"auc": 0.95}, "test": {"auc": 0.9}}""");
        var table = fixture.Repo.WriteFile("out/tables/metrics.md", "| split | auc |\n|---|---|\n| test | 0.9 |\n");
        var figure = fixture.Repo.WriteFile("out/figures/roc.png", new byte[] { 0x89, 0x50, 0x4E, 0x47, 1, 2, 3 });
        var config = fixture.Repo.WriteFile("config/train.json", """{"rows": 2000}""");
        var input = fixture.Input(Model, metricsFile: metrics) with { CommandLine = "Classifier --rows 2000" };
        fixture.Repo.CommitAll("evaluation outputs");
        return input with { Tables = [table], Figures = [figure], ConfigFiles = [config], Database = "synthetic-2000" };
    }

    /// <summary>The one complete version's JSON, its run's JSON, and the artifact paths its run holds.</summary>
    private static async Task<(JsonNode Version, JsonNode Run, IReadOnlyList<string> Artifacts)> ReadBackAsync(RemoteRegistry remote)
    {
        var version = Assert.ContainsSingle(await remote.VersionsAsync(Model))!;
        var (_, run) = await remote.GetAsync("runs/get?run_id=" + (string)version["run_id"]!);
        var artifactUri = (string)run!["run"]!["info"]!["artifact_uri"]!;
        IReadOnlyList<string> artifacts;
        if (remote.IsGitLab)
        {
            artifacts = await remote.ListArtifactsAsync((string)version["version"]!);
        }
        else
        {
            var root = artifactUri["mlflow-artifacts:/".Length..];
            var listed = new List<string>();
            foreach (var folder in new[] { "model", "tables", "figures", "config" })
            {
                listed.AddRange((await remote.ListArtifactsAsync(root + "/" + folder)).Select(name => folder + "/" + name.Split('/').Last()));
            }

            artifacts = listed;
        }

        return (version, run["run"]!, artifacts);
    }

    [TestMethod]
    [DataRow(RegistryFlavor.Mlflow)]
    [DataRow(RegistryFlavor.GitLab)]
    public async Task Publish_EveryFieldIsOnTheServer(RegistryFlavor flavor)
    {
        await using var remote = await StartAsync(flavor);
        using var fixture = new PublishFixture(Origin);
        var input = FullInput(fixture);

        var result = await new ModelPublisher(remote.Registry).PublishAsync(input, TestContext.CancellationToken);

        var (version, run, artifacts) = await ReadBackAsync(remote);
        var sha = fixture.Repo.HeadSha();
        var parameters = run["data"]!["params"];
        var tags = run["data"]!["tags"];
        Assert.AreEqual("FINISHED", (string)run["info"]!["status"]!);
        Assert.AreEqual($"https://gitlab.example.org/group/sub/project/-/commit/{sha}", Value(parameters, "commit_url"));
        Assert.AreEqual("Classifier --rows 2000", Value(parameters, "command_line"));
        Assert.AreEqual("config/train.json", Value(parameters, "config_file"));
        Assert.AreEqual("synthetic-2000", Value(parameters, "database"));
        Assert.AreEqual(sha, Value(tags, "mlflow.source.git.commit"));
        Assert.AreEqual(Origin, Value(tags, "mlflow.source.git.repoURL"));
        Assert.AreEqual("main", Value(tags, "mlflow.source.git.branch"));
        Assert.AreEqual(fixture.Repo.Root, Value(tags, "mlflow.source.name"));
        Assert.AreEqual("LOCAL", Value(tags, "mlflow.source.type"));
        Assert.IsNotNull(Value(tags, "mlflow_msbuild.version"));
        Assert.IsNotNull(Value(tags, "mlflow_msbuild.dotnet"));
        Assert.IsNotNull(Value(tags, "mlflow_msbuild.os"));
        var metricKeys = run["data"]!["metrics"]!.AsArray().Select(m => (string)m!["key"]!).Order().ToArray();
        CollectionAssert.AreEqual(new[] { "test/auc", "train/auc" }, metricKeys);

        CollectionAssert.IsSubsetOf(new[] { "model/model.zip", "tables/metrics.md", "figures/roc.png", "config/train.json" }, artifacts.ToList());
        Assert.AreEqual(result.ContentHash, Value(version["tags"], "mlflow_msbuild.content_hash"));
        var description = (string)version["description"]!;
        Assert.DoesNotContain(IncompleteVersions.Marker, description);
        Assert.Contains("| test/auc | 0.9 |", description);
        Assert.Contains($"/-/commit/{sha})", description);
        Assert.Contains("- `figures/roc.png`", description);
        Assert.Contains("`synthetic-2000`", description);
    }

    [TestMethod]
    [DataRow(RegistryFlavor.Mlflow)]
    [DataRow(RegistryFlavor.GitLab)]
    public async Task Publish_SameContentTwice_OneVersion(RegistryFlavor flavor)
    {
        await using var remote = await StartAsync(flavor);
        using var fixture = new PublishFixture(Origin);
        var input = FullInput(fixture);
        var publisher = new ModelPublisher(remote.Registry);

        var first = await publisher.PublishAsync(input, TestContext.CancellationToken);
        var second = await publisher.PublishAsync(input, TestContext.CancellationToken);

        Assert.IsTrue(second.AlreadyPublished);
        Assert.AreEqual(first.Version, second.Version);
        Assert.ContainsSingle(await remote.VersionsAsync(Model));
    }

    // Each step of a publish, as the request path the test server sees. MLflow registers the version last;
    // GitLab creates it first, so on GitLab every step after model-versions/create leaves a marked version.
    [TestMethod]
    [DataRow(RegistryFlavor.Mlflow, "POST", "runs/log-batch")]
    [DataRow(RegistryFlavor.Mlflow, "PUT", "mlflow-artifacts/artifacts/.*/figures/")]
    [DataRow(RegistryFlavor.Mlflow, "POST", "runs/update")]
    [DataRow(RegistryFlavor.Mlflow, "POST", "registered-models/create")]
    [DataRow(RegistryFlavor.Mlflow, "POST", "model-versions/create")]
    [DataRow(RegistryFlavor.GitLab, "POST", "model-versions/create")]
    [DataRow(RegistryFlavor.GitLab, "POST", "runs/log-batch")]
    [DataRow(RegistryFlavor.GitLab, "PUT", "packages/ml_models/.*/files/tables")]
    [DataRow(RegistryFlavor.GitLab, "POST", "runs/update")]
    [DataRow(RegistryFlavor.GitLab, "PATCH", "model-versions/update")]
    public async Task Publish_FailingAtAStep_LeavesNoUsableVersion_AndARerunCompletes(RegistryFlavor flavor, string method, string path)
    {
        await using var remote = await StartAsync(flavor);
        using var fixture = new PublishFixture(Origin);
        var input = FullInput(fixture);
        var publisher = new ModelPublisher(remote.Registry);
        var fault = remote.Server.Faults.RespondWith(method, path, 500, times: 20,
            body: """{"error_code":"INTERNAL_ERROR","message":"injected"}""");

        await Assert.ThrowsExactlyAsync<MlflowException>(() => publisher.PublishAsync(input, TestContext.CancellationToken));
        Assert.IsGreaterThan(0, fault.Applied, "the fault never applied: the step was not reached");
        fault.Cancel();

        var leftovers = await remote.VersionsAsync(Model);
        if (remote.IsGitLab)
        {
            foreach (var leftover in leftovers)
            {
                Assert.StartsWith(IncompleteVersions.Marker, (string)leftover!["description"]!);
                var semver = (string)leftover["aliases"]![0]!;
                await MlfAssert.ThrowsAsync(MlfError.VersionIncomplete, () => remote.Registry.GetModelVersionAsync(Model, semver, TestContext.CancellationToken));
            }
        }
        else
        {
            Assert.IsEmpty(leftovers, "MLflow registers the version last: a failed publish leaves none");
        }

        var rerun = await publisher.PublishAsync(input, TestContext.CancellationToken);

        Assert.IsFalse(rerun.AlreadyPublished, "an incomplete version must not count as holding the content");
        var complete = await remote.Registry.GetModelVersionAsync(Model, rerun.Version, TestContext.CancellationToken);
        Assert.AreEqual(rerun.ContentHash, complete.Tags[PublishTags.ContentHash]);
        var files = await remote.Registry.ListFilesAsync(complete, TestContext.CancellationToken);
        CollectionAssert.AreEquivalent(new[] { "model.zip", "config/settings.json" }, files.Select(f => f.Path).ToArray());
    }
}
