using System.Resources;
using Microsoft.Build.Framework;
using MlflowMsBuild.Core.Credentials;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Settings;

namespace MlflowMsBuild.Tasks;

/// <summary>
/// Base of every task: runs the async work off MSBuild's thread while writing the lines it queues (from any thread) to
/// MSBuild's log from MSBuild's thread only, turns <see cref="MlflowException"/> into a coded MSBuild error and I/O
/// failures into MLF errors with the path, and honours cancellation (Ctrl+C). Log lines are in Strings.resx.
/// </summary>
public abstract class MlflowTask : Microsoft.Build.Utilities.Task, ICancelableTask
{
    private static readonly ResourceManager Strings = new("MlflowMsBuild.Tasks.Strings", typeof(MlflowTask).Assembly);

    private readonly CancellationTokenSource cancellation = new();
    private readonly LinePump<QueuedLine> pump = new();

    protected MlflowTask()
        : base(Strings)
    {
    }

    /// <summary>The <c>MlflowRegistry</c> setting: empty for the embedded registry, or a folder.</summary>
    public string? Registry { get; set; }

    /// <summary>The <c>MlflowHome</c> setting; empty to use <c>$MLFLOW_MSBUILD_HOME</c> or <c>~/.mlflow-msbuild</c>.</summary>
    public string? Home { get; set; }

    /// <summary>The project file's full path: errors point at it, and relative settings are relative to its folder.</summary>
    [Required]
    public string ProjectFile { get; set; } = "";

    /// <summary>How often the lines queued by the work are written to MSBuild's log while it runs.</summary>
    internal static TimeSpan PumpInterval { get; } = TimeSpan.FromMilliseconds(200);

    protected string ProjectDirectory => Path.GetDirectoryName(Path.GetFullPath(ProjectFile))!;

    /// <summary>The settings as this task's parameters give them; a task with more settings adds its own.</summary>
    protected virtual MlflowSettingValues SettingValues => new() { Registry = Registry, Home = Home };

    public void Cancel() => cancellation.Cancel();

    public sealed override bool Execute()
    {
        try
        {
            var token = cancellation.Token;
            pump.Run(() => ExecuteCoreAsync(token), Write, PumpInterval);
        }
        catch (MlflowException e)
        {
            LogError(e);
            foreach (var other in e.AlsoFailed)
            {
                LogError(other);
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            Log.LogMessageFromResources(MessageImportance.High, "Canceled");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogError(new MlflowException(MlfError.FileOperationFailed, e, e.Message));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A bug of ours, not the user's: still a coded error (not MSBuild's MSB4018), with what to report.
            LogError(new MlflowException(MlfError.InternalError, e, GetType().Name, e.GetType().FullName, e.Message.TrimEnd('.')));
        }

        return !Log.HasLoggedErrors;
    }

    /// <summary>The task's work, run on a pool thread: log only through <see cref="LogLine"/> and <see cref="LogFromResources"/>.</summary>
    protected abstract Task ExecuteCoreAsync(CancellationToken cancellationToken);

    /// <summary>Every setting decided once (<see cref="MlflowSettings.Create"/>), relative paths against the project's folder.</summary>
    protected MlflowSettings CreateSettings() =>
        MlflowSettings.Create(SettingValues, CredentialEnvironment.FromProcess(ProjectDirectory), ProjectDirectory);

    /// <summary>Queues <paramref name="text"/> for MSBuild's log; callable from any thread, written in order.</summary>
    protected void LogLine(MessageImportance importance, string text) => pump.Enqueue(new QueuedLine(importance, text, null));

    /// <summary>Queues a coded warning for MSBuild's log; callable from any thread.</summary>
    protected void LogWarning(MlfWarning warning) => pump.Enqueue(new QueuedLine(MessageImportance.High, warning.Message, warning.Code));

    /// <summary>Queues the line <paramref name="name"/> of Strings.resx, formatted with <paramref name="args"/>.</summary>
    protected void LogFromResources(MessageImportance importance, string name, params object?[] args) =>
        LogLine(importance, Log.FormatResourceString(name, args));

    private void Write(QueuedLine line)
    {
        if (line.WarningCode is { } code)
        {
            Log.LogWarning(null, code, code, ProjectFile, 0, 0, 0, 0, "{0}", line.Text);
        }
        else
        {
            Log.LogMessage(line.Importance, "{0}", line.Text);
        }
    }

    private void LogError(MlflowException e) =>
        Log.LogError(null, e.Code, e.Code, ProjectFile, 0, 0, 0, 0, "{0}", e.Message);

    /// <summary>
    /// A class, not a tuple: generic code over a reference type is shared and precompiled, over a value type it is
    /// JIT-compiled in every build process (issue 10, warm restore time).
    /// </summary>
    private sealed record QueuedLine(MessageImportance Importance, string Text, string? WarningCode);
}
