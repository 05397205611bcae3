using System.Diagnostics;
using Classifier;

CommandLineOptions options;
TrainingConfig config;
try
{
    options = CommandLineOptions.Parse(args);
    config = options.ResolveConfig();
}
catch (Exception e) when (e is ArgumentException or FormatException or OverflowException or IOException or System.Text.Json.JsonException)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

// Everything the publish picks up is written under the output folder (MlflowMsBuild's defaults).
var output = options.OutputDirectory;
var modelDirectory = Path.Combine(output, "model");
// Whatever is in model/, tables/ and figures/ is published: start them empty, so that no file of an earlier run goes with this one.
foreach (var published in new[] { modelDirectory, Path.Combine(output, "tables"), Path.Combine(output, "figures") })
{
    if (Directory.Exists(published))
    {
        Directory.Delete(published, recursive: true);
    }
}

Directory.CreateDirectory(modelDirectory);

var stopwatch = Stopwatch.StartNew();
var trainer = new ClassifierTrainer(config);
var (model, inputSchema, metrics, testScores) = trainer.TrainAndEvaluate(SyntheticData.Generate(config.Rows, config.Seed));
stopwatch.Stop();

var modelPath = Path.Combine(modelDirectory, "model.zip");
trainer.Save(model, inputSchema, modelPath);
DeterministicZip.NormalizeTimestamps(modelPath);
File.WriteAllText(Path.Combine(output, "metrics.json"), metrics.ToJson() + "\n");
File.WriteAllText(Path.Combine(output, "command-line.txt"), options.ToCommandLine() + "\n");
File.WriteAllText(Path.Combine(output, "database.txt"), config.DatasetName + "\n");
Directory.CreateDirectory(Path.Combine(output, "tables"));
File.WriteAllText(Path.Combine(output, "tables", "metrics.md"), MetricsTable.ToMarkdown(metrics));

FigureWriter.UseShippedFont(Path.Combine(AppContext.BaseDirectory, "fonts", "DejaVuSans.ttf"));
var figures = Path.Combine(output, "figures");
FigureWriter.Write(figures, "roc", $"ROC, test split (AUC {metrics.Test.Auc:F3})", "False positive rate", "True positive rate",
    Curves.Roc(testScores), "logistic regression", diagonal: true);
FigureWriter.Write(figures, "precision-recall", "Precision-recall, test split", "Recall", "Precision",
    Curves.PrecisionRecall(testScores), "logistic regression", diagonal: false);

Console.WriteLine($"Trained on {config.DatasetName} in {stopwatch.Elapsed.TotalSeconds:F2} s.");
Console.WriteLine($"  train: {metrics.Train}");
Console.WriteLine($"  test:  {metrics.Test}");
Console.WriteLine($"Wrote {Path.GetFullPath(output)}");
return 0;
