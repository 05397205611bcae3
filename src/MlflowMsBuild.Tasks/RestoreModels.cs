using System.Collections.Concurrent;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using MlflowMsBuild.Core.Cache;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Naming;
using MlflowMsBuild.Core.Restore;

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

    /// <summary>Files downloaded at once; 0 for the default.</summary>
    public int MaxParallelDownloads { get; set; }

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
        var modelsDirectory = Path.GetFullPath(ModelsDirectory, ProjectDirectory);
        var lockFile = Path.GetFullPath(string.IsNullOrWhiteSpace(LockFile) ? ModelsLockFile.DefaultFileName : LockFile, ProjectDirectory);
        var messages = new ConcurrentQueue<string>();
        var defaults = new RestoreOptions();
        var options = defaults with
        {
            Offline = RestoreOptions.ResolveOffline(Offline, Environment.GetEnvironmentVariable),
            LockedMode = LockedMode,
            UpdateLockFile = UpdateLockFile,
            MaxParallelDownloads = MaxParallelDownloads > 0 ? MaxParallelDownloads : defaults.MaxParallelDownloads,
            Log = messages.Enqueue,
            Mutexes = defaults.Mutexes with { Log = messages.Enqueue },
        };
        var cache = new ModelCache(string.IsNullOrWhiteSpace(CacheDirectory) ? home.Cache : Path.GetFullPath(CacheDirectory, ProjectDirectory));
        using var registry = OpenRegistry(home);
        var requests = references.Select(r => new ModelRequest(r.Name, r.Version, Path.Combine(modelsDirectory, r.Name, r.Version))).ToList();
        var restorer = new ModelRestorer(registry, cache, options);
        var useLockFile = ModelsLockFile.IsUsed(UseLockFile, lockFile, references.Select(r => r.Version)) || LockedMode;
        var work = Task.Run(() => restorer.RestoreAllAsync(requests, useLockFile ? lockFile : null, cancellationToken), cancellationToken);

        // MSBuild's logger is used from this thread only: the restore's threads queue their messages.
        while (!((IAsyncResult)work).AsyncWaitHandle.WaitOne(TimeSpan.FromMilliseconds(200)))
        {
            Drain(messages);
        }

        Drain(messages);
        var result = await work.ConfigureAwait(false);
        var restored = new List<ITaskItem>();
        for (var i = 0; i < result.Models.Count; i++)
        {
            var model = result.Models[i];
            Log.LogMessage(MessageImportance.Normal, "Restored model '{0}' version {1} ({2} files){3} into '{4}'.",
                model.Name, model.Version, model.Files.Count, model.FromCache ? " from the cache" : "", model.Directory);
            restored.Add(new TaskItem(model.Directory, new Dictionary<string, string>
            {
                ["ModelName"] = model.Name,
                ["Version"] = references[i].Version,
                ["ResolvedVersion"] = model.Version,
                ["FromCache"] = model.FromCache ? "true" : "false",
            }));
        }

        Log.LogMessage(MessageImportance.High, "Restored {0}.", result.Summary);
        ModelPlacement.RemoveOthers(modelsDirectory, references);
        RestoredModels = restored.ToArray();
    }

    private void Drain(ConcurrentQueue<string> messages)
    {
        while (messages.TryDequeue(out var message))
        {
            Log.LogMessage(MessageImportance.High, "{0}", message);
        }
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
}
