using MlflowMsBuild.Core.Cache;
using MlflowMsBuild.Core.IO;
using MlflowMsBuild.Core.Restore;
using MlflowMsBuild.Core.Tests.TestUtilities;

namespace MlflowMsBuild.Core.Tests.IO;

[TestClass]
public sealed class AtomicFileTests
{
    [TestMethod]
    public void WriteJson_ThenReadJson_RoundTripsAndLeavesNoTemporaryFile()
    {
        using var folder = new TempDirectory();
        var path = folder.Combine("deep", "manifest.json");

        AtomicFile.WriteJson(path, new CacheManifest { Name = "test-model", Version = "2" }, CacheJson.Default.CacheManifest);
        AtomicFile.WriteJson(path, new CacheManifest { Name = "test-model", Version = "3" }, CacheJson.Default.CacheManifest);

        Assert.AreEqual("3", AtomicFile.ReadJson(path, CacheJson.Default.CacheManifest).Version);
        Assert.ContainsSingle(Directory.GetFiles(folder.Combine("deep")));
    }

    [TestMethod]
    public void TryCreateJson_SecondWriter_LosesAndTheFirstContentStays()
    {
        using var folder = new TempDirectory();
        var path = folder.Combine("1.json");

        var first = AtomicFile.TryCreateJson(path, new CacheManifest { RunId = "first" }, CacheJson.Default.CacheManifest);
        var second = AtomicFile.TryCreateJson(path, new CacheManifest { RunId = "second" }, CacheJson.Default.CacheManifest);

        Assert.IsTrue(first);
        Assert.IsFalse(second);
        Assert.AreEqual("first", AtomicFile.ReadJson(path, CacheJson.Default.CacheManifest).RunId);
        Assert.ContainsSingle(Directory.GetFiles(folder.Path));
    }

    [TestMethod]
    public void TryCreateJson_ManyWritersAtOnce_ExactlyOneWins()
    {
        using var folder = new TempDirectory();
        var path = folder.Combine("claim.json");

        var wins = new bool[16];
        Parallel.For(0, wins.Length, i =>
            wins[i] = AtomicFile.TryCreateJson(path, new CacheManifest { RunId = i.ToString(System.Globalization.CultureInfo.InvariantCulture) }, CacheJson.Default.CacheManifest));

        Assert.AreEqual(1, wins.Count(w => w));
        var winner = Array.IndexOf(wins, true).ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.AreEqual(winner, AtomicFile.ReadJson(path, CacheJson.Default.CacheManifest).RunId);
        Assert.ContainsSingle(Directory.GetFiles(folder.Path));
    }

    [TestMethod]
    public void WriteJson_WithoutFlushToDisk_WritesTheSameWholeFile()
    {
        using var folder = new TempDirectory();
        var flushed = folder.Combine("flushed.json");
        var unflushed = folder.Combine("unflushed.json");
        var manifest = new CacheManifest { Name = "test-model", Version = "4", Files = [new() { Path = "model.bin", Size = 3, Sha256 = new string('a', 64) }] };

        AtomicFile.WriteJson(flushed, manifest, CacheJson.Default.CacheManifest);
        AtomicFile.WriteJson(unflushed, manifest, CacheJson.Default.CacheManifest, flushToDisk: false);

        CollectionAssert.AreEqual(File.ReadAllBytes(flushed), File.ReadAllBytes(unflushed));
        Assert.AreEqual("model.bin", AtomicFile.ReadJson(unflushed, CacheJson.Default.CacheManifest).Files[0].Path);
        Assert.HasCount(2, Directory.GetFiles(folder.Path));
    }

    [TestMethod]
    public void ReadJson_FileWithAUtf8ByteOrderMark_IsRead()
    {
        using var folder = new TempDirectory();
        var path = folder.Combine("edited.json");
        File.WriteAllText(path, """{"name": "test-model", "version": "5"}""", new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true));

        Assert.AreEqual(0xEF, File.ReadAllBytes(path)[0]);
        Assert.AreEqual("5", AtomicFile.ReadJson(path, CacheJson.Default.CacheManifest).Version);
    }

    [TestMethod]
    public void ReadJson_EmptyFile_ThrowsJsonException()
    {
        using var folder = new TempDirectory();

        Assert.ThrowsExactly<System.Text.Json.JsonException>(
            () => AtomicFile.ReadJson(folder.WriteFile("empty.json", ""), CacheJson.Default.CacheManifest));
    }

    [TestMethod]
    public void ReadJson_JsonNull_ThrowsJsonException()
    {
        using var folder = new TempDirectory();

        Assert.ThrowsExactly<System.Text.Json.JsonException>(
            () => AtomicFile.ReadJson(folder.WriteFile("null.json", "null"), CacheJson.Default.CacheManifest));
    }
}
