using System.Text.Json;

namespace Classifier;

/// <summary>The hyperparameters and data set of a training run, read from a JSON file such as classifier.json.</summary>
public sealed record TrainingConfig(string Dataset, int Rows, int Seed, double TestFraction, float L1Regularization, float L2Regularization)
{
    public static readonly TrainingConfig Default = new("synthetic-gaussian-8f", 2000, 42, 0.2, 1f, 1f);

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>The data set as it is published (the param <c>database</c>): generator, size and seed.</summary>
    public string DatasetName => $"{Dataset} ({Rows} rows, seed {Seed})";

    public static TrainingConfig Load(string path)
    {
        var config = JsonSerializer.Deserialize<TrainingConfig>(File.ReadAllText(path), JsonOptions)
            ?? throw new FormatException($"{path} holds JSON null, not a configuration.");
        if (config.Rows <= 0 || config.TestFraction is <= 0 or >= 1 || string.IsNullOrWhiteSpace(config.Dataset))
        {
            throw new FormatException($"{path}: rows must be positive, test_fraction between 0 and 1, dataset not empty.");
        }

        return config;
    }
}
