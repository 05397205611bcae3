using System.Diagnostics;
using Classifier;

CommandLineOptions options;
try
{
    options = CommandLineOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

var modelDirectory = Path.Combine(options.OutputDirectory, "model");
Directory.CreateDirectory(modelDirectory);

var stopwatch = Stopwatch.StartNew();
var trainer = new ClassifierTrainer(options.Seed);
var (model, inputSchema, metrics) = trainer.TrainAndEvaluate(SyntheticData.Generate(options.Rows, options.Seed));
stopwatch.Stop();

var modelPath = Path.Combine(modelDirectory, "model.zip");
trainer.Save(model, inputSchema, modelPath);
DeterministicZip.NormalizeTimestamps(modelPath);
File.WriteAllText(Path.Combine(options.OutputDirectory, "metrics.json"), metrics.ToJson() + "\n");
File.WriteAllText(Path.Combine(options.OutputDirectory, "command-line.txt"), options.ToCommandLine() + "\n");

Console.WriteLine($"Trained on {options.Rows} rows (seed {options.Seed}) in {stopwatch.Elapsed.TotalSeconds:F2} s.");
Console.WriteLine($"  train: {metrics.Train}");
Console.WriteLine($"  test:  {metrics.Test}");
Console.WriteLine($"Wrote {Path.GetFullPath(options.OutputDirectory)}");
return 0;
