// Scores the rows of a CSV file (eight feature columns f0..f7, a header line) with the sample classifier:
//   dotnet run --project samples/Classifier.Predict -- --model <folder or models:/ URI> --input samples/Classifier.Predict/input.csv
// Prints "row,probability,predicted_label" lines on standard output. A folder and a registry URI of the same model give
// the same lines: the URI is resolved to a folder by MlflowMsBuild.Models' ModelResolver, through the machine-wide cache.
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlflowMsBuild.Models;

const string Usage = "Usage: Classifier.Predict --model <folder or models:/NAME/VERSION> --input <file.csv>";
var options = args.Chunk(2).Where(pair => pair.Length == 2).ToDictionary(pair => pair[0], pair => pair[1]);
if (args.Length != 4 || !options.TryGetValue("--model", out var model) || !options.TryGetValue("--input", out var input))
{
    Console.Error.WriteLine(Usage);
    return 1;
}

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

ResolvedModel resolved;
try
{
    // Progress lines only on a terminal; the registry, home and cache come from the environment as for the build.
    var progress = Console.IsErrorRedirected ? null : new Progress<string>(Console.Error.WriteLine);
    resolved = await new ModelResolver().ResolveAsync(model, progress, cancellation.Token);
}
catch (ModelResolutionException e)
{
    Console.Error.WriteLine($"error {e.Code}: {e.Message}");
    return 2;
}

var modelFile = Path.Combine(resolved.Directory, "model.zip");
if (!File.Exists(modelFile))
{
    Console.Error.WriteLine($"'{resolved.Directory}' holds no model.zip.");
    return 2;
}

var mlContext = new MLContext(seed: 0);
var transformer = mlContext.Model.Load(modelFile, out _);
var loader = mlContext.Data.CreateTextLoader(
    [new TextLoader.Column("Features", DataKind.Single, 0, 7)],
    separatorChar: ',',
    hasHeader: true);
var scored = transformer.Transform(loader.Load(input));
var probabilities = scored.GetColumn<float>("Probability").ToList();
var labels = scored.GetColumn<bool>("PredictedLabel").ToList();

Console.WriteLine("row,probability,predicted_label");
for (var row = 0; row < probabilities.Count; row++)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{row + 1},{probabilities[row]:R},{(labels[row] ? 1 : 0)}"));
}

return 0;
