using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace MlflowMsBuild.TestServer.Tests.TestUtilities;

/// <summary>An answer as a client sees it.</summary>
internal sealed record Answer(HttpStatusCode Status, string Body, HttpResponseMessage Response)
{
    public int Code => (int)Status;

    public JsonNode Json => JsonNode.Parse(Body) ?? throw new AssertFailedException($"Not JSON: {Body}");

    public JsonObject Object => Json.AsObject();

    public string? Header(string name) =>
        Response.Headers.TryGetValues(name, out var v) || Response.Content.Headers.TryGetValues(name, out v) ? string.Join(", ", v) : null;
}

/// <summary>A plain HttpClient against one server, with JSON helpers and optional default headers.</summary>
internal sealed class Api : IDisposable
{
    private readonly HttpClient http;

    public Api(Uri baseAddress, params (string Name, string Value)[] headers)
    {
        http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = baseAddress };
        foreach (var (name, value) in headers) http.DefaultRequestHeaders.TryAddWithoutValidation(name, value);
    }

    public HttpClient Http => http;

    public Task<Answer> GetAsync(string url, params (string Name, string Value)[] headers) => SendAsync(HttpMethod.Get, url, null, headers);

    public Task<Answer> PostAsync(string url, object body, params (string Name, string Value)[] headers) =>
        SendAsync(HttpMethod.Post, url, body, headers);

    public Task<Answer> PatchAsync(string url, object body) => SendAsync(HttpMethod.Patch, url, body);

    public Task<Answer> DeleteAsync(string url, object? body = null) => SendAsync(HttpMethod.Delete, url, body);

    public Task<Answer> PutBytesAsync(string url, byte[] bytes, params (string Name, string Value)[] headers) =>
        SendAsync(HttpMethod.Put, url, new ByteArrayContent(bytes), headers);

    /// <summary>body: a JsonNode / anonymous object (sent as application/json), a string (sent as is), or HttpContent.</summary>
    public async Task<Answer> SendAsync(HttpMethod method, string url, object? body, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, url);
        request.Content = body switch
        {
            null => null,
            HttpContent content => content,
            string text => new StringContent(text, Encoding.UTF8, "application/json"),
            JsonNode node => new StringContent(node.ToJsonString(), Encoding.UTF8, "application/json"),
            _ => new StringContent(System.Text.Json.JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
        };
        foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
        var response = await http.SendAsync(request);
        return new Answer(response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    public static StringContent JsonWithoutContentType(string json)
    {
        var content = new StringContent(json);
        content.Headers.ContentType = null;
        return content;
    }

    public static MediaTypeHeaderValue Json => new("application/json");

    public void Dispose() => http.Dispose();
}
