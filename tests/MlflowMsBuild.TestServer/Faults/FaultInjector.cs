using System.Text.RegularExpressions;

namespace MlflowMsBuild.TestServer;

/// <summary>What an injected fault does.</summary>
public enum FaultKind
{
    /// <summary>Answer a fixed status (optional Retry-After and body) instead of handling the request.</summary>
    Status,

    /// <summary>Move the body at a limited number of bytes per second.</summary>
    Throttle,

    /// <summary>Abort the connection after a number of body bytes.</summary>
    Reset,

    /// <summary>
    /// Hostile, no real server does it: answer 200 chunked, without Content-Length, with a prefix and then one unit
    /// repeated until the client goes away (a download or a listing that never ends).
    /// </summary>
    EndlessBody,
}

/// <summary>
/// A registered fault. It applies to the next <see cref="Remaining"/> requests whose method and raw path match.
/// For <see cref="FaultKind.Throttle"/> and <see cref="FaultKind.Reset"/>, "the body" is the request body when the
/// request carries one (uploads), otherwise the response body (downloads, JSON answers).
/// </summary>
public sealed class InjectedFault
{
    private int remaining;
    private int applied;
    private long bytesSent;

    internal InjectedFault(FaultKind kind, string method, string pathPattern, int times)
    {
        if (times < 1) throw new ArgumentOutOfRangeException(nameof(times), "times must be at least 1.");
        Kind = kind;
        Method = method;
        PathPattern = pathPattern;
        PathRegex = new Regex(pathPattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        remaining = times;
    }

    /// <summary>The kind of fault.</summary>
    public FaultKind Kind { get; }

    /// <summary>HTTP method matched (case-insensitive), or "*" for any.</summary>
    public string Method { get; }

    /// <summary>Regular expression searched (unanchored) in the raw request path, query excluded.</summary>
    public string PathPattern { get; }

    /// <summary>Matching requests still to be faulted.</summary>
    public int Remaining => Volatile.Read(ref remaining);

    /// <summary>Requests faulted so far.</summary>
    public int Applied => Volatile.Read(ref applied);

    internal Regex PathRegex { get; }

    internal int StatusCode { get; init; }

    internal string? RetryAfter { get; init; }

    internal string? Body { get; init; }

    internal string ContentType { get; init; } = "application/json";

    internal long BytesPerSecond { get; init; }

    internal long ThrottledBytes { get; init; } = long.MaxValue;

    internal long ResetAfterBytes { get; init; }

    internal TimeSpan Delay { get; init; }

    internal byte[] Prefix { get; init; } = [];

    internal byte[] Unit { get; init; } = [];

    /// <summary><see cref="FaultKind.EndlessBody"/>: body bytes handed to the connection so far, over every request (counted before each write).</summary>
    public long BytesSent => Interlocked.Read(ref bytesSent);

    internal void AddSent(long count) => Interlocked.Add(ref bytesSent, count);

    /// <summary>Stops the fault; requests already in flight keep it.</summary>
    public void Cancel() => Interlocked.Exchange(ref remaining, 0);

    internal bool Matches(string method, string rawPath) =>
        (Method == "*" || string.Equals(Method, method, StringComparison.OrdinalIgnoreCase)) && PathRegex.IsMatch(rawPath);

    internal bool TryTake()
    {
        while (true)
        {
            var current = Volatile.Read(ref remaining);
            if (current <= 0) return false;
            if (Interlocked.CompareExchange(ref remaining, current - 1, current) == current)
            {
                Interlocked.Increment(ref applied);
                return true;
            }
        }
    }

    internal string Describe() => Kind switch
    {
        FaultKind.Status => $"status {StatusCode}",
        FaultKind.Throttle => ThrottledBytes == long.MaxValue ? $"throttle {BytesPerSecond} B/s" : $"throttle {BytesPerSecond} B/s for {ThrottledBytes} bytes",
        FaultKind.EndlessBody => "endless body",
        _ => $"reset after {ResetAfterBytes} bytes",
    };
}

/// <summary>Registers faults; the first registered fault that matches a request (and has uses left) applies.</summary>
public sealed class FaultInjector
{
    private readonly object sync = new();
    private readonly List<InjectedFault> faults = [];

    /// <summary>The next <paramref name="times"/> matching requests are answered with <paramref name="statusCode"/>
    /// (and a Retry-After header, seconds or an HTTP date, when given) without reaching the endpoint, after
    /// <paramref name="delay"/> (a slow server).</summary>
    public InjectedFault RespondWith(string method, string pathPattern, int statusCode, int times = 1,
        string? retryAfter = null, string? body = null, string contentType = "application/json", TimeSpan delay = default) =>
        Add(new InjectedFault(FaultKind.Status, method, pathPattern, times)
        {
            StatusCode = statusCode,
            RetryAfter = retryAfter,
            Body = body,
            ContentType = contentType,
            Delay = delay,
        });

    /// <summary>
    /// Hostile: the next <paramref name="times"/> matching requests are answered 200, chunked without Content-Length,
    /// with <paramref name="prefix"/> then <paramref name="unit"/> over and over until the client disconnects.
    /// </summary>
    public InjectedFault EndlessBody(string method, string pathPattern, string prefix, string unit, int times = 1,
        string contentType = "application/octet-stream")
    {
        ArgumentException.ThrowIfNullOrEmpty(unit);
        return Add(new InjectedFault(FaultKind.EndlessBody, method, pathPattern, times)
        {
            Prefix = System.Text.Encoding.UTF8.GetBytes(prefix),
            Unit = System.Text.Encoding.UTF8.GetBytes(unit),
            ContentType = contentType,
        });
    }

    /// <summary>
    /// The first <paramref name="throttledBytes"/> (default: all) of the body of the next <paramref name="times"/> matching
    /// requests move at <paramref name="bytesPerSecond"/>; the rest moves as fast as it can.
    /// </summary>
    public InjectedFault Throttle(string method, string pathPattern, long bytesPerSecond, int times = 1, long throttledBytes = long.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bytesPerSecond, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(throttledBytes, 1);
        return Add(new InjectedFault(FaultKind.Throttle, method, pathPattern, times) { BytesPerSecond = bytesPerSecond, ThrottledBytes = throttledBytes });
    }

    /// <summary>The connection of the next <paramref name="times"/> matching requests is aborted after
    /// <paramref name="bytes"/> body bytes (0: before any body byte).</summary>
    public InjectedFault ResetAfter(string method, string pathPattern, long bytes, int times = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        return Add(new InjectedFault(FaultKind.Reset, method, pathPattern, times) { ResetAfterBytes = bytes });
    }

    /// <summary>Removes every fault.</summary>
    public void Clear()
    {
        lock (sync) { faults.Clear(); }
    }

    internal InjectedFault? Take(string method, string rawPath)
    {
        lock (sync)
        {
            foreach (var fault in faults)
            {
                if (fault.Remaining > 0 && fault.Matches(method, rawPath) && fault.TryTake()) return fault;
            }
            return null;
        }
    }

    private InjectedFault Add(InjectedFault fault)
    {
        lock (sync) { faults.Add(fault); }
        return fault;
    }
}
