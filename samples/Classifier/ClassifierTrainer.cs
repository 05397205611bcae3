using Microsoft.ML;
using Microsoft.ML.Trainers;

namespace Classifier;

/// <summary>Trains a logistic-regression classifier and evaluates it on a held-out split.</summary>
public sealed class ClassifierTrainer(int seed)
{
    public const double TestFraction = 0.2;

    private readonly MLContext _mlContext = new(seed);

    public (ITransformer Model, DataViewSchema InputSchema, EvaluationMetrics Metrics) TrainAndEvaluate(IEnumerable<ClassifierRow> rows)
    {
        var data = _mlContext.Data.LoadFromEnumerable(rows);
        var split = _mlContext.Data.TrainTestSplit(data, TestFraction, seed: seed);

        // One thread keeps L-BFGS deterministic, so the model file is the same on every run.
        var trainer = _mlContext.BinaryClassification.Trainers.LbfgsLogisticRegression(
            new LbfgsLogisticRegressionBinaryTrainer.Options
            {
                LabelColumnName = nameof(ClassifierRow.Label),
                FeatureColumnName = nameof(ClassifierRow.Features),
                NumberOfThreads = 1,
            });
        var model = trainer.Fit(split.TrainSet);

        var metrics = new EvaluationMetrics(Evaluate(model, split.TrainSet), Evaluate(model, split.TestSet));
        return (model, data.Schema, metrics);
    }

    public void Save(ITransformer model, DataViewSchema inputSchema, string path) =>
        _mlContext.Model.Save(model, inputSchema, path);

    private SplitMetrics Evaluate(ITransformer model, IDataView data) =>
        SplitMetrics.From(_mlContext.BinaryClassification.Evaluate(model.Transform(data)));
}
