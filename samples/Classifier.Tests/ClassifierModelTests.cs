using Microsoft.ML;
using Microsoft.ML.Data;
using MlflowMsBuild;

namespace Classifier.Tests;

/// <summary>Checks the restored registry model on fresh data it was not trained on.</summary>
[TestClass]
public sealed class ClassifierModelTests
{
    // Training uses seed 42; a different seed gives rows the model has never seen.
    private const int FreshDataSeed = 2024;
    private const int FreshDataRows = 5000;

    // Measured on the fresh data: accuracy 0.839, AUC 0.916. Thresholds leave a 0.05 margin.
    private const double MinimumAccuracy = 0.78;
    private const double MinimumAuc = 0.86;

    // Generated from the MlflowModelReference: a model or file renamed in the registry fails the build, not the run.
    private static string ModelPath => MlflowModels.TestClassifier.Files.ModelZip;

    [TestMethod]
    public void ModelFileIsRestored()
    {
        Assert.IsTrue(File.Exists(ModelPath), $"Model not found at {ModelPath}.");
        Assert.AreEqual(Path.Combine(AppContext.BaseDirectory, "models", MlflowModels.TestClassifier.Name, MlflowModels.TestClassifier.Version),
            MlflowModels.TestClassifier.Directory);
        Assert.AreEqual(MlflowModels.Directory("test-classifier"), MlflowModels.TestClassifier.Directory, "The string API finds the same folder.");
    }

    [TestMethod]
    public void AccuracyOnFreshDataIsAboveThreshold()
    {
        var metrics = EvaluateOnFreshData();

        Assert.IsGreaterThan(MinimumAccuracy, metrics.Accuracy);
    }

    [TestMethod]
    public void AucOnFreshDataIsAboveThreshold()
    {
        var metrics = EvaluateOnFreshData();

        Assert.IsGreaterThan(MinimumAuc, metrics.AreaUnderRocCurve);
    }

    [TestMethod]
    public void PredictionsAreDeterministic()
    {
        var first = PredictScores();
        var second = PredictScores();

        Assert.HasCount(FreshDataRows, first);
        CollectionAssert.AreEqual(first, second);
    }

    private static CalibratedBinaryClassificationMetrics EvaluateOnFreshData()
    {
        var mlContext = new MLContext(seed: 0);
        var predictions = LoadModel(mlContext).Transform(LoadFreshData(mlContext));
        return mlContext.BinaryClassification.Evaluate(predictions);
    }

    // Loads the model into a new context each time, so nothing is shared between the two calls.
    private static float[] PredictScores()
    {
        var mlContext = new MLContext(seed: 0);
        var predictions = LoadModel(mlContext).Transform(LoadFreshData(mlContext));
        return predictions.GetColumn<float>("Score").ToArray();
    }

    private static ITransformer LoadModel(MLContext mlContext) => mlContext.Model.Load(ModelPath, out _);

    private static IDataView LoadFreshData(MLContext mlContext) =>
        mlContext.Data.LoadFromEnumerable(SyntheticData.Generate(FreshDataRows, FreshDataSeed));
}
