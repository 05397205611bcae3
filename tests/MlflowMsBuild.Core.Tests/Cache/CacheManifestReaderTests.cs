using System.Text;
using System.Text.Json;
using MlflowMsBuild.Core.Cache;
using MlflowMsBuild.Core.IO;
using MlflowMsBuild.Core.Registry;
using MlflowMsBuild.Core.Tests.TestUtilities;

namespace MlflowMsBuild.Core.Tests.Cache;

/// <summary>The manifest reader reads what the serializer writes, as the serializer would read it.</summary>
[TestClass]
public sealed class CacheManifestReaderTests
{
    [TestMethod]
    public void ManifestWrittenByTheSerializer_ReadsBackWhole()
    {
        using var folder = new TempDirectory();
        var path = folder.Combine("1.json");
        var written = new CacheManifest
        {
            Registry = "gitlab-0a1b2c",
            Name = "test-model \"quoted\" é",
            Version = "1.0.0",
            RunId = "r1",
            CreatedTimestamp = 1_764_000_000_000,
            Identity = new VersionIdentity("r1", 1_764_000_000_123, "mlflow-artifacts:/1/r1/artifacts/model", "42"),
            ArtifactPath = "model",
            Files =
            [
                new() { Path = "model.zip", Size = 3_000_000_000, Sha256 = new string('a', 64), BlobModified = 638_000_000_000_000_000 },
                new() { Path = "sub/ünï.txt", Size = 0, Sha256 = new string('b', 64) },
            ],
        };
        AtomicFile.WriteJson(path, written, CacheJson.Default.CacheManifest);

        var read = CacheManifestReader.Read(File.ReadAllBytes(path));

        Assert.AreEqual(JsonSerializer.Serialize(written, CacheJson.Default.CacheManifest), JsonSerializer.Serialize(read, CacheJson.Default.CacheManifest));
        Assert.AreEqual(written.Identity, read.Identity);
    }

    [TestMethod]
    public void OlderManifest_WithoutIdentityArtifactPathOrBlobTimes_ReadsWithDefaults()
    {
        var read = CacheManifestReader.Read("""
            {"registry": "mlflow-1", "name": "test-x", "version": "3", "run_id": "", "created_timestamp": 5,
             "files": [{"path": "m.bin", "size": 7, "sha256": "0000000000000000000000000000000000000000000000000000000000000000"}]}
            """u8);

        Assert.IsNull(read.Identity);
        Assert.IsNull(read.ArtifactPath);
        Assert.AreEqual(0, read.Files[0].BlobModified);
        Assert.AreEqual(7, read.Files[0].Size);
    }

    [TestMethod]
    public void UnknownProperties_AreSkipped_AsTheSerializerSkipsThem()
    {
        var read = CacheManifestReader.Read("""
            {"future": {"nested": [1, {"a": null}]}, "name": "test-x", "identity": null, "artifact_path": null,
             "files": [{"path": "m.bin", "extra": [true], "size": 1, "sha256": "x"}], "later": "text"}
            """u8);

        Assert.AreEqual("test-x", read.Name);
        Assert.IsNull(read.Identity);
        Assert.AreEqual("m.bin", read.Files.Single().Path);
    }

    [TestMethod]
    [DataRow("")]
    [DataRow("[]")]
    [DataRow("null")]
    [DataRow("""{"name": "test-x" """)]
    [DataRow("""{"name": null}""")]
    [DataRow("""{"name": 3}""")]
    [DataRow("""{"files": {}}""")]
    [DataRow("""{"files": [{"size": "7"}]}""")]
    [DataRow("""{"files": [1, {"path": "a"}]}""")]
    [DataRow("""{"identity": 5, "files": []}""")]
    [DataRow("""{"files": [{"size": 1.5}]}""")]
    [DataRow("""{"created_timestamp": 99999999999999999999}""")]
    [DataRow("""{"identity": {"creation_time": "x"}}""")]
    [DataRow("""{"name": "a"} {"name": "b"}""")]
    public void NotAManifest_IsAJsonException(string text)
    {
        // Utf8JsonReader throws a subtype of JsonException for text that is not JSON.
        Assert.Throws<JsonException>(() => CacheManifestReader.Read(Encoding.UTF8.GetBytes(text)), text);
    }

    [TestMethod]
    public void BytesThatAreNotUtf8_InAValueOrAName_AreAJsonException()
    {
        byte[] inValue = [.. "{\"name\": \"test-"u8, 0xFF, 0xFE, .. "\"}"u8];
        byte[] inName = [.. "{\""u8, 0xC3, 0x28, .. "\": 1}"u8];

        Assert.Throws<JsonException>(() => CacheManifestReader.Read(inValue));
        Assert.Throws<JsonException>(() => CacheManifestReader.Read(inName));
    }
}
