// Trains a straight line y = slope * x + intercept by least squares on generated data, evaluates it on rows it
// never saw, and writes what MlflowMsBuild publishes:
//   <output>/model/model.json   the version's files (replace with your model's)
//   <output>/metrics.json       metrics per split: {"train": {...}, "test": {...}}
//   <output>/command-line.txt   how the model was made
using System.Globalization;
using System.Text.Json;

var output = args.Length == 2 && args[0] == "--output" ? args[1] : "evaluation";
var random = new Random(42);
(double X, double Y)[] Rows(int count) =>
    Enumerable.Range(0, count).Select(_ => random.NextDouble() * 10).Select(x => (x, 3 * x + 2 + (random.NextDouble() - 0.5))).ToArray();
var train = Rows(200);
var test = Rows(50);

var meanX = train.Average(r => r.X);
var meanY = train.Average(r => r.Y);
var slope = train.Sum(r => (r.X - meanX) * (r.Y - meanY)) / train.Sum(r => (r.X - meanX) * (r.X - meanX));
var intercept = meanY - slope * meanX;
double Rmse((double X, double Y)[] rows) => Math.Sqrt(rows.Average(r => Math.Pow(slope * r.X + intercept - r.Y, 2)));

// Whatever is in model/ is published: start it empty, so that no file of an earlier run goes with this one.
if (Directory.Exists(Path.Combine(output, "model")))
{
    Directory.Delete(Path.Combine(output, "model"), recursive: true);
}

Directory.CreateDirectory(Path.Combine(output, "model"));
File.WriteAllText(Path.Combine(output, "model", "model.json"), JsonSerializer.Serialize(new { slope, intercept }));
File.WriteAllText(Path.Combine(output, "metrics.json"), JsonSerializer.Serialize(new
{
    train = new { rmse = Rmse(train) },
    test = new { rmse = Rmse(test) },
}));
File.WriteAllText(Path.Combine(output, "command-line.txt"), "dotnet " + string.Join(' ', Environment.GetCommandLineArgs().Select(Path.GetFileName)));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"slope {slope:F3}, intercept {intercept:F3}, test rmse {Rmse(test):F3}"));
