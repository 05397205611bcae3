using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace MlflowMsBuild.TestServer.Http;

/// <summary>The request as a handler sees it: route values, query, body and response helpers.</summary>
internal sealed class ApiRequest(HttpContext http, RouteValues values)
{
    public HttpContext Http => http;

    public string Method => http.Request.Method;

    public RouteValues Route => values;

    public CancellationToken Aborted => http.RequestAborted;

    /// <summary>First value of a query parameter ('+' decoded as space, as Flask and Rack do).</summary>
    public string? Query(string name) =>
        http.Request.Query.TryGetValue(name, out var v) && v.Count > 0 ? v[0] : null;

    public bool HasBody =>
        http.Request.ContentLength > 0 || http.Request.Headers.TransferEncoding.Count > 0;

    /// <summary>Reads the whole body (JSON requests only); more than <paramref name="limit"/> bytes answers 413.</summary>
    public async Task<byte[]> ReadBodyAsync(int limit = 64 * 1024 * 1024)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, Aborted)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > limit) throw new ApiErrorException(413, "Request body too large", "text/plain");
        }
        return buffer.ToArray();
    }

    public Task WriteJsonAsync(JsonNode node, int status = 200, bool indented = false) =>
        WriteTextAsync(status, Json.Write(node, indented), "application/json");

    public async Task WriteTextAsync(int status, string text, string contentType)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        http.Response.StatusCode = status;
        http.Response.ContentType = contentType;
        http.Response.ContentLength = bytes.Length;
        if (!HttpMethods.IsHead(Method)) await http.Response.Body.WriteAsync(bytes, Aborted);
    }
}

/// <summary>JSON helpers shared by both flavours.</summary>
internal static class Json
{
    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonSerializerOptions Indented = new(Compact) { WriteIndented = true };

    public static string Write(JsonNode node, bool indented) => node.ToJsonString(indented ? Indented : Compact);

    /// <summary>A JSON string literal, quotes included.</summary>
    public static string Quote(string? value) => JsonSerializer.Serialize(value, Compact);

    /// <summary>Parses a body; null when it is empty or not JSON (Flask's get_json(silent=True)).</summary>
    public static JsonNode? TryParse(byte[] body)
    {
        if (body.Length == 0) return null;
        try
        {
            return JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static JsonArray Array(IEnumerable<JsonNode?> items) => new(items.ToArray());

    public static JsonObject KeyValue(string key, string value) => new() { ["key"] = key, ["value"] = value };

    /// <summary>A double as MLflow writes it: NaN and infinities become strings.</summary>
    public static JsonNode Number(double value) =>
        double.IsNaN(value) ? JsonValue.Create("NaN")
        : double.IsPositiveInfinity(value) ? JsonValue.Create("Infinity")
        : double.IsNegativeInfinity(value) ? JsonValue.Create("-Infinity")
        : JsonValue.Create(value);
}
