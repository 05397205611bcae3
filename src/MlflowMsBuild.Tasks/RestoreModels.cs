using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Naming;
using MlflowMsBuild.Core.Restore;

namespace MlflowMsBuild.Tasks;

/// <summary>
/// Restores every <c>MlflowModelReference</c> into <c>&lt;ModelsDirectory&gt;/&lt;name&gt;/&lt;version&gt;/</c>
/// through the machine-wide cache, and removes folders of references that are gone.
/// </summary>
public sealed class RestoreModels : MlflowTask
{
    /// <summary>Items named after the model, with metadata <c>Version</c>.</summary>
    [Required]
    public ITaskItem[] References { get; set; } = [];

    /// <summary>Full path of the folder that receives the models (the project's <c>obj/models/</c>).</summary>
    [Required]
    public string ModelsDirectory { get; set; } = "";

    /// <summary>
    /// One item per restored model: the folder, with metadata <c>ModelName</c>, <c>Version</c> (as referenced),
    /// <c>ResolvedVersion</c> (exact, as the registry names it) and <c>FromCache</c>.
    /// </summary>
    [Output]
    public ITaskItem[] RestoredModels { get; private set; } = [];

    protected override async Task ExecuteCoreAsync(CancellationToken cancellationToken)
    {
        var references = References.Select(ReadReference).ToList();
        var home = ResolveHome();
        using var registry = OpenRegistry(home);
        var restorer = new ModelRestorer(registry, new ModelCache(home.Cache));
        var modelsDirectory = Path.GetFullPath(ModelsDirectory, ProjectDirectory);

        var restored = new List<ITaskItem>();
        foreach (var (name, version) in references)
        {
            var destination = Path.Combine(modelsDirectory, name, version);
            var model = await restorer.RestoreAsync(name, version, destination, cancellationToken).ConfigureAwait(false);
            Log.LogMessage(MessageImportance.Normal, "Restored model '{0}' version {1} ({2} files){3} into '{4}'.",
                name, model.Version, model.Files.Count, model.FromCache ? " from the cache" : "", destination);
            restored.Add(new TaskItem(destination, new Dictionary<string, string>
            {
                ["ModelName"] = name,
                ["Version"] = version,
                ["ResolvedVersion"] = model.Version,
                ["FromCache"] = model.FromCache ? "true" : "false",
            }));
        }

        RemoveStaleModels(modelsDirectory, references);
        RestoredModels = restored.ToArray();
    }

    private static (string Name, string Version) ReadReference(ITaskItem item)
    {
        var name = item.ItemSpec.Trim();
        ModelNameRules.ThrowIfInvalid(name);
        var version = item.GetMetadata("Version").Trim();
        if (version.Length == 0)
        {
            throw new MlflowException(MlfError.ModelReferenceVersionMissing, name);
        }

        if (version.IndexOfAny(['/', '\\']) >= 0 || version is "." or "..")
        {
            throw new MlflowException(MlfError.VersionSpecInvalid, name, version, "model reference", "a version holds no path separators");
        }

        return (name, version);
    }

    private static void RemoveStaleModels(string modelsDirectory, IReadOnlyCollection<(string Name, string Version)> references)
    {
        if (!Directory.Exists(modelsDirectory))
        {
            return;
        }

        foreach (var modelDirectory in Directory.EnumerateDirectories(modelsDirectory))
        {
            var name = Path.GetFileName(modelDirectory);
            foreach (var versionDirectory in Directory.EnumerateDirectories(modelDirectory))
            {
                if (!references.Contains((name, Path.GetFileName(versionDirectory))))
                {
                    Directory.Delete(versionDirectory, recursive: true);
                }
            }

            if (!Directory.EnumerateFileSystemEntries(modelDirectory).Any())
            {
                Directory.Delete(modelDirectory);
            }
        }
    }
}
