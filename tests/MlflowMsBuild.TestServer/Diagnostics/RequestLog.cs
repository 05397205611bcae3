namespace MlflowMsBuild.TestServer;

/// <summary>One request the server received.</summary>
public sealed class RequestLogEntry
{
    private int statusCode;

    internal RequestLogEntry(string method, string pathAndQuery, string endpointKey,
        IReadOnlyDictionary<string, string> headers, DateTimeOffset startedAt)
    {
        Method = method;
        PathAndQuery = pathAndQuery;
        EndpointKey = endpointKey;
        Headers = headers;
        StartedAt = startedAt;
    }

    /// <summary>HTTP method as received.</summary>
    public string Method { get; }

    /// <summary>The request target exactly as sent (raw, still percent-encoded).</summary>
    public string PathAndQuery { get; }

    /// <summary>Counter key, e.g. "GET model-versions/get", "PUT artifacts", "GET unknown".</summary>
    public string EndpointKey { get; }

    /// <summary>Request headers (case-insensitive names; repeated values joined with ", ").</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>When the request arrived.</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>Status sent; 0 when the connection ended before any response headers.</summary>
    public int StatusCode => Volatile.Read(ref statusCode);

    /// <summary>The injected fault applied to this request, if any ("status 503", "throttle", "reset").</summary>
    public string? Fault { get; internal set; }

    internal void SetStatus(int code) => Volatile.Write(ref statusCode, code);

    /// <inheritdoc/>
    public override string ToString() => $"{Method} {PathAndQuery} -> {StatusCode}";
}

/// <summary>Every request the server received, in arrival order, with counters per endpoint key.</summary>
public sealed class RequestLog
{
    private readonly object sync = new();
    private readonly List<RequestLogEntry> entries = [];
    private readonly Dictionary<string, int> counters = new(StringComparer.Ordinal);

    /// <summary>A snapshot of the entries so far.</summary>
    public IReadOnlyList<RequestLogEntry> Entries
    {
        get { lock (sync) { return entries.ToArray(); } }
    }

    /// <summary>A snapshot of the counters: endpoint key → number of requests.</summary>
    public IReadOnlyDictionary<string, int> Counters
    {
        get { lock (sync) { return new Dictionary<string, int>(counters, StringComparer.Ordinal); } }
    }

    /// <summary>How many requests hit <paramref name="endpointKey"/> (e.g. "PUT artifacts").</summary>
    public int Count(string endpointKey)
    {
        lock (sync) { return counters.GetValueOrDefault(endpointKey); }
    }

    /// <summary>Forgets all entries and counters.</summary>
    public void Clear()
    {
        lock (sync)
        {
            entries.Clear();
            counters.Clear();
        }
    }

    internal RequestLogEntry Record(string method, string pathAndQuery, string endpointKey,
        IReadOnlyDictionary<string, string> headers, DateTimeOffset at)
    {
        var entry = new RequestLogEntry(method, pathAndQuery, endpointKey, headers, at);
        lock (sync)
        {
            entries.Add(entry);
            counters[endpointKey] = counters.GetValueOrDefault(endpointKey) + 1;
        }
        return entry;
    }
}
