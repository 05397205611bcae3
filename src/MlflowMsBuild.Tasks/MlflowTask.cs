using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using MlflowMsBuild.Core;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.IO;
using MlflowMsBuild.Core.Registry;

namespace MlflowMsBuild.Tasks;

/// <summary>
/// Base of every task: runs the async work, turns <see cref="MlflowException"/> into a coded MSBuild error
/// and I/O failures into MLF errors with the path, and honours cancellation (Ctrl+C).
/// </summary>
public abstract class MlflowTask : Microsoft.Build.Utilities.Task, ICancelableTask
{
    private readonly CancellationTokenSource cancellation = new();

    /// <summary>The <c>MlflowRegistry</c> setting: empty for the embedded registry, or a folder.</summary>
    public string? Registry { get; set; }

    /// <summary>The <c>MlflowHome</c> setting; empty to use <c>$MLFLOW_MSBUILD_HOME</c> or <c>~/.mlflow-msbuild</c>.</summary>
    public string? Home { get; set; }

    /// <summary>The project file: errors point at it, and relative settings are relative to its folder.</summary>
    [Required]
    public string ProjectFile { get; set; } = "";

    protected string ProjectDirectory => Path.GetDirectoryName(Path.GetFullPath(ProjectFile))!;

    public void Cancel() => cancellation.Cancel();

    public sealed override bool Execute()
    {
        try
        {
            ExecuteCoreAsync(cancellation.Token).GetAwaiter().GetResult();
        }
        catch (MlflowException e)
        {
            LogError(e);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            Log.LogMessage(MessageImportance.High, "Canceled.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogError(new MlflowException(MlfError.FileOperationFailed, e, e.Message));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A bug of ours, not the user's: still a coded error (not MSBuild's MSB4018), with what to report.
            LogError(new MlflowException(MlfError.InternalError, e, GetType().Name, e.GetType().FullName, e.Message));
        }

        return !Log.HasLoggedErrors;
    }

    protected abstract Task ExecuteCoreAsync(CancellationToken cancellationToken);

    protected MlflowHome ResolveHome() =>
        MlflowHome.Resolve(string.IsNullOrWhiteSpace(Home) ? null : Path.GetFullPath(Home, ProjectDirectory));

    protected IModelRegistry OpenRegistry(MlflowHome home) => RegistryLocator.Open(Registry, home, ProjectDirectory);

    private void LogError(MlflowException e) =>
        Log.LogError(null, e.Code, e.Code, ProjectFile, 0, 0, 0, 0, "{0}", e.Message);
}
