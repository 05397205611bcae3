using System.Globalization;

namespace Classifier;

/// <summary>Parses <c>Classifier [--config FILE] [--output DIR] [--rows N] [--seed S]</c>; --rows and --seed override the file.</summary>
public sealed record CommandLineOptions(string OutputDirectory, string? ConfigPath, int? Rows, int? Seed)
{
    public const string Usage = "Usage: Classifier [--config <file.json>] [--output <dir>] [--rows <count>] [--seed <seed>]";

    public static CommandLineOptions Parse(IReadOnlyList<string> args)
    {
        var options = new CommandLineOptions("evaluation", null, null, null);
        for (var i = 0; i < args.Count; i += 2)
        {
            var name = args[i];
            if (name is not ("--output" or "--rows" or "--seed" or "--config"))
            {
                throw new ArgumentException($"Unknown option {name}. {Usage}");
            }

            var value = i + 1 < args.Count ? args[i + 1] : throw new ArgumentException($"Missing value after {name}. {Usage}");
            options = name switch
            {
                "--output" => options with { OutputDirectory = value },
                "--config" => options with { ConfigPath = value },
                "--rows" => options with { Rows = ParsePositive(name, value) },
                _ => options with { Seed = int.Parse(value, CultureInfo.InvariantCulture) },
            };
        }

        return options;
    }

    /// <summary>The configuration file's settings with the command line's overrides applied.</summary>
    public TrainingConfig ResolveConfig()
    {
        var config = ConfigPath is null ? TrainingConfig.Default : TrainingConfig.Load(ConfigPath);
        return config with { Rows = Rows ?? config.Rows, Seed = Seed ?? config.Seed };
    }

    /// <summary>The equivalent command line for the record; paths inside the working directory are written relative to it.</summary>
    public string ToCommandLine()
    {
        var text = "Classifier";
        if (ConfigPath is not null)
        {
            text += " --config " + PathForRecord(ConfigPath);
        }

        text += " --output " + PathForRecord(OutputDirectory);
        if (Rows is { } rows)
        {
            text += " --rows " + rows.ToString(CultureInfo.InvariantCulture);
        }

        if (Seed is { } seed)
        {
            text += " --seed " + seed.ToString(CultureInfo.InvariantCulture);
        }

        return text;
    }

    private static string PathForRecord(string path)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, full);
        var result = relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? full : relative;
        return result.Contains(' ') ? $"\"{result}\"" : result;
    }

    private static int ParsePositive(string name, string value)
    {
        var number = int.Parse(value, CultureInfo.InvariantCulture);
        return number > 0 ? number : throw new ArgumentException($"{name} must be positive, got {number}.");
    }
}
