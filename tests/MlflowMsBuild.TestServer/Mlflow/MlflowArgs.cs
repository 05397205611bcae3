using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using MlflowMsBuild.TestServer.Http;

namespace MlflowMsBuild.TestServer.Mlflow;

/// <summary>
/// Request parameters as MLflow's <c>_get_request_message</c> reads them: a GET with a query string uses the query;
/// everything else (GET without query, POST, PATCH, DELETE) uses the JSON body, silently {} when absent or invalid.
/// POST/PUT need <c>Content-Type: application/json</c>. Unknown fields are ignored; types are checked.
/// </summary>
internal sealed class MlflowArgs
{
    private readonly JsonObject values;

    private MlflowArgs(JsonObject values, int bodyLength)
    {
        this.values = values;
        BodyLength = bodyLength;
    }

    public int BodyLength { get; }

    public static async Task<MlflowArgs> ReadAsync(ApiRequest request)
    {
        var http = request.Http;
        if ((HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) && http.Request.QueryString.HasValue)
        {
            var query = new JsonObject();
            foreach (var (key, value) in http.Request.Query)
            {
                query[key] = value.Count == 1 ? JsonValue.Create(value[0]) : new JsonArray(value.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
            }
            return new MlflowArgs(query, 0);
        }

        if (HttpMethods.IsPost(request.Method) || HttpMethods.IsPut(request.Method)) CheckContentType(http);
        var body = await request.ReadBodyAsync();
        var node = Json.TryParse(body);
        if (node is JsonValue text && text.TryGetValue<string>(out var inner))
        {
            node = Json.TryParse(Encoding.UTF8.GetBytes(inner)); // older clients double-encode the body
        }
        return new MlflowArgs(node as JsonObject ?? [], body.Length);
    }

    private static void CheckContentType(HttpContext http)
    {
        var contentType = http.Request.Headers.ContentType.ToString();
        if (contentType.Length == 0) throw MlflowErrors.Invalid("Bad Request. Content-Type header is missing.");
        if (!string.Equals(contentType.Split(';')[0].Trim(), "application/json", StringComparison.Ordinal))
        {
            throw MlflowErrors.Invalid("Bad Request. Content-Type must be one of ['application/json'].");
        }
    }

    public bool Has(string name) => values[name] is not null;

    public string? String(string name) => StringOf(values[name], name);

    public string RequiredString(string name)
    {
        var value = String(name);
        return string.IsNullOrEmpty(value) ? throw MlflowErrors.Missing(name) : value;
    }

    /// <summary>run_id, falling back to the deprecated run_uuid.</summary>
    public string RunId()
    {
        var id = String("run_id");
        if (string.IsNullOrEmpty(id)) id = String("run_uuid");
        return string.IsNullOrEmpty(id) ? throw MlflowErrors.Missing("run_id") : id;
    }

    public long? Long(string name) => LongOf(values[name], name);

    public double? Double(string name) => DoubleOf(values[name], name);

    public JsonArray Array(string name) => values[name] switch
    {
        null => [],
        JsonArray array => array,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => [v.GetValue<string>()],
        var other => throw Wrong(name, other),
    };

    /// <summary>Objects of a repeated message field such as tags: [{key, value}].</summary>
    public IEnumerable<JsonObject> Objects(string name) =>
        Array(name).Select(item => item as JsonObject ?? throw Wrong(name, item));

    public static string? StringOf(JsonNode? node, string name) => node switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        var other => throw Wrong(name, other),
    };

    public static long? LongOf(JsonNode? node, string name)
    {
        if (node is null) return null;
        if (node is JsonValue v)
        {
            if (v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out var number)) return number;
            if (v.GetValueKind() == JsonValueKind.String &&
                long.TryParse(v.GetValue<string>(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
            {
                return parsed;
            }
        }
        throw Wrong(name, node);
    }

    public static double? DoubleOf(JsonNode? node, string name)
    {
        if (node is null) return null;
        if (node is JsonValue v)
        {
            if (v.GetValueKind() == JsonValueKind.Number) return v.GetValue<double>();
            if (v.GetValueKind() == JsonValueKind.String)
            {
                var s = v.GetValue<string>();
                if (s == "NaN") return double.NaN;
                if (s is "Infinity" or "inf") return double.PositiveInfinity;
                if (s is "-Infinity" or "-inf") return double.NegativeInfinity;
                if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed)) return parsed;
            }
        }
        throw Wrong(name, node);
    }

    private static ApiErrorException Wrong(string name, JsonNode? node)
    {
        var kind = node?.GetValueKind();
        var pythonType = kind switch
        {
            JsonValueKind.String => "str",
            JsonValueKind.Number => node!.ToJsonString().Contains('.') ? "float" : "int",
            JsonValueKind.True or JsonValueKind.False => "bool",
            JsonValueKind.Array => "list",
            JsonValueKind.Object => "dict",
            _ => "NoneType",
        };
        var shown = kind == JsonValueKind.String ? node!.GetValue<string>() : node?.ToJsonString() ?? "None";
        return MlflowErrors.WrongType(name, shown, pythonType);
    }
}
