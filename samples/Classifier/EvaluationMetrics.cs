using System.Text.Json;

namespace Classifier;

/// <summary>Train and test metrics; serialized as {"train": {...}, "test": {...}}.</summary>
public sealed record EvaluationMetrics(SplitMetrics Train, SplitMetrics Test)
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);
}
