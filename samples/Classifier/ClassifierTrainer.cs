using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace Classifier;

/// <summary>Trains a logistic-regression classifier and evaluates it on a held-out split.</summary>
public sealed class ClassifierTrainer(TrainingConfig config)
{
    private readonly MLContext _mlContext = new(config.Seed);

    /// <returns>The model, its input schema, the metrics per split, and the test split's (label, probability) pairs for the curves.</returns>
    public (ITransformer Model, DataViewSchema InputSchema, EvaluationMetrics Metrics, IReadOnlyList<(bool Label, float Probability)> TestScores)
        TrainAndEvaluate(IEnumerable<ClassifierRow> rows)
    {
        var data = _mlContext.Data.LoadFromEnumerable(rows);
        var split = _mlContext.Data.TrainTestSplit(data, config.TestFraction, seed: config.Seed);

        // One thread keeps L-BFGS deterministic, so the model file is the same on every run.
        var trainer = _mlContext.BinaryClassification.Trainers.LbfgsLogisticRegression(
            new LbfgsLogisticRegressionBinaryTrainer.Options
            {
                LabelColumnName = nameof(ClassifierRow.Label),
                FeatureColumnName = nameof(ClassifierRow.Features),
                NumberOfThreads = 1,
                L1Regularization = config.L1Regularization,
                L2Regularization = config.L2Regularization,
            });
        var model = trainer.Fit(split.TrainSet);

        var metrics = new EvaluationMetrics(Evaluate(model, split.TrainSet), Evaluate(model, split.TestSet));
        var scored = model.Transform(split.TestSet);
        var labels = scored.GetColumn<bool>(nameof(ClassifierRow.Label)).ToList();
        var probabilities = scored.GetColumn<float>("Probability").ToList();
        return (model, data.Schema, metrics, labels.Zip(probabilities).ToList());
    }

    public void Save(ITransformer model, DataViewSchema inputSchema, string path) =>
        _mlContext.Model.Save(model, inputSchema, path);

    private SplitMetrics Evaluate(ITransformer model, IDataView data) =>
        SplitMetrics.From(_mlContext.BinaryClassification.Evaluate(model.Transform(data)));
}
