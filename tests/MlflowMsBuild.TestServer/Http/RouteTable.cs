namespace MlflowMsBuild.TestServer.Http;

internal delegate Task RouteHandler(ApiRequest request);

/// <summary>Values captured by a route: <c>{name}</c> holds one segment, <c>{*name}</c> the remaining segments.</summary>
internal sealed class RouteValues
{
    private readonly Dictionary<string, string> single = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string[]> rest = new(StringComparer.Ordinal);

    public string this[string name] => single.TryGetValue(name, out var v) ? v : string.Join('/', Rest(name));

    public string[] Rest(string name) => rest.TryGetValue(name, out var v) ? v : [];

    internal void Set(string name, string value) => single[name] = value;

    internal void SetRest(string name, string[] value) => rest[name] = value;
}

internal sealed record Route(string Method, string[] Template, string Key, RouteHandler Handler);

/// <summary>Outcome of a lookup: the route, or the methods the path allows (empty when the path is unknown).</summary>
internal sealed record RouteMatch(Route? Route, RouteValues? Values, IReadOnlyList<string> AllowedMethods)
{
    public static RouteMatch None { get; } = new(null, null, []);
}

/// <summary>
/// A small route table matched on already-decoded path segments. Templates are literal segments,
/// <c>{name}</c> (one segment) and a final <c>{*name}</c> (one or more segments). HEAD is served by GET routes.
/// </summary>
internal sealed class RouteTable
{
    private readonly List<Route> routes = [];

    public void Map(string method, string template, string key, RouteHandler handler) =>
        routes.Add(new Route(method, template.Split('/'), key, handler));

    public RouteMatch Match(string method, IReadOnlyList<string> segments)
    {
        var wanted = method == "HEAD" ? "GET" : method;
        var allowed = new List<string>();
        foreach (var route in routes)
        {
            var values = Bind(route.Template, segments);
            if (values is null) continue;
            if (route.Method == wanted) return new RouteMatch(route, values, []);
            allowed.Add(route.Method);
        }
        return new RouteMatch(null, null, allowed);
    }

    private static RouteValues? Bind(string[] template, IReadOnlyList<string> segments)
    {
        var values = new RouteValues();
        for (var i = 0; i < template.Length; i++)
        {
            var part = template[i];
            if (part.StartsWith("{*", StringComparison.Ordinal))
            {
                if (segments.Count <= i) return null;
                values.SetRest(part[2..^1], segments.Skip(i).ToArray());
                return values;
            }
            if (segments.Count <= i) return null;
            if (part.StartsWith('{'))
            {
                if (segments[i].Length == 0) return null;
                values.Set(part[1..^1], segments[i]);
            }
            else if (!string.Equals(part, segments[i], StringComparison.Ordinal))
            {
                return null;
            }
        }
        return segments.Count == template.Length ? values : null;
    }

    /// <summary>Splits a raw path. Flask decodes the whole path first (so %2F is a separator);
    /// Rails/Grape splits first and decodes each segment (so %2F stays inside a segment).</summary>
    public static IReadOnlyList<string> Split(string rawPath, bool decodeBeforeSplitting)
    {
        var trimmed = rawPath.StartsWith('/') ? rawPath[1..] : rawPath;
        return decodeBeforeSplitting
            ? Uri.UnescapeDataString(trimmed).Split('/')
            : trimmed.Split('/').Select(Uri.UnescapeDataString).ToArray();
    }
}
