using MlflowMsBuild.TestServer.Http;

namespace MlflowMsBuild.TestServer.Mlflow;

/// <summary>MLflow's error answers: <c>{"error_code": ..., "message": ...}</c> (Python json.dumps spacing) and Flask's HTML pages.</summary>
internal static class MlflowErrors
{
    public const string HtmlContentType = "text/html; charset=utf-8";

    public static ApiErrorException Error(string code, string message) =>
        new(StatusFor(code), $"{{\"error_code\": {Json.Quote(code)}, \"message\": {Json.Quote(message)}}}");

    public static ApiErrorException NotFound(string message) => Error("RESOURCE_DOES_NOT_EXIST", message);

    public static ApiErrorException Invalid(string message) => Error("INVALID_PARAMETER_VALUE", message);

    public static ApiErrorException AlreadyExists(string message) => Error("RESOURCE_ALREADY_EXISTS", message);

    public static ApiErrorException Missing(string parameter) =>
        Invalid($"Missing value for required parameter '{parameter}'. See the API docs for more information about request parameters.");

    public static ApiErrorException WrongType(string parameter, string shownValue, string pythonType) =>
        Invalid($"Invalid value {shownValue} for parameter '{parameter}' supplied. Hint: Value was of type '{pythonType}'. " +
                "See the API docs for more information about request parameters.");

    /// <summary>Flask's own 500 page (e.g. GET of an artifact directory on MLflow 2.12).</summary>
    public static ApiErrorException InternalServerErrorPage() => new(500,
        "<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n<h1>Internal Server Error</h1>\n" +
        "<p>The server encountered an internal error and was unable to complete your request. Either the server is overloaded " +
        "or there is an error in the application.</p>\n", HtmlContentType);

    public static ApiErrorException NotFoundPage() => new(404,
        "<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n" +
        "<p>The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.</p>\n",
        HtmlContentType);

    public static ApiErrorException MethodNotAllowedPage(IEnumerable<string> allowed) => new(405,
        "<!doctype html>\n<html lang=en>\n<title>405 Method Not Allowed</title>\n<h1>Method Not Allowed</h1>\n" +
        "<p>The method is not allowed for the requested URL.</p>\n", HtmlContentType)
    {
        Headers = [new("Allow", string.Join(", ", allowed.Append("OPTIONS").Concat(allowed.Contains("GET") ? ["HEAD"] : []).Distinct()))],
    };

    private static int StatusFor(string code) => code switch
    {
        "RESOURCE_DOES_NOT_EXIST" or "NOT_FOUND" or "ENDPOINT_NOT_FOUND" => 404,
        "RESOURCE_ALREADY_EXISTS" or "INVALID_PARAMETER_VALUE" or "BAD_REQUEST" or "INVALID_STATE" => 400,
        "ALREADY_EXISTS" or "RESOURCE_CONFLICT" or "ABORTED" => 409,
        "PERMISSION_DENIED" => 403,
        "UNAUTHENTICATED" => 401,
        "REQUEST_LIMIT_EXCEEDED" or "RESOURCE_EXHAUSTED" => 429,
        "NOT_IMPLEMENTED" => 501,
        "TEMPORARILY_UNAVAILABLE" => 503,
        _ => 500,
    };
}
