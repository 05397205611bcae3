using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using MlflowMsBuild.TestServer.Http;

namespace MlflowMsBuild.TestServer.Mlflow;

/// <summary>The plain MLflow 2.12 (or, with <see cref="TestServerOptions.MlflowVersion"/>, 3.11) tracking server (Flask): routes, optional auth, HTML 404/405/500 pages.</summary>
internal sealed class MlflowFlavor : IRegistryFlavor
{
    /// <summary>Prefix of the tracking REST API; route keys are the part after it.</summary>
    public const string Api = "api/2.0/mlflow/";

    private readonly TestServerOptions options;

    public MlflowFlavor(TestServerOptions options, string dataDirectory)
    {
        this.options = options;
        var state = new MlflowState(options.TimeProvider);
        var artifacts = new MlflowArtifactStore(Path.Combine(dataDirectory, "mlflow-artifacts"), Path.Combine(dataDirectory, ".uploads"));
        new ExperimentEndpoints(state).Map(Routes);
        new RunEndpoints(state).Map(Routes);
        new RunLoggingEndpoints(state).Map(Routes);
        new RegisteredModelEndpoints(state, options.MlflowVersion).Map(Routes);
        new ModelVersionEndpoints(state).Map(Routes);
        if (options.MlflowLoggedModels)
        {
            new LoggedModelEndpoints(state).Map(Routes);
        }

        new ArtifactEndpoints(state, artifacts, options.MlflowServeArtifacts, options.MlflowVersion).Map(Routes);
        Routes.Map("GET", "health", "health", r => r.WriteTextAsync(200, "OK", "text/html; charset=utf-8"));
    }

    public RouteTable Routes { get; } = new();

    public IReadOnlyList<string> Segments(string rawPath) => RouteTable.Split(rawPath, decodeBeforeSplitting: true);

    public ApiErrorException? Admit(HttpContext http)
    {
        var bearer = options.MlflowBearerToken;
        var basic = options.MlflowUsername is null ? null : $"{options.MlflowUsername}:{options.MlflowPassword}";
        if (bearer is null && basic is null) return null;

        var header = http.Request.Headers.Authorization.ToString();
        if (bearer is not null && header == "Bearer " + bearer) return null;
        if (basic is not null && header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                if (Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim())) == basic) return null;
            }
            catch (FormatException)
            {
                // falls through to 401
            }
        }
        return new ApiErrorException(401,
            "You are not authenticated. Please see https://www.mlflow.org/docs/latest/auth/index.html#authenticating-to-mlflow " +
            "on how to authenticate.", "text/html; charset=utf-8")
        {
            Headers = [new("WWW-Authenticate", "Basic realm=\"mlflow\"")],
        };
    }

    public ApiErrorException NotFound(IReadOnlyList<string> allowedMethods) =>
        allowedMethods.Count == 0 ? MlflowErrors.NotFoundPage() : MlflowErrors.MethodNotAllowedPage(allowedMethods);

    public ApiErrorException InternalError() => MlflowErrors.InternalServerErrorPage();
}

/// <summary>Answer helpers: MLflow pretty-prints success bodies with two-space indentation.</summary>
internal static class MlflowAnswers
{
    public static Task OkAsync(this ApiRequest request, JsonObject body) => request.WriteJsonAsync(body, 200, indented: true);

    public static Task OkEmptyAsync(this ApiRequest request) => request.WriteJsonAsync(new JsonObject(), 200, indented: true);

    /// <summary>Takes one page of <paramref name="items"/>; the token is omitted on the last page.</summary>
    public static JsonObject Paged<T>(string field, IReadOnlyList<T> items, string? pageToken, long maxResults, Func<T, JsonNode> render)
    {
        var offset = Storage.PageToken.Decode(pageToken) ?? throw MlflowErrors.Invalid("Invalid page token, could not base64-decode");
        var page = items.Skip(offset).Take((int)Math.Min(maxResults, int.MaxValue)).Select(i => (JsonNode?)render(i)).ToArray();
        var json = new JsonObject();
        if (page.Length > 0) json[field] = new JsonArray(page);
        if (offset + page.Length < items.Count) json["next_page_token"] = Storage.PageToken.Encode(offset + page.Length);
        return json;
    }
}
