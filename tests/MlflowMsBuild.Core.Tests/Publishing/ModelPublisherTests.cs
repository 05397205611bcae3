using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Publishing;
using MlflowMsBuild.Core.Tests.TestUtilities;

namespace MlflowMsBuild.Core.Tests.Publishing;

[TestClass]
public sealed class ModelPublisherTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Publish_ReturnsTheVersionAndCounts()
    {
        using var fixture = new PublishFixture();
        var files = fixture.WriteModel(("a.bin", new byte[1000]), ("b/c.bin", new byte[234]));

        var result = await fixture.PublishAsync(fixture.Input("doc-manual", files));

        Assert.AreEqual("doc-manual", result.ModelName);
        Assert.AreEqual("1", result.Version);
        Assert.AreEqual(2, result.FileCount);
        Assert.AreEqual(1234L, result.TotalBytes);
        Assert.AreEqual(fixture.Repo.HeadSha(), result.CommitSha);
    }

    [TestMethod]
    public async Task Publish_WithoutRemote_RecordsNoCommitUrlOrRepoUrl()
    {
        using var fixture = new PublishFixture();

        var run = fixture.ReadRun((await fixture.PublishAsync()).RunId);

        Assert.IsFalse(run.GetProperty("params").TryGetProperty("commit_url", out _));
        Assert.IsFalse(run.GetProperty("tags").TryGetProperty("mlflow.source.git.repoURL", out _));
        Assert.AreEqual(fixture.Repo.Root, run.GetProperty("tags").GetProperty("mlflow.source.name").GetString());
    }

    [TestMethod]
    public async Task Publish_WithoutRemote_WarnsWithACode_WithOriginItDoesNot()
    {
        using var withoutRemote = new PublishFixture();
        using var withOrigin = new PublishFixture("git@gitlab.example.org:group/project.git");
        var warnings = new List<MlfWarning>();
        var originWarnings = new List<MlfWarning>();

        await withoutRemote.PublishAsync(withoutRemote.Input() with { Warn = warnings.Add });
        await withOrigin.PublishAsync(withOrigin.Input() with { Warn = originWarnings.Add });

        Assert.AreEqual("MLF4010", warnings.Single().Code);
        Assert.Contains(withoutRemote.Repo.Root, warnings.Single().Message);
        Assert.IsEmpty(originWarnings);
    }

    [TestMethod]
    public async Task Publish_RemoteWithCredentials_DoesNotRecordThem()
    {
        using var fixture = new PublishFixture("https://gitlab-ci-token:s3cr3t@gitlab.com/group/proj.git");

        var result = await fixture.PublishAsync();

        var everything = string.Concat(Directory.EnumerateFiles(fixture.Registry.Root, "*.json", SearchOption.AllDirectories).Select(File.ReadAllText));
        Assert.DoesNotContain("s3cr3t", everything);
        Assert.AreEqual("https://gitlab.com/group/proj.git", fixture.ReadRun(result.RunId).GetProperty("tags").GetProperty("mlflow.source.git.repoURL").GetString());
    }

    [TestMethod]
    public async Task Publish_FromADirtyWorkingTree_FailsNamingTheChangedFiles()
    {
        using var fixture = new PublishFixture();
        fixture.Repo.WriteFile("README.md", "edited after the commit");

        var error = await MlfAssert.ThrowsAsync(MlfError.DirtyWorkingTree, () => fixture.PublishAsync());

        Assert.Contains("README.md", error.Message);
        Assert.Contains("MlflowAllowDirty=true", error.Message);
        Assert.IsFalse(Directory.Exists(fixture.Registry.Root));
    }

    [TestMethod]
    public async Task Publish_FromADirtyWorkingTree_WithAllowDirty_TagsItDirty()
    {
        using var fixture = new PublishFixture();
        fixture.Repo.WriteFile("README.md", "edited after the commit");

        var result = await fixture.PublishAsync(fixture.Input() with { AllowDirty = true });

        var run = fixture.ReadRun(result.RunId);
        Assert.AreEqual("true", run.GetProperty("tags").GetProperty("mlflow_msbuild.git.dirty").GetString());
        Assert.AreEqual(64, run.GetProperty("tags").GetProperty("mlflow_msbuild.git.changes_sha256").GetString()!.Length);
        var version = await fixture.Registry.GetModelVersionAsync("test-model", result.Version, TestContext.CancellationToken);
        Assert.AreEqual("true", version.Tags["mlflow_msbuild.git.dirty"]);
        Assert.Contains("**dirty**", version.Description);
    }

    [TestMethod]
    public async Task Publish_UserParamNamedCommit_FailsWithMLF1052_InsteadOfBeingDropped()
    {
        using var fixture = new PublishFixture();
        var input = fixture.Input() with { Params = new Dictionary<string, string> { ["commit"] = "forged" } };

        var error = await MlfAssert.ThrowsAsync(MlfError.ParamReserved, () => fixture.PublishAsync(input));

        Assert.Contains("'commit'", error.Message);
        Assert.IsFalse(Directory.Exists(Path.Combine(fixture.Registry.Root, "models")), "Something was published.");
    }

    [TestMethod]
    public async Task Publish_CustomPrefixes_AllowOtherNames()
    {
        using var fixture = new PublishFixture();
        var input = fixture.Input("prod-classifier") with { NamePrefixes = ["prod-"] };

        var result = await fixture.PublishAsync(input);

        Assert.AreEqual("prod-classifier", result.ModelName);
    }

    [TestMethod]
    public async Task Publish_NameBreakingTheConvention_FailsBeforeWritingAnything()
    {
        using var fixture = new PublishFixture();

        var error = await MlfAssert.ThrowsAsync(MlfError.ModelNameConvention, () => fixture.PublishAsync(fixture.Input("classifier")));

        Assert.Contains("'doc-' or 'test-'", error.Message);
        Assert.IsFalse(Directory.Exists(fixture.Registry.Root));
    }

    [TestMethod]
    public async Task Publish_NoFiles_ThrowsModelFilesMissing()
    {
        using var fixture = new PublishFixture();

        await MlfAssert.ThrowsAsync(MlfError.ModelFilesMissing, () => fixture.PublishAsync(fixture.Input(files: [])));

        Assert.IsFalse(Directory.Exists(fixture.Registry.Root));
    }

    [TestMethod]
    public async Task Publish_ListedFileMissing_ThrowsModelFilesMissing()
    {
        using var fixture = new PublishFixture();
        var files = fixture.WriteDefaultModel().Append(Path.Combine(fixture.ModelDirectory, "gone.bin")).ToList();

        var error = await MlfAssert.ThrowsAsync(MlfError.ModelFilesMissing, () => fixture.PublishAsync(fixture.Input(files: files)));

        Assert.Contains("gone.bin", error.Message);
        Assert.IsFalse(Directory.Exists(fixture.Registry.Root));
    }

    [TestMethod]
    public async Task Publish_FileOutsideTheModelFolder_ThrowsModelFileOutsideRoot()
    {
        using var fixture = new PublishFixture();
        var outside = fixture.Repo.WriteFile("out/model-extra/x.bin", "x");
        var files = fixture.WriteDefaultModel().Append(outside).ToList();

        var error = await MlfAssert.ThrowsAsync(MlfError.ModelFileOutsideRoot, () => fixture.PublishAsync(fixture.Input(files: files)));

        Assert.Contains(outside, error.Message);
        Assert.IsFalse(Directory.Exists(fixture.Registry.Root));
    }

    [TestMethod]
    public async Task Publish_InvalidMetrics_FailsBeforeWritingAnything()
    {
        using var fixture = new PublishFixture();
        var metrics = fixture.Repo.WriteFile("out/metrics.json", """{"auc": "great"}""");

        await MlfAssert.ThrowsAsync(MlfError.MetricsFileInvalid, () => fixture.PublishAsync(fixture.Input(metricsFile: metrics)));

        Assert.IsFalse(Directory.Exists(fixture.Registry.Root));
    }

    [TestMethod]
    public async Task Publish_OutsideAGitRepository_ThrowsNotAGitRepository()
    {
        using var fixture = new PublishFixture();
        using var elsewhere = new TempDirectory();
        var input = fixture.Input() with { SourceDirectory = elsewhere.Path };

        await MlfAssert.ThrowsAsync(MlfError.NotAGitRepository, () => fixture.PublishAsync(input));

        Assert.IsFalse(Directory.Exists(fixture.Registry.Root));
    }

    [TestMethod]
    public async Task Publish_UploadFailingMidway_LeavesNoVersionAndAFailedRun()
    {
        using var fixture = new PublishFixture();
        var failing = new RegistryDecorator(fixture.Registry) { FailUpload = (2, new IOException("connection reset")) };

        var thrown = await MlfAssert.ThrowsAsync(MlfError.PublishFailed, () => fixture.PublishAsync(registry: failing));

        StringAssert.Contains(thrown.Message, "connection reset");
        Assert.IsInstanceOfType<IOException>(thrown.InnerException);
        Assert.AreEqual(1, failing.AbortCalls);
        await MlfAssert.ThrowsAsync(MlfError.UnknownModelNoneExist,
            () => fixture.Registry.ListModelVersionsAsync("test-model", TestContext.CancellationToken));
        var runs = Directory.GetDirectories(Path.Combine(fixture.Registry.Root, "runs"));
        var run = fixture.ReadRun(Path.GetFileName(Assert.ContainsSingle(runs)));
        Assert.AreEqual("FAILED", run.GetProperty("status").GetString());
        Assert.AreEqual("connection reset", run.GetProperty("status_message").GetString());
    }

    [TestMethod]
    public async Task Publish_FailingAfterAnEarlierVersion_KeepsVersionsSequential()
    {
        using var fixture = new PublishFixture();
        await fixture.PublishAsync();
        var failing = new RegistryDecorator(fixture.Registry) { FailUpload = (1, new IOException("disk full")) };

        var changed = fixture.Input(files: fixture.WriteDefaultModel(seed: 2));
        await MlfAssert.ThrowsAsync(MlfError.PublishFailed, () => fixture.PublishAsync(changed, registry: failing));
        var next = await fixture.PublishAsync(changed);

        Assert.AreEqual("2", next.Version);
        var versions = await fixture.Registry.ListModelVersionsAsync("test-model", TestContext.CancellationToken);
        CollectionAssert.AreEqual(new[] { "1", "2" }, versions.Select(v => v.Version).ToArray());
    }

    [TestMethod]
    public async Task Publish_Cancelled_LeavesNoVersionAndAFailedRun()
    {
        using var fixture = new PublishFixture();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAsync<OperationCanceledException>(
            () => new ModelPublisher(fixture.Registry).PublishAsync(fixture.Input(), cancelled.Token));

        await MlfAssert.ThrowsAsync(MlfError.UnknownModelNoneExist,
            () => fixture.Registry.ListModelVersionsAsync("test-model", TestContext.CancellationToken));
        var runs = Directory.GetDirectories(Path.Combine(fixture.Registry.Root, "runs"));
        Assert.AreEqual("FAILED", fixture.ReadRun(Path.GetFileName(Assert.ContainsSingle(runs))).GetProperty("status").GetString());
    }
}
