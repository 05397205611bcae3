using System.Text.Json.Nodes;
using MlflowMsBuild.TestServer.Http;

namespace MlflowMsBuild.TestServer.GitLab;

/// <summary>GitLab's several error shapes: <c>{"message": ...}</c> for most, <c>{"error": ...}</c> for unknown routes and OAuth.</summary>
internal static class GitLabErrors
{
    private const string OAuthRealm = "Bearer realm=\"Protected by OAuth 2.0\"";

    public static ApiErrorException Body(int status, JsonObject body) => new(status, Json.Write(body, indented: false));

    public static ApiErrorException Message(int status, string message) => Body(status, new JsonObject { ["message"] = message });

    public static ApiErrorException Unauthorized() => Message(401, "401 Unauthorized");

    public static ApiErrorException Forbidden() => Message(403, "403 Forbidden");

    public static ApiErrorException ProjectNotFound() => Message(404, "404 Project Not Found");

    public static ApiErrorException NotFound() => Message(404, "404 Not Found");

    public static ApiErrorException RouteNotFound() => Body(404, new JsonObject { ["error"] = "404 Not Found" });

    public static ApiErrorException InternalError() => Message(500, "500 Internal Server Error");

    public static ApiErrorException BadRequest(string detail) => Message(400, "400 Bad request - " + detail);

    public static ApiErrorException InvalidToken(string description) =>
        new(401, Json.Write(new JsonObject { ["error"] = "invalid_token", ["error_description"] = description }, false))
        {
            Headers = [new("WWW-Authenticate", $"{OAuthRealm}, error=\"invalid_token\", error_description=\"{description}\"")],
        };

    public static ApiErrorException InsufficientScope()
    {
        const string Description = "The request requires higher privileges than provided by the access token.";
        return new ApiErrorException(403, Json.Write(new JsonObject
        {
            ["error"] = "insufficient_scope", ["error_description"] = Description, ["scope"] = "api",
        }, false))
        {
            Headers = [new("WWW-Authenticate", $"{OAuthRealm}, error=\"insufficient_scope\", error_description=\"{Description}\", scope=\"api\"")],
        };
    }

    /// <summary>Grape parameter validation: <c>{"error":"name is missing"}</c>.</summary>
    public static ApiErrorException Validation(string message) => Body(400, new JsonObject { ["error"] = message });

    public static ApiErrorException ResourceNotFound() => Body(404, new JsonObject { ["error_code"] = "RESOURCE_DOES_NOT_EXIST" });

    public static ApiErrorException AlreadyExists() => Body(400, new JsonObject { ["error_code"] = "RESOURCE_ALREADY_EXISTS" });

    public static ApiErrorException UpdateFailed() => Body(400, new JsonObject { ["error_code"] = "UPDATE_FAILED" });

    /// <summary>INVALID_PARAMETER_VALUE; the message is a string, an array of strings, or null.</summary>
    public static ApiErrorException InvalidParameter(JsonNode? message) =>
        Body(400, new JsonObject { ["error_code"] = "INVALID_PARAMETER_VALUE", ["message"] = message });

    public static ApiErrorException InvalidParameter(params string[] messages) =>
        InvalidParameter(new JsonArray(messages.Select(m => (JsonNode?)m).ToArray()));
}
