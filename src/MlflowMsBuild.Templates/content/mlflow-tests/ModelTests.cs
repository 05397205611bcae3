using System.Text.Json;
using MlflowMsBuild;

namespace MlflowTests;

[TestClass]
public sealed class ModelTests
{
    // The restored version's folder: obj/models/<name>/<version>/ as copied to the output folder.
    private static readonly string ModelDirectory = MlflowModels.Directory("test-template-model");

    [TestMethod]
    public void ModelPredictsWithinTheToleranceOfItsEvaluation()
    {
        // The mlflow-trainer template's model: replace with loading and scoring your own model's files.
        using var model = JsonDocument.Parse(File.ReadAllText(Path.Combine(ModelDirectory, "model.json")));
        var slope = model.RootElement.GetProperty("slope").GetDouble();
        var intercept = model.RootElement.GetProperty("intercept").GetDouble();

        Assert.AreEqual(3 * 4.0 + 2, slope * 4.0 + intercept, 0.5);
    }
}
