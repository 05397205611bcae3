using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using MlflowMsBuild.Core.Cache;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Naming;
using MlflowMsBuild.Core.Restore;
using MlflowMsBuild.Core.Settings;

namespace MlflowMsBuild.Tasks;

/// <summary>
/// Restores every <c>MlflowModelReference</c> into <c>&lt;ModelsDirectory&gt;/&lt;name&gt;/&lt;version&gt;/</c>
/// through the machine-wide cache, and removes folders of references that are gone. Logs progress every few
/// seconds during long downloads and one summary line.
/// </summary>
public sealed class RestoreModels : MlflowTask
{
    /// <summary>Items named after the model, with metadata <c>Version</c>.</summary>
    [Required]
    public ITaskItem[] References { get; set; } = [];

    /// <summary>Full path of the folder that receives the models (the project's <c>obj/models/</c>).</summary>
    [Required]
    public string ModelsDirectory { get; set; } = "";

    /// <summary>The <c>MlflowCacheDirectory</c> setting; empty for <c>$(MlflowHome)/cache</c>.</summary>
    public string? CacheDirectory { get; set; }

    /// <summary>The <c>MlflowOffline</c> setting (true/false); empty to follow <c>MLFLOW_MSBUILD_OFFLINE</c>.</summary>
    public string? Offline { get; set; }

    /// <summary>The lock file (<c>MlflowLockFile</c>); relative to the project.</summary>
    public string? LockFile { get; set; }

    /// <summary>The <c>MlflowUseLockFile</c> setting: true, false, or empty for "when it exists or a reference floats".</summary>
    public string? UseLockFile { get; set; }

    /// <summary>The <c>MlflowLockedMode</c> setting: fail instead of changing the lock file.</summary>
    public bool LockedMode { get; set; }

    /// <summary>The <c>MlflowUpdateLockFile</c> setting: resolve floating references again.</summary>
    public bool UpdateLockFile { get; set; }

    /// <summary>The <c>MlflowRefresh</c> setting (true/false/1/0): ask the registry whether pinned versions the cache holds were replaced.</summary>
    public string? Refresh { get; set; }

    /// <summary>Files downloaded at once; 0 for the default.</summary>
    public int MaxParallelDownloads { get; set; }

    /// <summary>
    /// One item per restored model: the folder, with metadata <c>ModelName</c>, <c>Version</c> (as referenced),
    /// <c>ResolvedVersion</c> (exact, as the registry names it) and <c>FromCache</c>.
    /// </summary>
    [Output]
    public ITaskItem[] RestoredModels { get; private set; } = [];

    protected override MlflowSettingValues SettingValues => base.SettingValues with
    {
        CacheDirectory = CacheDirectory,
        Offline = Offline,
        LockFile = LockFile,
        UseLockFile = UseLockFile,
        LockedMode = LockedMode,
        UpdateLockFile = UpdateLockFile,
        Refresh = Refresh,
    };

    protected override async Task ExecuteCoreAsync(CancellationToken cancellationToken)
    {
        var references = ModelReference.Merge(References.Select(r => ModelReference.Create(r.ItemSpec, r.GetMetadata("Version"))).ToList());
        var settings = CreateSettings();
        var modelsDirectory = settings.FullPath(ModelsDirectory);
        Action<string> log = line => LogLine(MessageImportance.High, line);
        var defaults = settings.ToRestoreOptions();
        var options = defaults with
        {
            MaxParallelDownloads = MaxParallelDownloads > 0 ? MaxParallelDownloads : defaults.MaxParallelDownloads,
            Log = log,
            Warn = LogWarning,
            Mutexes = defaults.Mutexes with { Log = log },
        };
        using var registry = settings.OpenRegistry();
        var requests = references.Select(r => new ModelRequest(r, Path.Combine(modelsDirectory, ModelFolderName.Of(r.Name), r.VersionSpec))).ToList();
        var restorer = new ModelRestorer(registry, settings.OpenCache(), options);
        var result = await restorer.RestoreAllAsync(requests, settings.UsesLockFile(references) ? settings.LockFile : null, cancellationToken).ConfigureAwait(false);
        var restored = new List<ITaskItem>();
        for (var i = 0; i < result.Models.Count; i++)
        {
            var model = result.Models[i];
            LogFromResources(MessageImportance.Normal, "RestoredModel",
                model.Name, model.Version, Plural.Of(model.Files.Count, "file"), model.FromCache ? Log.FormatResourceString("RestoredFromCache") : "", model.Directory);
            restored.Add(new TaskItem(model.Directory, new Dictionary<string, string>
            {
                ["ModelName"] = model.Name,
                ["Version"] = references[i].VersionSpec,
                ["ResolvedVersion"] = model.Version,
                ["FromCache"] = model.FromCache ? "true" : "false",
            }));
        }

        LogFromResources(MessageImportance.High, "RestoreSummary", result.Summary);
        ModelPlacement.RemoveOthers(modelsDirectory, references);
        RestoredModels = restored.ToArray();
    }
}
