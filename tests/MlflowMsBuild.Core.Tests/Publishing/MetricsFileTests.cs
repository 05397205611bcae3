using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Publishing;
using MlflowMsBuild.Core.Tests.TestUtilities;

namespace MlflowMsBuild.Core.Tests.Publishing;

[TestClass]
public sealed class MetricsFileTests
{
    [TestMethod]
    public void Read_FlattensNestedObjectsWithSlashes()
    {
        using var folder = new TempDirectory();
        var path = folder.WriteFile("metrics.json", """
            {
              "loss": 0.25,
              "test": { "auc": 0.91, "per_class": { "cat": 0.5, "dog": 1 } },
              "validation": { "auc": -3e-2 }
            }
            """);

        var metrics = MetricsFile.Read(path);

        CollectionAssert.AreEqual(
            new[] { "loss", "test/auc", "test/per_class/cat", "test/per_class/dog", "validation/auc" },
            metrics.Keys.ToArray());
        Assert.AreEqual(0.25, metrics["loss"]);
        Assert.AreEqual(0.91, metrics["test/auc"]);
        Assert.AreEqual(0.5, metrics["test/per_class/cat"]);
        Assert.AreEqual(1.0, metrics["test/per_class/dog"]);
        Assert.AreEqual(-0.03, metrics["validation/auc"], 1e-12);
    }

    [TestMethod]
    public void Read_AcceptsNaNAndInfinityStrings()
    {
        using var folder = new TempDirectory();
        var path = folder.WriteFile("metrics.json", """{"a": "NaN", "b": {"c": "Infinity", "d": "-Infinity"}}""");

        var metrics = MetricsFile.Read(path);

        Assert.IsTrue(double.IsNaN(metrics["a"]));
        Assert.AreEqual(double.PositiveInfinity, metrics["b/c"]);
        Assert.AreEqual(double.NegativeInfinity, metrics["b/d"]);
    }

    [TestMethod]
    public void Read_EmptyObject_HasNoMetrics()
    {
        using var folder = new TempDirectory();

        Assert.IsEmpty(MetricsFile.Read(folder.WriteFile("metrics.json", "{}")));
    }

    [TestMethod]
    public void Read_StringLeaf_ThrowsNamingTheKey()
    {
        using var folder = new TempDirectory();
        var path = folder.WriteFile("metrics.json", """{"test": {"quality": "high"}}""");

        var error = MlfAssert.Throws(MlfError.MetricsFileInvalid, () => MetricsFile.Read(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("'test/quality'", error.Message);
        Assert.Contains("string", error.Message);
    }

    [TestMethod]
    [DataRow("""{"a": true}""", "true")]
    [DataRow("""{"a": null}""", "null")]
    [DataRow("""{"a": [0.1, 0.2]}""", "array")]
    public void Read_NonNumericLeaf_Throws(string json, string kind)
    {
        using var folder = new TempDirectory();
        var path = folder.WriteFile("metrics.json", json);

        var error = MlfAssert.Throws(MlfError.MetricsFileInvalid, () => MetricsFile.Read(path));

        Assert.Contains($"is {kind}, not a number", error.Message);
    }

    [TestMethod]
    [DataRow("[1, 2, 3]")]
    [DataRow("0.93")]
    [DataRow("\"NaN\"")]
    [DataRow("null")]
    public void Read_TopLevelNotAnObject_Throws(string json)
    {
        using var folder = new TempDirectory();
        var path = folder.WriteFile("metrics.json", json);

        var error = MlfAssert.Throws(MlfError.MetricsFileInvalid, () => MetricsFile.Read(path));

        Assert.Contains("not a JSON object", error.Message);
    }

    [TestMethod]
    [DataRow("{\"auc\": 0.9")]
    [DataRow("{auc: 0.9}")]
    [DataRow("")]
    [DataRow("{\"auc\": nan}")]
    public void Read_InvalidJson_ThrowsWithTheParserError(string json)
    {
        using var folder = new TempDirectory();
        var path = folder.WriteFile("metrics.json", json);

        var error = MlfAssert.Throws(MlfError.MetricsFileInvalid, () => MetricsFile.Read(path));

        Assert.Contains("not valid JSON", error.Message);
        Assert.IsInstanceOfType<System.Text.Json.JsonException>(error.InnerException);
    }

    [TestMethod]
    public void Read_MissingFile_Throws()
    {
        using var folder = new TempDirectory();
        var path = folder.Combine("nowhere", "metrics.json");

        var error = MlfAssert.Throws(MlfError.MetricsFileInvalid, () => MetricsFile.Read(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("does not exist", error.Message);
    }

    [TestMethod]
    public void Read_AcceptsJsonAsPythonsJsonDumpWritesIt_WithBareNaNAndInfinity()
    {
        using var folder = new TempDirectory();
        var path = folder.WriteFile("metrics.json", """{"a": NaN, "b": {"c": Infinity, "d": -Infinity}, "NaN Infinity": 1.5, "e\"NaN": 2}""");

        var metrics = MetricsFile.Read(path);

        Assert.IsTrue(double.IsNaN(metrics["a"]));
        Assert.AreEqual(double.PositiveInfinity, metrics["b/c"]);
        Assert.AreEqual(double.NegativeInfinity, metrics["b/d"]);
        Assert.AreEqual(1.5, metrics["NaN Infinity"], "names holding the words are left alone");
        Assert.AreEqual(2.0, metrics["e\"NaN"]);
    }

    [TestMethod]
    [DataRow("1e999")]
    [DataRow("-1e999")]
    [DataRow("\"1e999\"")]
    public void Read_RefusesANumberBeyondDoubleRange_NamingTheKey(string literal)
    {
        using var folder = new TempDirectory();
        var path = folder.WriteFile("metrics.json", $$$"""{"ok": 1, "test": {"loss": {{{literal}}}}}""");

        var error = MlfAssert.Throws(MlfError.MetricValueOutOfRange, () => MetricsFile.Read(path));

        Assert.Contains("'test/loss'", error.Message);
        Assert.Contains("1e999", error.Message);
    }

    [TestMethod]
    public void Read_InvalidJson_SaysBareNaNIsAccepted()
    {
        using var folder = new TempDirectory();
        var path = folder.WriteFile("metrics.json", """{"a": nan}""");

        var error = MlfAssert.Throws(MlfError.MetricsFileInvalid, () => MetricsFile.Read(path));

        Assert.Contains("bare as Python's json.dump writes them", error.Message);
    }

    [TestMethod]
    public void LogBatch_SendsNonFiniteValues_AsTheStringsMlflowAccepts()
    {
        // MLflow 2.12 and 3.11 store "NaN"/"Infinity"/"-Infinity" strings; bare tokens are read as 0 and zero the
        // fields after "value" (protobuf's ParseDict stops there).
        var request = new MlflowMsBuild.Core.RestApi.LogBatchRequest
        {
            RunId = "r",
            Metrics =
            [
                new() { Key = "n", Value = double.NaN, Timestamp = 5, Step = 0 },
                new() { Key = "p", Value = double.PositiveInfinity, Timestamp = 5, Step = 0 },
                new() { Key = "m", Value = double.NegativeInfinity, Timestamp = 5, Step = 0 },
            ],
        };

        var json = System.Text.Json.JsonSerializer.Serialize(request, MlflowMsBuild.Core.RestApi.MlflowJson.Default.LogBatchRequest);

        Assert.Contains("\"value\":\"NaN\"", json);
        Assert.Contains("\"value\":\"Infinity\"", json);
        Assert.Contains("\"value\":\"-Infinity\"", json);
        Assert.DoesNotContain(":NaN", json);
        Assert.DoesNotContain(":Infinity", json);
        Assert.DoesNotContain(":-Infinity", json);
    }
}
