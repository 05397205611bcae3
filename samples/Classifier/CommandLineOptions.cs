using System.Globalization;

namespace Classifier;

/// <summary>Parses <c>Classifier [--output DIR] [--rows N] [--seed S]</c>.</summary>
public sealed record CommandLineOptions(string OutputDirectory, int Rows, int Seed)
{
    public const string Usage = "Usage: Classifier [--output <dir>] [--rows <count>] [--seed <seed>]";

    public static CommandLineOptions Parse(IReadOnlyList<string> args)
    {
        var options = new CommandLineOptions("evaluation", Rows: 2000, Seed: 42);
        for (var i = 0; i < args.Count; i += 2)
        {
            var name = args[i];
            if (name is not ("--output" or "--rows" or "--seed"))
            {
                throw new ArgumentException($"Unknown option {name}. {Usage}");
            }

            var value = i + 1 < args.Count ? args[i + 1] : throw new ArgumentException($"Missing value after {name}. {Usage}");
            options = name switch
            {
                "--output" => options with { OutputDirectory = value },
                "--rows" => options with { Rows = ParsePositive(name, value) },
                _ => options with { Seed = int.Parse(value, CultureInfo.InvariantCulture) },
            };
        }

        return options;
    }

    /// <summary>The equivalent command line for the record; an output folder inside the working directory is written relative to it.</summary>
    public string ToCommandLine()
    {
        var fullOutput = Path.TrimEndingDirectorySeparator(Path.GetFullPath(OutputDirectory));
        var relativeOutput = Path.GetRelativePath(Environment.CurrentDirectory, fullOutput);
        var output = relativeOutput.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relativeOutput)
            ? fullOutput
            : relativeOutput;
        if (output.Contains(' '))
        {
            output = $"\"{output}\"";
        }

        return $"Classifier --output {output} --rows {Rows} --seed {Seed}";
    }

    private static int ParsePositive(string name, string value)
    {
        var number = int.Parse(value, CultureInfo.InvariantCulture);
        return number > 0 ? number : throw new ArgumentException($"{name} must be positive, got {number}.");
    }
}
