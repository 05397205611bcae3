using System.Text.Json.Serialization;
using MlflowMsBuild.Core.Http;

namespace MlflowMsBuild.Core.RestApi;

public sealed partial class MlflowRestClient
{
    /// <summary>
    /// <c>PATCH model-versions/update</c>: replaces the version's description (the only field MLflow changes there).
    /// GitLab takes the SemVer as <paramref name="version"/> and needs all three fields.
    /// </summary>
    public async Task<ModelVersion?> UpdateModelVersionDescriptionAsync(string name, string version, string description, CancellationToken cancellationToken)
    {
        var response = await PatchAsync("model-versions/update", new UpdateModelVersionRequest { Name = name, Version = version, Description = description },
            DescriptionJson.Default.UpdateModelVersionRequest, MlflowJson.Default.ModelVersionResponse, cancellationToken).ConfigureAwait(false);
        return response.ModelVersion;
    }
}

public sealed class UpdateModelVersionRequest
{
    public string Name { get; set; } = "";
    public string Version { get; set; } = "";
    public string Description { get; set; } = "";
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(UpdateModelVersionRequest))]
internal sealed partial class DescriptionJson : JsonSerializerContext;
