namespace MlflowMsBuild.TestServer.Storage;

/// <summary>Key/value pairs in insertion order; setting an existing key replaces its value in place.</summary>
internal sealed class TagList
{
    private readonly List<KeyValuePair<string, string>> items = [];

    public IReadOnlyList<KeyValuePair<string, string>> Items => items;

    public int Count => items.Count;

    public bool Contains(string key) => items.Exists(t => t.Key == key);

    public string? Get(string key)
    {
        var i = items.FindIndex(t => t.Key == key);
        return i < 0 ? null : items[i].Value;
    }

    public void Set(string key, string value)
    {
        var i = items.FindIndex(t => t.Key == key);
        if (i < 0) items.Add(new(key, value));
        else items[i] = new(key, value);
    }

    public bool Remove(string key) => items.RemoveAll(t => t.Key == key) > 0;
}

/// <summary>One logged metric value.</summary>
internal sealed record MetricRow(string Key, double Value, long Timestamp, long? Step);

/// <summary>A run (GitLab: a candidate). Both flavours keep runs in this shape and render them differently.</summary>
internal sealed class RunRecord
{
    public required string RunId { get; init; }

    public required string ExperimentId { get; init; }

    public string? RunName { get; set; }

    public string UserId { get; set; } = "";

    public string Status { get; set; } = "RUNNING";

    public long StartTime { get; set; }

    public long? EndTime { get; set; }

    public required string ArtifactUri { get; set; }

    public string LifecycleStage { get; set; } = "active";

    public TagList Tags { get; } = new();

    public TagList Params { get; } = new();

    public List<MetricRow> Metrics { get; } = [];

    /// <summary>GitLab: the candidate's per-project iid.</summary>
    public int CandidateIid { get; init; }

    /// <summary>GitLab: the model version the candidate belongs to.</summary>
    public int? ModelVersionId { get; set; }

    /// <summary>MLflow's "latest" metric per key: highest step, then timestamp, then value.</summary>
    public IEnumerable<MetricRow> LatestMetrics() =>
        Metrics.GroupBy(m => m.Key)
            .Select(g => g.OrderByDescending(m => m.Step ?? 0).ThenByDescending(m => m.Timestamp).ThenByDescending(m => m.Value).First());
}

/// <summary>Opaque page tokens (base64 of an offset), as both servers hand out.</summary>
internal static class PageToken
{
    public static string Encode(int offset) =>
        Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{{\"offset\": {offset}}}"));

    public static int? Decode(string? token)
    {
        if (string.IsNullOrEmpty(token)) return 0;
        try
        {
            var text = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(token));
            var digits = new string(text.Where(char.IsAsciiDigit).ToArray());
            return text.Contains("offset", StringComparison.Ordinal) && int.TryParse(digits, out var offset) ? offset : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

/// <summary>Random run names in the style both servers generate.</summary>
internal static class RandomNames
{
    private static readonly string[] Adjectives = ["bemused", "calm", "clever", "dapper", "eager", "gentle", "honest", "jolly", "lucky", "mellow", "nimble", "quiet"];
    private static readonly string[] Animals = ["ant", "bat", "carp", "deer", "eel", "finch", "gnu", "hare", "ibis", "koi", "lynx", "moth", "newt", "owl", "stork", "yak"];

    /// <summary>MLflow: adjective-animal-NNN.</summary>
    public static string Mlflow() =>
        $"{Pick(Adjectives)}-{Pick(Animals)}-{Random.Shared.Next(100, 1000)}";

    /// <summary>GitLab: animal-animal-animal-NNNN.</summary>
    public static string GitLab() =>
        $"{Pick(Animals)}-{Pick(Animals)}-{Pick(Animals)}-{Random.Shared.Next(1000, 10000)}";

    private static string Pick(string[] words) => words[Random.Shared.Next(words.Length)];
}
