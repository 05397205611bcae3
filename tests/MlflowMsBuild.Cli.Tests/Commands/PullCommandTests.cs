using System.Text.Json;
using MlflowMsBuild.Cli.Tests.TestUtilities;
using MlflowMsBuild.Core.Tests.TestUtilities;
using MlflowMsBuild.TestServer;

namespace MlflowMsBuild.Cli.Tests.Commands;

[TestClass]
public sealed class PullCommandTests
{
    [TestMethod]
    [DataRow(RegistryFlavor.Mlflow, "1")]
    [DataRow(RegistryFlavor.GitLab, "1.0.0")]
    public async Task Pull_PrintsOnlyTheFolder_AndASecondPullSendsNoRequest(RegistryFlavor flavor, string version)
    {
        await using var fixture = await RemoteFixture.StartAsync(flavor);
        await fixture.PublishAsync(requestedVersion: flavor == RegistryFlavor.GitLab ? "1.0.0" : null);
        var cli = CliRunner.For(fixture);

        var first = await cli.RunAsync("pull", "models:/test-model/1", "--registry", fixture.Setting);
        fixture.Server.RequestLog.Clear();
        var second = await cli.RunAsync("pull", "models:/test-model/1", "--registry", fixture.Setting);

        Assert.AreEqual(0, first.ExitCode, first.ToString());
        var folder = first.Out.TrimEnd('\n');
        Assert.AreEqual(folder + "\n", first.Out.ReplaceLineEndings("\n"), "standard output holds the folder and nothing else");
        CollectionAssert.AreEqual(PublishFixture.RandomBytes(300_000, 1), File.ReadAllBytes(Path.Combine(folder, "model.zip")));
        StringAssert.Contains(first.Error, $"Model 'test-model' version {version} (2 files");
        StringAssert.Contains(first.Error, "downloaded");
        Assert.AreEqual(0, second.ExitCode, second.ToString());
        Assert.AreEqual(first.Out, second.Out);
        StringAssert.Contains(second.Error, "from the cache");
        Assert.IsEmpty(fixture.Server.RequestLog.Entries, string.Join("\n", fixture.Server.RequestLog.Entries));
    }

    [TestMethod]
    [DataRow(RegistryFlavor.Mlflow)]
    [DataRow(RegistryFlavor.GitLab)]
    public async Task SelfContainedUri_NeedsNoRegistryOption(RegistryFlavor flavor)
    {
        await using var fixture = await RemoteFixture.StartAsync(flavor);
        await fixture.PublishAsync();

        var result = await CliRunner.For(fixture).RunAsync("pull", $"models:/test-model/1?registry={fixture.Setting}", "--json");

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        using var json = JsonDocument.Parse(result.Out);
        Assert.IsFalse(json.RootElement.GetProperty("from_cache").GetBoolean());
        Assert.AreEqual("test-model", json.RootElement.GetProperty("name").GetString());
        Assert.AreEqual(2, json.RootElement.GetProperty("files").GetArrayLength());
        StringAssert.Contains(json.RootElement.GetProperty("uri").GetString(), "?registry=");
        Assert.IsTrue(File.Exists(Path.Combine(json.RootElement.GetProperty("directory").GetString()!, "model.zip")));
    }

    [TestMethod]
    public async Task DamagedCachedCopy_IsReportedAsAWarning_AlsoWhenStandardErrorIsNotATerminal()
    {
        using var fixture = new PublishFixture();
        var (cli, manifest) = await CliRunner.PulledAsync(fixture);
        File.WriteAllBytes(manifest, []);

        // Standard error redirected (a CI log): no progress lines, but the warning (new-user trial, issue 10).
        var again = await cli.RunAsync("pull", "models:/test-model/1");

        Assert.AreEqual(0, again.ExitCode, again.ToString());
        StringAssert.Contains(again.Error, "warning MLF3009: ");
        StringAssert.Contains(again.Error, "downloaded");
    }

    [TestMethod]
    public async Task PulledFileOverwrittenInPlace_SameSize_IsPutBackByTheNextPull_AndItsJsonHashIsTrue()
    {
        using var fixture = new PublishFixture();
        var (cli, _) = await CliRunner.PulledAsync(fixture);
        var folder = (await cli.RunAsync("pull", "models:/test-model/1")).Out.Trim();
        var file = Path.Combine(folder, "model.zip");
        var registered = File.ReadAllBytes(file);
        File.SetAttributes(file, FileAttributes.Normal);
        File.WriteAllBytes(file, registered.Select(b => (byte)~b).ToArray());

        // What a new user did (issue 10 trial): the warning said "downloaded again", the folder kept the changed bytes.
        var again = await cli.RunAsync("pull", "models:/test-model/1");
        var json = await cli.RunAsync("pull", "models:/test-model/1", "--json");

        StringAssert.Contains(again.Error, "warning MLF3009: ");
        CollectionAssert.AreEqual(registered, File.ReadAllBytes(file));
        using var document = JsonDocument.Parse(json.Out);
        var listed = document.RootElement.GetProperty("files").EnumerateArray().Single(f => f.GetProperty("path").GetString() == "model.zip");
        Assert.AreEqual(PublishFixture.Sha256Hex(File.ReadAllBytes(file)), listed.GetProperty("sha256").GetString());
    }

    [TestMethod]
    public async Task Json_DescribesTheModelAndItsFiles()
    {
        using var fixture = new PublishFixture();
        await fixture.PublishAsync();
        var cli = new CliRunner(fixture.Home.Path, workingDirectory: fixture.Repo.Root);

        var result = await cli.RunAsync("pull", "models:/test-model/1", "--json");

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        using var json = JsonDocument.Parse(result.Out);
        var root = json.RootElement;
        Assert.AreEqual("1", root.GetProperty("version").GetString());
        var registry = root.GetProperty("registry");
        Assert.AreEqual("local", registry.GetProperty("kind").GetString());
        Assert.AreEqual(fixture.Registry.Root, registry.GetProperty("address").GetString());
        Assert.AreEqual(JsonValueKind.Null, registry.GetProperty("project").ValueKind);
        Assert.AreEqual(fixture.Registry.Descriptor.Key, registry.GetProperty("key").GetString());
        Assert.AreEqual(fixture.Registry.Descriptor.DisplayName, registry.GetProperty("display_name").GetString());
        var file = root.GetProperty("files").EnumerateArray().Single(f => f.GetProperty("path").GetString() == "model.zip");
        Assert.AreEqual(150_000, file.GetProperty("size").GetInt64());
        Assert.AreEqual(PublishFixture.Sha256Hex(PublishFixture.RandomBytes(150_000, 1)), file.GetProperty("sha256").GetString());
    }

    [TestMethod]
    public async Task Output_PlacesTheFilesInTheGivenFolder()
    {
        using var fixture = new PublishFixture();
        await fixture.PublishAsync();
        var target = fixture.Home.Combine("here");

        var result = await new CliRunner(fixture.Home.Path, workingDirectory: fixture.Home.Path).RunAsync("pull", "models:/test-model/1", "-o", "here");

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        Assert.AreEqual(target, result.Out.Trim());
        Assert.IsTrue(File.Exists(Path.Combine(target, "config", "settings.json")));
    }

    [TestMethod]
    public async Task LocalPath_PrintsItsFullPath()
    {
        using var fixture = new PublishFixture();
        fixture.WriteDefaultModel();

        var result = await new CliRunner(fixture.Home.Path, workingDirectory: fixture.Repo.Root).RunAsync("pull", "out/model");

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        Assert.AreEqual(fixture.ModelDirectory, result.Out.Trim());
    }

    [TestMethod]
    public async Task LocalPath_Json_ListsEveryFileWithItsHash_AndIsNotFromTheCache()
    {
        using var home = new TempDirectory();
        Directory.CreateDirectory(home.Combine("model/sub"));
        File.WriteAllText(home.Combine("model/a.txt"), "a\n");
        File.WriteAllBytes(home.Combine("model/sub/b.txt"), PublishFixture.RandomBytes(1000, 3));
        var cli = new CliRunner(home.Path, workingDirectory: home.Path);

        var json = await cli.RunAsync("pull", "model", "--json");
        var text = await cli.RunAsync("pull", "model");

        Assert.AreEqual(0, json.ExitCode, json.ToString());
        using var document = JsonDocument.Parse(json.Out);
        var root = document.RootElement;
        Assert.AreEqual(home.Combine("model"), root.GetProperty("directory").GetString());
        Assert.IsFalse(root.GetProperty("from_cache").GetBoolean(), "a folder's files are read where they are, not from the cache");
        var files = root.GetProperty("files").EnumerateArray().Select(f => (f.GetProperty("path").GetString(), f.GetProperty("size").GetInt64(), f.GetProperty("sha256").GetString())).ToList();
        CollectionAssert.AreEqual(
            new[] { ("a.txt", 2L, PublishFixture.Sha256Hex("a\n"u8.ToArray())), ("sub/b.txt", 1000L, PublishFixture.Sha256Hex(PublishFixture.RandomBytes(1000, 3))) },
            files);
        Assert.IsFalse(Directory.Exists(home.Combine("cache")), "a local path never touches the cache");
        Assert.AreEqual(0, text.ExitCode, text.ToString());
        Assert.AreEqual(home.Combine("model") + "\n", text.Out.ReplaceLineEndings("\n"));
        StringAssert.Contains(text.Error, "Model folder (2 files, ");
    }

    [TestMethod]
    public async Task LocalPath_WithOutput_IsRefused_AndCopiesNothing()
    {
        using var home = new TempDirectory();
        Directory.CreateDirectory(home.Combine("model"));
        File.WriteAllText(home.Combine("model/a.txt"), "a");
        var cli = new CliRunner(home.Path, workingDirectory: home.Path);

        var text = await cli.RunAsync("pull", "model", "-o", "copy");
        var json = await cli.RunAsync("pull", "model", "--output", "copy", "--json");

        Assert.AreEqual(ExitCodes.Usage, text.ExitCode, text.ToString());
        Assert.AreEqual("", text.Out);
        StringAssert.StartsWith(text.Error, "error MLF7095: ");
        Assert.AreEqual(ExitCodes.Usage, json.ExitCode, json.ToString());
        using var document = JsonDocument.Parse(json.Out);
        Assert.AreEqual("MLF7095", document.RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.IsFalse(Directory.Exists(home.Combine("copy")));
        Assert.IsTrue(File.Exists(home.Combine("model/a.txt")));
    }

    [TestMethod]
    [DataRow("models:/test-model/7", 2, "MLF2002")]
    [DataRow("models:/test-other/1", 2, "MLF2001")]
    [DataRow("no/such/folder", 2, "MLF7003")]
    [DataRow("models:/test-model/Production", 1, "MLF7001")]
    [DataRow("models:/test-model", 1, "MLF7005")]
    [DataRow("runs:/abc/model", 1, "MLF7002")]
    [DataRow("models:/test-model@champion", 3, "MLF1003")]
    public async Task Failures_ExitWithTheirCode_AndLeaveStandardOutputEmpty(string model, int exitCode, string code)
    {
        using var fixture = new PublishFixture();
        await fixture.PublishAsync();
        await fixture.PublishAsync(fixture.Input("test-other-model"));
        var cli = new CliRunner(fixture.Home.Path, workingDirectory: fixture.Repo.Root);

        var text = await cli.RunAsync("pull", model);
        var json = await cli.RunAsync("pull", model, "--json");

        Assert.AreEqual(exitCode, text.ExitCode, text.ToString());
        Assert.AreEqual("", text.Out);
        StringAssert.StartsWith(text.Error, $"error {code}: ");
        Assert.AreEqual(exitCode, json.ExitCode, json.ToString());
        using var document = JsonDocument.Parse(json.Out);
        var error = document.RootElement.GetProperty("error");
        Assert.AreEqual(code, error.GetProperty("code").GetString());
        Assert.AreEqual(exitCode, error.GetProperty("exit_code").GetInt32());
        StringAssert.StartsWith(text.Error, "error " + code + ": " + error.GetProperty("message").GetString());
    }

    [TestMethod]
    public async Task Offline_WithTheModelNotCached_ExitsWith4()
    {
        using var fixture = new PublishFixture();
        await fixture.PublishAsync();
        var cli = new CliRunner(fixture.Home.Path, new Dictionary<string, string> { ["MLFLOW_MSBUILD_OFFLINE"] = "1" });

        var result = await cli.RunAsync("pull", "models:/test-model/1");

        Assert.AreEqual(4, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Error, "error MLF3004");
    }

    [TestMethod]
    public async Task UnknownOptionOrMissingArgument_IsAUsageError()
    {
        using var home = new TempDirectory();
        var cli = new CliRunner(home.Path);

        Assert.AreEqual(1, (await cli.RunAsync("pull")).ExitCode);
        Assert.AreEqual(1, (await cli.RunAsync("pull", "models:/test-x/1", "--frobnicate")).ExitCode);
        Assert.AreEqual(1, (await cli.RunAsync("fetch", "models:/test-x/1")).ExitCode);
    }

    [TestMethod]
    [DataRow(true)]
    [DataRow(false)]
    public async Task Progress_IsWrittenOnlyWhenStandardErrorIsATerminal(bool terminal)
    {
        await using var fixture = await RemoteFixture.StartAsync(RegistryFlavor.Mlflow);
        await fixture.PublishAsync();
        fixture.Server.Faults.Throttle("GET", @"model\.zip", bytesPerSecond: 100_000);
        var cli = new CliRunner(fixture.Home.Path, fixture.Variables, fixture.Repo.Root) { ErrorIsTerminal = terminal };

        var result = await cli.RunAsync("pull", "models:/test-model/1", "--registry", fixture.Setting);

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        Assert.AreEqual(terminal, result.Error.Contains("Downloading models:", StringComparison.Ordinal), result.ToString());
    }
}
