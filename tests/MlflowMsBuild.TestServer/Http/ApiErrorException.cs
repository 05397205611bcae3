namespace MlflowMsBuild.TestServer.Http;

/// <summary>An error answer: handlers throw it, the pipeline writes status, headers and body verbatim.</summary>
internal sealed class ApiErrorException(int status, string body, string contentType = "application/json") : Exception(body)
{
    public int Status { get; } = status;

    public string Body { get; } = body;

    public string ContentType { get; } = contentType;

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];
}
