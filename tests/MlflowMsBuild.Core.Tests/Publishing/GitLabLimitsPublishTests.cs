using System.Text;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Publishing;
using MlflowMsBuild.Core.Registry;
using MlflowMsBuild.Core.Registry.GitLab;
using MlflowMsBuild.Core.Tests.TestUtilities;
using MlflowMsBuild.TestServer;
using static MlflowMsBuild.Core.Tests.TestUtilities.RemoteRegistry;

namespace MlflowMsBuild.Core.Tests.Publishing;

/// <summary>
/// A publish to the GitLab double either succeeds with what GitLab stores or is refused before any request that
/// creates something: never a version left incomplete by a limit GitLab enforces after creating it.
/// </summary>
[TestClass]
public sealed class GitLabLimitsPublishTests
{
    private const string Model = "test-classifier";

    public TestContext TestContext { get; set; } = null!;

    private static string CommandLineOf(int length)
    {
        var text = new StringBuilder("Classifier --train data/train.csv");
        for (var i = 0; text.Length < length; i++)
        {
            text.Append(" --feature f").Append(i);
        }

        // The publisher trims the command line: end on a non-space.
        return text.ToString(0, length - 1) + "x";
    }

    [TestMethod]
    public async Task Publish_CommandLineOf300Characters_ParamShortenedToGitLabsLimit_WholeValueInParamsArtifact()
    {
        await using var remote = await StartAsync(RegistryFlavor.GitLab);
        using var fixture = new PublishFixture();
        var commandLine = CommandLineOf(300);

        var result = await new ModelPublisher(remote.Registry).PublishAsync(fixture.Input(Model) with { CommandLine = commandLine }, TestContext.CancellationToken);

        var version = Assert.ContainsSingle(await remote.VersionsAsync(Model))!;
        Assert.DoesNotContain(IncompleteVersions.Marker, (string)version["description"]!);
        var (_, run) = await remote.GetAsync("runs/get?run_id=" + result.RunId);
        Assert.AreEqual("FINISHED", (string)run!["run"]!["info"]!["status"]!);
        var param = Value(run["run"]!["data"]!["params"], "command_line")!;
        Assert.AreEqual(GitLabLimits.MaxParamValueLength, param.Length);
        Assert.StartsWith(commandLine[..100], param);
        Assert.EndsWith("(whole value in the run's artifact params/command_line.txt)", param);
        var id = (string)version["version"]!;
        CollectionAssert.Contains((await remote.ListArtifactsAsync(id)).ToList(), "params/command_line.txt");
        var stored = await remote.DownloadArtifactAsync(id + "/params/command_line.txt");
        Assert.AreEqual(commandLine, Encoding.UTF8.GetString(stored));
        var restored = await remote.Registry.ListFilesAsync(await remote.Registry.GetModelVersionAsync(Model, result.Version, TestContext.CancellationToken), TestContext.CancellationToken);
        CollectionAssert.AreEquivalent(new[] { "model.zip", "config/settings.json" }, restored.Select(f => f.Path).ToArray(), "the param file is not a model file");
    }

    [TestMethod]
    public async Task Publish_CommandLineOf250Characters_StoredAsIs()
    {
        await using var remote = await StartAsync(RegistryFlavor.GitLab);
        using var fixture = new PublishFixture();
        var commandLine = CommandLineOf(250);

        var result = await new ModelPublisher(remote.Registry).PublishAsync(fixture.Input(Model) with { CommandLine = commandLine }, TestContext.CancellationToken);

        var (_, run) = await remote.GetAsync("runs/get?run_id=" + result.RunId);
        Assert.AreEqual(commandLine, Value(run!["run"]!["data"]!["params"], "command_line"));
        var id = (string)Assert.ContainsSingle(await remote.VersionsAsync(Model))!["version"]!;
        Assert.IsFalse((await remote.ListArtifactsAsync(id)).Any(p => p.StartsWith("params/", StringComparison.Ordinal)));
    }

    [TestMethod]
    public async Task Publish_CommandLineOf300Characters_ToMlflow_StoredWhole()
    {
        await using var remote = await StartAsync(RegistryFlavor.Mlflow);
        using var fixture = new PublishFixture();
        var commandLine = CommandLineOf(300);

        var result = await new ModelPublisher(remote.Registry).PublishAsync(fixture.Input(Model) with { CommandLine = commandLine }, TestContext.CancellationToken);

        var (_, run) = await remote.GetAsync("runs/get?run_id=" + result.RunId);
        Assert.AreEqual(commandLine, Value(run!["run"]!["data"]!["params"], "command_line"));
    }

    [TestMethod]
    [DataRow("NaN")]
    [DataRow("Infinity")]
    [DataRow("-Infinity")]
    public async Task Publish_NonFiniteMetric_RefusedWithMLF4020_BeforeAnythingIsCreated(string value)
    {
        await using var remote = await StartAsync(RegistryFlavor.GitLab);
        using var fixture = new PublishFixture();
        var metrics = fixture.Repo.WriteFile("out/metrics.json", "{\"test\": {\"auc\": 0.9, \"f1\": " + value + "}}");
        fixture.Repo.CommitAll("metrics");
        remote.Server.RequestLog.Clear();

        var error = await MlfAssert.ThrowsAsync(MlfError.MetricValueNotStored,
            () => new ModelPublisher(remote.Registry).PublishAsync(fixture.Input(Model, metricsFile: metrics), TestContext.CancellationToken));

        Assert.Contains("'test/f1'", error.Message);
        Assert.Contains(value, error.Message);
        Assert.IsEmpty(await remote.VersionsAsync(Model), "no version may exist after a refusal");
        Assert.IsFalse(remote.Server.RequestLog.Entries.Any(e => e.Method != "GET"), string.Join("\n", remote.Server.RequestLog.Entries));
    }

    [TestMethod]
    public async Task Publish_NonFiniteMetric_ToMlflow_Published()
    {
        await using var remote = await StartAsync(RegistryFlavor.Mlflow);
        using var fixture = new PublishFixture();
        var metrics = fixture.Repo.WriteFile("out/metrics.json", """{"f1": NaN}""");
        fixture.Repo.CommitAll("metrics");

        await new ModelPublisher(remote.Registry).PublishAsync(fixture.Input(Model, metricsFile: metrics), TestContext.CancellationToken);

        Assert.ContainsSingle(await remote.VersionsAsync(Model));
    }

    [TestMethod]
    public void ThrowIfRefused_FileAtTheSizeLimit_MLF4021_OneByteLessPasses()
    {
        var limits = new PublicationLimits(MaxFileSize: 100);
        var registry = new RegistryDescriptor("gitlab", "k", "GitLab model registry of 'g/p'");

        RegistryLimitCheck.ThrowIfRefused(limits, registry, new Dictionary<string, double>(), null, new Dictionary<string, string>(),
            new Dictionary<string, string>(), [("model/a.bin", 99)], "d");
        var error = MlfAssert.Throws(MlfError.FileTooLargeForRegistry, () => RegistryLimitCheck.ThrowIfRefused(limits, registry,
            new Dictionary<string, double>(), null, new Dictionary<string, string>(), new Dictionary<string, string>(), [("model/a.bin", 99), ("model/b.bin", 100)], "d"));

        Assert.Contains("'model/b.bin'", error.Message);
    }

    [TestMethod]
    public void GitLabLimits_FileSize_IsTheDefaultPlanLimit()
    {
        Assert.AreEqual(10_737_418_240L, GitLabLimits.Publication.MaxFileSize);
    }

    [TestMethod]
    [DataRow(5001, false)]
    [DataRow(0, true)]
    public void ThrowIfRefused_VersionTagValueOverGitLabsLimitOrEmpty_MLF4022(int length, bool blank)
    {
        var registry = new RegistryDescriptor("gitlab", "k", "GitLab model registry of 'g/p'");
        var value = blank ? "" : new string('v', length);

        var error = MlfAssert.Throws(MlfError.ValueTooLongForRegistry, () => RegistryLimitCheck.ThrowIfRefused(GitLabLimits.Publication, registry,
            new Dictionary<string, double>(), null, new Dictionary<string, string>(), new Dictionary<string, string> { ["k"] = value }, [], "d"));

        Assert.Contains("model version tag 'k'", error.Message);
    }

    [TestMethod]
    public void ThrowIfRefused_RunTagAndDescriptionOverGitLabsLimits_MLF4022()
    {
        var registry = new RegistryDescriptor("gitlab", "k", "GitLab model registry of 'g/p'");
        var ok = new Dictionary<string, string> { ["t"] = new string('v', 5000) };

        RegistryLimitCheck.ThrowIfRefused(GitLabLimits.Publication, registry, new Dictionary<string, double>(), null, ok, ok, [], new string('d', 10_000));
        MlfAssert.Throws(MlfError.ValueTooLongForRegistry, () => RegistryLimitCheck.ThrowIfRefused(GitLabLimits.Publication, registry,
            new Dictionary<string, double>(), null, new Dictionary<string, string> { ["t"] = new string('v', 5001) }, ok, [], "d"));
        var description = MlfAssert.Throws(MlfError.ValueTooLongForRegistry, () => RegistryLimitCheck.ThrowIfRefused(GitLabLimits.Publication, registry,
            new Dictionary<string, double>(), null, ok, ok, [], new string('d', 10_001)));
        Assert.Contains("registered model description", description.Message);
    }

    [TestMethod]
    public void FitParams_KeyWithCharactersGitLabFileNamesRefuse_SpilledUnderASafeName()
    {
        using var temp = new TempDirectory();
        var registry = new RegistryDescriptor("gitlab", "k", "GitLab model registry of 'g/p'");
        var value = new string('x', 251);

        var (stored, spilled) = RegistryLimitCheck.FitParams([("train opts:v1", value, "the MlflowParam items")], GitLabLimits.Publication, registry, () => temp.Path);

        var artifact = Assert.ContainsSingle(spilled);
        Assert.AreEqual("params/train_opts_v1.txt", artifact.ArtifactPath);
        Assert.IsNull(GitLabNames.Instance.WhyAltered(artifact.ArtifactPath));
        Assert.AreEqual(value, File.ReadAllText(artifact.FullPath));
        Assert.HasCount(250, stored["train opts:v1"]);
    }
}
