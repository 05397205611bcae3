using System.Text.Json;
using MlflowMsBuild.Core.Http;

namespace MlflowMsBuild.Core.RestApi;

/// <summary>
/// Reads error bodies of every shape a registry sends: MLflow's <c>{"error_code","message"}</c>, GitLab's
/// message arrays and nulls, Grape's <c>{"error":...}</c>, GitLab's <c>{"message":"404 Not Found"}</c>,
/// FastAPI's <c>{"detail":...}</c>, and HTML or text pages from proxies.
/// </summary>
internal static class ServerErrors
{
    public static (string? ErrorCode, string? Message) Parse(string body)
    {
        if (string.IsNullOrWhiteSpace(body) || body.TrimStart()[0] is not ('{' or '['))
        {
            return (null, null);
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, null);
            }

            var root = document.RootElement;
            var code = root.TryGetProperty("error_code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
            var message = Text(root, "message") ?? Text(root, "error_description") ?? Text(root, "error") ?? Text(root, "detail");
            return (code, message);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    /// <summary>A short text for messages: the server's own words, or what kind of body it sent.</summary>
    public static string Describe(string? errorCode, string? message, string body, string? mediaType)
    {
        if (errorCode is not null || message is not null)
        {
            return ": " + string.Join(": ", new[] { errorCode, message }.Where(s => !string.IsNullOrEmpty(s)));
        }

        if (string.IsNullOrWhiteSpace(body))
        {
            return ", empty body";
        }

        return mediaType is "text/html" ? ", an HTML page (a proxy or the server's error page)" : ", body: " + Truncate(body.Trim(), 200);
    }

    private static string? Text(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Array => string.Join("; ", value.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() : e.GetRawText())),
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            _ => value.GetRawText(),
        };
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length] + "...";
}
