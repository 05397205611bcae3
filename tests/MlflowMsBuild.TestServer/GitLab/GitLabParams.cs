using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using MlflowMsBuild.TestServer.Http;

namespace MlflowMsBuild.TestServer.GitLab;

/// <summary>
/// Grape-style parameters: query, form and JSON body merged; coercion failures and missing required parameters
/// answer 400 <c>{"error":"a is missing, b is invalid"}</c> (all problems joined, as Grape does).
/// </summary>
internal sealed class GitLabParams
{
    private readonly JsonObject values;

    private GitLabParams(JsonObject values) => this.values = values;

    public static async Task<GitLabParams> ReadAsync(ApiRequest request)
    {
        var merged = new JsonObject();
        foreach (var (key, value) in request.Http.Request.Query) merged[key] = value[0];
        var contentType = request.Http.Request.ContentType ?? "";
        if (request.HasBody && contentType.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            var body = await request.ReadBodyAsync();
            if (body.Length > 0)
            {
                JsonNode? node;
                try
                {
                    node = JsonNode.Parse(body);
                }
                catch (JsonException)
                {
                    throw GitLabErrors.Validation("There was a problem with the payload");
                }
                if (node is JsonObject obj)
                {
                    foreach (var (key, value) in obj) merged[key] = value?.DeepClone();
                }
            }
        }
        else if (request.HasBody && contentType.Contains("x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            var text = Encoding.UTF8.GetString(await request.ReadBodyAsync());
            foreach (var (key, value) in Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(text)) merged[key] = value[0];
        }
        return new GitLabParams(merged);
    }

    public JsonNode? this[string name] => values[name];

    public bool Has(string name) => values[name] is not null;

    /// <summary>Checks presence and types at once; throws the Grape message listing every problem.</summary>
    public void Validate(string[] required, string[]? integers = null, string[]? floats = null, string[]? arrays = null)
    {
        var problems = new List<string>();
        foreach (var name in required)
        {
            if (!Has(name)) problems.Add($"{name} is missing");
        }
        foreach (var name in integers ?? [])
        {
            if (Has(name) && Integer(name) is null) problems.Add($"{name} is invalid");
        }
        foreach (var name in floats ?? [])
        {
            if (Has(name) && Float(name) is null) problems.Add($"{name} is invalid");
        }
        foreach (var name in arrays ?? [])
        {
            if (Has(name) && values[name] is not JsonArray) problems.Add($"{name} is invalid");
        }
        if (problems.Count > 0) throw GitLabErrors.Validation(string.Join(", ", problems));
    }

    public string? String(string name) => ToText(values[name]);

    public long? Integer(string name) => ToInteger(values[name]);

    public double? Float(string name) => ToFloat(values[name]);

    /// <summary>
    /// Grape's Float coercion (Ruby's <c>Float()</c>): a JSON number, or a string holding a finite number.
    /// <c>"NaN"</c>, <c>"Infinity"</c> and <c>"-Infinity"</c> (how MLflow clients write non-finite values) are invalid.
    /// </summary>
    public static double? ToFloat(JsonNode? node) => node switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.GetValue<double>(),
        JsonValue v when v.GetValueKind() == JsonValueKind.String &&
            double.TryParse(v.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) => d,
        _ => null,
    };

    public JsonArray Array(string name) => values[name] as JsonArray ?? [];

    public static string? ToText(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v => v.ToJsonString(),
        _ => node.ToJsonString(),
    };

    public static long? ToInteger(JsonNode? node) => node switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out var l) => l,
        JsonValue v when v.GetValueKind() == JsonValueKind.String &&
            long.TryParse(v.GetValue<string>(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) => l,
        _ => null,
    };
}
