using System.Text.Json;
using MlflowMsBuild.Cli.Tests.TestUtilities;
using MlflowMsBuild.Core.Tests.TestUtilities;
using MlflowMsBuild.TestServer;

namespace MlflowMsBuild.Cli.Tests.Commands;

[TestClass]
public sealed class ShowListCommandTests
{
    [TestMethod]
    [DataRow(RegistryFlavor.Mlflow, "1")]
    [DataRow(RegistryFlavor.GitLab, "1.0.0")]
    public async Task Show_GivesParamsMetricsTagsAndFiles(RegistryFlavor flavor, string version)
    {
        await using var fixture = await RemoteFixture.StartAsync(flavor);
        await fixture.PublishAsync();
        var cli = CliRunner.For(fixture);

        var json = await cli.RunAsync("show", "models:/test-model/1", "--registry", fixture.Setting, "--json");
        var text = await cli.RunAsync("show", "models:/test-model/1", "--registry", fixture.Setting);

        Assert.AreEqual(0, json.ExitCode, json.ToString());
        using var document = JsonDocument.Parse(json.Out);
        var root = document.RootElement;
        Assert.AreEqual(version, root.GetProperty("version").GetString());
        var registry = root.GetProperty("registry");
        Assert.AreEqual(flavor == RegistryFlavor.GitLab ? "gitlab" : "mlflow", registry.GetProperty("kind").GetString());
        Assert.AreEqual(fixture.Server.BaseAddress.AbsoluteUri.TrimEnd('/'), registry.GetProperty("address").GetString()!.TrimEnd('/'));
        Assert.AreEqual(flavor == RegistryFlavor.GitLab ? RemoteFixture.ProjectPath : null, registry.GetProperty("project").GetString());
        Assert.IsTrue(root.GetProperty("complete").GetBoolean());
        Assert.AreEqual("Classifier --seed 1", root.GetProperty("params").GetProperty("command_line").GetString());
        Assert.AreEqual(fixture.Repo.HeadSha(), root.GetProperty("params").GetProperty("commit").GetString());
        var auc = root.GetProperty("metrics").EnumerateArray().Single(m => m.GetProperty("key").GetString() == "test/auc");
        Assert.AreEqual(0.93, auc.GetProperty("value").GetDouble());
        Assert.AreEqual(fixture.Repo.HeadSha(), root.GetProperty("run_tags").GetProperty("mlflow.source.git.commit").GetString());
        CollectionAssert.AreEqual(new[] { "config/settings.json", "model.zip" }, root.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("path").GetString()).ToArray());
        Assert.IsFalse(root.GetProperty("cached").GetBoolean());
        Assert.AreEqual(0, text.ExitCode, text.ToString());
        StringAssert.Contains(text.Out, $"Model 'test-model' version {version}");
        StringAssert.Contains(text.Out, "test/auc");
        StringAssert.Contains(text.Out, "command_line");
    }

    [TestMethod]
    public async Task List_GivesEveryVersionWithDateCommitAndKeyMetrics()
    {
        using var fixture = new PublishFixture();
        var metrics = fixture.Repo.WriteFile("out/metrics.json", "{\"test\": {\"auc\": 0.91}, \"train\": {\"auc\": 0.97}}");
        await fixture.PublishAsync(fixture.Input(metricsFile: metrics));
        await fixture.PublishAsync(fixture.Input(files: fixture.WriteDefaultModel(seed: 2), metricsFile: metrics));
        var cli = new CliRunner(fixture.Home.Path, workingDirectory: fixture.Repo.Root);

        var json = await cli.RunAsync("list", "test-model", "--json");
        var text = await cli.RunAsync("list", "models:/test-model");
        var chosen = await cli.RunAsync("list", "test-model", "--metric", "train/auc");

        Assert.AreEqual(0, json.ExitCode, json.ToString());
        using var document = JsonDocument.Parse(json.Out);
        var versions = document.RootElement.GetProperty("versions").EnumerateArray().ToList();
        CollectionAssert.AreEqual(new[] { "1", "2" }, versions.Select(v => v.GetProperty("version").GetString()).ToArray());
        Assert.AreEqual(fixture.Repo.HeadSha(), versions[0].GetProperty("commit").GetString());
        Assert.AreEqual(0.91, versions[1].GetProperty("metrics").GetProperty("test/auc").GetDouble());
        var lines = text.Out.ReplaceLineEndings("\n").TrimEnd().Split('\n');
        Assert.HasCount(3, lines, text.ToString());
        StringAssert.StartsWith(lines[0], "VERSION  CREATED");
        StringAssert.EndsWith(lines[0], "test/auc");
        StringAssert.Contains(lines[1], fixture.Repo.HeadSha()[..12]);
        StringAssert.EndsWith(lines[2], "0.91");
        StringAssert.EndsWith(chosen.Out.ReplaceLineEndings("\n").Split('\n')[1], "0.97");
    }

    [TestMethod]
    public async Task ShowAndList_Failures()
    {
        using var fixture = new PublishFixture();
        await fixture.PublishAsync();
        var cli = new CliRunner(fixture.Home.Path, workingDirectory: fixture.Repo.Root);

        Assert.AreEqual(2, (await cli.RunAsync("show", "models:/test-model/9")).ExitCode);
        Assert.AreEqual(2, (await cli.RunAsync("list", "test-unknown")).ExitCode);
        Assert.AreEqual(1, (await cli.RunAsync("show", "test-model")).ExitCode, "show needs a URI with a version");
        Assert.AreEqual(1, (await cli.RunAsync("list", "models:/test-model/1")).ExitCode, "list takes a model, not a version");
        var offline = await cli.RunAsync("show", "models:/test-model/1", "--offline");
        Assert.AreEqual(4, offline.ExitCode, offline.ToString());
        StringAssert.Contains(offline.Error, "MLF7009");
    }
}
