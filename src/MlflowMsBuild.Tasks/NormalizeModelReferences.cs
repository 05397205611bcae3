using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Uris;

namespace MlflowMsBuild.Tasks;

/// <summary>
/// Turns model references written as URIs (<c>models:/test-x/1</c>, <c>models:/test-x@champion</c>, with an
/// optional <c>?registry=</c> that must name the project's registry) into the plain form the restore uses:
/// the model's name as the item, the version in <c>Version</c>. Other references pass through unchanged.
/// </summary>
public sealed class NormalizeModelReferences : MlflowTask
{
    [Required]
    public ITaskItem[] References { get; set; } = [];

    /// <summary>The references by name, each with metadata <c>Version</c> and <c>ModelUri</c> (as written, for URIs).</summary>
    [Output]
    public ITaskItem[] Normalized { get; private set; } = [];

    protected override Task ExecuteCoreAsync(CancellationToken cancellationToken)
    {
        Normalized = References.Select(Normalize).ToArray();
        return Task.CompletedTask;
    }

    private ITaskItem Normalize(ITaskItem reference)
    {
        var text = reference.ItemSpec.Trim();
        if (!ModelUri.IsModelUri(text))
        {
            return reference;
        }

        var uri = ModelUri.Parse(text);
        var metadataVersion = reference.GetMetadata("Version").Trim();
        if (uri.Version is not null && metadataVersion.Length > 0 && metadataVersion != uri.Version)
        {
            throw new MlflowException(MlfError.ModelReferenceVersionConflict, text, uri.Version, metadataVersion);
        }

        var projectRegistry = (Registry ?? "").Trim();
        if (uri.Registry is not null && !string.Equals(uri.Registry.Trim(), projectRegistry, StringComparison.Ordinal))
        {
            throw new MlflowException(MlfError.ModelReferenceRegistryConflict, text, uri.Registry, projectRegistry.Length == 0 ? "the default registry" : projectRegistry);
        }

        var version = uri.Version ?? (metadataVersion.Length > 0 ? metadataVersion : null)
            ?? throw new MlflowException(MlfError.ModelUriVersionMissing, text, ModelUri.Prefix + uri.Name);
        var normalized = new TaskItem(uri.Name);
        reference.CopyMetadataTo(normalized);
        normalized.SetMetadata("Version", version);
        normalized.SetMetadata("ModelUri", text);
        return normalized;
    }
}
