using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Naming;
using MlflowMsBuild.Core.Uris;

namespace MlflowMsBuild.Cli.Commands;

/// <summary>Model arguments of the commands that talk to a registry: a URI, or (for list) a bare name.</summary>
internal static class ModelArguments
{
    /// <summary>A model without a version: <c>NAME</c>, or <c>models:/NAME</c> (with <c>?registry=</c> when needed).</summary>
    public static ModelUri Model(string text)
    {
        if (!ModelUri.IsModelUri(text))
        {
            ModelNameRules.ThrowIfInvalid(text);
            return new ModelUri(text, null, null);
        }

        var uri = ModelUri.Parse(text);
        return uri.Version is null
            ? uri
            : throw new MlflowException(MlfError.CommandValueInvalid, "The model", text, $"this command takes a model, not a version: {uri with { Version = null }}");
    }

    /// <summary>A version of a model: <c>models:/NAME/VERSION</c> or <c>models:/NAME@ALIAS</c>.</summary>
    public static ModelUri Version(string text)
    {
        if (!ModelUri.IsModelUri(text))
        {
            throw new MlflowException(MlfError.CommandValueInvalid, "The model", text, "this command reads a registry: give models:/NAME/VERSION or models:/NAME@ALIAS");
        }

        return ModelUri.Parse(text).RequireVersion();
    }
}
