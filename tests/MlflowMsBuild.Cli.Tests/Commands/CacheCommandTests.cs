using System.Text.Json;
using MlflowMsBuild.Cli.Tests.TestUtilities;
using MlflowMsBuild.Core.Tests.TestUtilities;

namespace MlflowMsBuild.Cli.Tests.Commands;

[TestClass]
public sealed class CacheCommandTests
{
    [TestMethod]
    public async Task List_ShowsEachCachedVersionAndItsSharedFolder()
    {
        using var fixture = new PublishFixture();
        await fixture.PublishAsync();
        var cli = new CliRunner(fixture.Home.Path, workingDirectory: fixture.Repo.Root);
        var folder = (await cli.RunAsync("pull", "models:/test-model/1")).Out.Trim();

        var json = await cli.RunAsync("cache", "list", "--json");
        var text = await cli.RunAsync("cache", "list");

        Assert.AreEqual(0, json.ExitCode, json.ToString());
        using var document = JsonDocument.Parse(json.Out);
        var entry = document.RootElement.GetProperty("entries").EnumerateArray().Single();
        Assert.AreEqual("test-model", entry.GetProperty("name").GetString());
        Assert.AreEqual(fixture.Registry.Descriptor.Key, entry.GetProperty("registry").GetString());
        Assert.AreEqual(folder, entry.GetProperty("folder").GetString());
        Assert.AreEqual(2, entry.GetProperty("files").GetInt32());
        Assert.AreEqual(JsonValueKind.Null, entry.GetProperty("damage").ValueKind);
        StringAssert.Contains(text.Out, "test-model");
        StringAssert.Contains(text.Error, "1 version, ");
    }

    [TestMethod]
    public async Task List_ShowsAVersionWhoseManifestIsNotReadableAsDamaged()
    {
        using var fixture = new PublishFixture();
        var (cli, manifest) = await CliRunner.PulledAsync(fixture);
        File.WriteAllText(manifest, "{\"registry\": ");

        var json = await cli.RunAsync("cache", "list", "--json");
        var text = await cli.RunAsync("cache", "list");

        Assert.AreEqual(0, json.ExitCode, json.ToString());
        using var document = JsonDocument.Parse(json.Out);
        var entry = document.RootElement.GetProperty("entries").EnumerateArray().Single();
        StringAssert.Contains(entry.GetProperty("damage").GetString(), "its manifest is not readable");
        StringAssert.Contains(text.Out, "damaged");
        StringAssert.Contains(text.Error, "Model 'test-model' version 1 is damaged: its manifest is not readable");
        StringAssert.Contains(text.Error, manifest);
    }

    [TestMethod]
    [DataRow("list")]
    [DataRow("verify")]
    [DataRow("prune")]
    public async Task CacheDirThatIsAFile_IsMlf3013_NotAnEmptyCache(string command)
    {
        using var fixture = new PublishFixture();
        var file = fixture.Home.Combine("not-a-folder");
        File.WriteAllText(file, "x");
        var cli = new CliRunner(fixture.Home.Path, workingDirectory: fixture.Repo.Root);

        var result = await cli.RunAsync("cache", command, "--cache-dir", file);

        Assert.AreEqual(4, result.ExitCode, result.ToString());
        Assert.Contains("error MLF3013", result.Error);
        Assert.Contains("Set --cache-dir to a folder", result.Error);
        Assert.DoesNotContain("0 versions", result.Out);
    }

    [TestMethod]
    public async Task Verify_ExitsWith4OnDamage_AndRepairRemovesItAndItsFolder()
    {
        using var fixture = new PublishFixture();
        await fixture.PublishAsync();
        var cli = new CliRunner(fixture.Home.Path, workingDirectory: fixture.Repo.Root);
        var folder = (await cli.RunAsync("pull", "models:/test-model/1")).Out.Trim();
        Assert.AreEqual(0, (await cli.RunAsync("cache", "verify")).ExitCode);
        var blob = Directory.GetFiles(fixture.Home.Combine("cache", "blobs"), "*", SearchOption.AllDirectories).First();
        File.SetAttributes(blob, FileAttributes.Normal);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(blob, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.WriteAllText(blob, "damaged");

        var damaged = await cli.RunAsync("cache", "verify", "--json");
        var repaired = await cli.RunAsync("cache", "verify", "--repair");
        var after = await cli.RunAsync("cache", "verify");

        Assert.AreEqual(4, damaged.ExitCode, damaged.ToString());
        using var document = JsonDocument.Parse(damaged.Out);
        Assert.IsGreaterThan(0, document.RootElement.GetProperty("problems").GetArrayLength());
        Assert.AreEqual(0, repaired.ExitCode, repaired.ToString());
        Assert.IsFalse(Directory.Exists(folder), "the shared folder of a repaired version is removed with it");
        Assert.AreEqual(0, after.ExitCode, after.ToString());
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public async Task Verify_FindsASharedFolderFileReplacedWithOtherBytes_AndRepairRemovesTheFolder(bool blobTime)
    {
        using var fixture = new PublishFixture();
        var (cli, _) = await CliRunner.PulledAsync(fixture);
        var folder = (await cli.RunAsync("pull", "models:/test-model/1")).Out.Trim();
        var file = Path.Combine(folder, "model.zip");
        var registered = File.ReadAllBytes(file);
        var time = File.GetLastWriteTimeUtc(file);
        File.SetAttributes(file, FileAttributes.Normal);
        File.Delete(file);
        File.WriteAllBytes(file, registered.Select(b => (byte)~b).ToArray());
        if (blobTime)
        {
            // `touch -r <blob>`: the size and the time say nothing; only a hash does (second new-user trial, issue 10).
            File.SetLastWriteTimeUtc(file, time);
        }

        var verify = await cli.RunAsync("cache", "verify");
        var repair = await cli.RunAsync("cache", "verify", "--repair");
        var pulled = await cli.RunAsync("pull", "models:/test-model/1");

        Assert.AreEqual(4, verify.ExitCode, verify.ToString());
        StringAssert.Contains(verify.Out, folder + ": model 'test-model' version 1: its shared folder does not hold exactly the version's files");
        Assert.AreEqual(0, repair.ExitCode, repair.ToString());
        Assert.AreEqual(folder, pulled.Out.Trim());
        CollectionAssert.AreEqual(registered, File.ReadAllBytes(file));
        Assert.AreEqual(0, (await cli.RunAsync("cache", "verify")).ExitCode);
    }

    [TestMethod]
    public async Task Prune_BySize_RemovesVersionsBlobsAndFolders()
    {
        using var fixture = new PublishFixture();
        await fixture.PublishAsync();
        var cli = new CliRunner(fixture.Home.Path, workingDirectory: fixture.Repo.Root);
        var folder = (await cli.RunAsync("pull", "models:/test-model/1")).Out.Trim();

        var kept = await cli.RunAsync("cache", "prune", "--max-size", "1MiB", "--unused-for", "30d", "--json");
        var pruned = await cli.RunAsync("cache", "prune", "--max-size", "0", "--json");

        Assert.AreEqual(0, kept.ExitCode, kept.ToString());
        using (var document = JsonDocument.Parse(kept.Out))
        {
            Assert.AreEqual(0, document.RootElement.GetProperty("entries_removed").GetInt32());
        }

        Assert.AreEqual(0, pruned.ExitCode, pruned.ToString());
        using (var document = JsonDocument.Parse(pruned.Out))
        {
            Assert.AreEqual(1, document.RootElement.GetProperty("entries_removed").GetInt32());
            Assert.AreEqual(1, document.RootElement.GetProperty("folders_removed").GetInt32());
            Assert.IsGreaterThan(150_000L, document.RootElement.GetProperty("bytes_freed").GetInt64());
        }

        Assert.IsFalse(Directory.Exists(folder));
    }

    [TestMethod]
    [DataRow("--unused-for", "30")]
    [DataRow("--unused-for", "3y")]
    [DataRow("--max-size", "lots")]
    [DataRow("--max-size", "5XB")]
    [DataRow("--unused-for", "99999999999d")]
    [DataRow("--unused-for", "999999999w")]
    [DataRow("--unused-for", "36501d")]
    [DataRow("--max-size", "99999999999999999TiB")]
    public async Task Prune_WithAMalformedValue_IsAUsageError(string option, string value)
    {
        using var home = new TempDirectory();

        var result = await new CliRunner(home.Path).RunAsync("cache", "prune", option, value);

        Assert.AreEqual(1, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Error, "error MLF7008");
    }
}
