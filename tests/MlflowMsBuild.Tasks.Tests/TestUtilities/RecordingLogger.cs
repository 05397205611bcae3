using System.Reflection;
using Microsoft.Build.Framework;

namespace MlflowMsBuild.Tasks.Tests.TestUtilities;

public sealed record LoggedError(string? Code, string Message, string? File);

/// <param name="Reason">The name of the <see cref="TargetSkipReason"/>, e.g. <c>OutputsUpToDate</c>.</param>
public sealed record SkippedTarget(string Name, string Reason);

/// <summary>
/// Records what a build did: errors, warnings, messages, targets started or skipped, tasks started.
/// </summary>
/// <remarks>
/// No type of this assembly may implement or derive from an MSBuild type, nor hold one of its value types in a field:
/// the test adapter loads every type before [AssemblyInitialize] has pointed the process at MSBuild, and fails.
/// So the <see cref="ILogger"/> is a <see cref="DispatchProxy"/> made at run time (<see cref="CreateLogger"/>).
/// </remarks>
public sealed class RecordingLogger
{
    private readonly object gate = new();

    public List<LoggedError> Errors { get; } = [];

    public List<string> Warnings { get; } = [];

    public List<string> Messages { get; } = [];

    public List<string> TargetsStarted { get; } = [];

    public List<SkippedTarget> TargetsSkipped { get; } = [];

    public List<string> TasksStarted { get; } = [];

    /// <summary>An MSBuild logger (diagnostic verbosity) that records into this object.</summary>
    public ILogger CreateLogger()
    {
        var logger = DispatchProxy.Create(typeof(ILogger), typeof(LoggerProxy));
        ((LoggerProxy)logger).Recorder = this;
        return (ILogger)logger;
    }

    /// <summary>Everything recorded, for assertion messages.</summary>
    public string Summary()
    {
        lock (gate)
        {
            return "Errors:\n  " + string.Join("\n  ", Errors.Select(e => $"{e.Code}: {e.Message}"))
                + "\nWarnings:\n  " + string.Join("\n  ", Warnings)
                + "\nTargets started: " + string.Join(", ", TargetsStarted)
                + "\nTargets skipped: " + string.Join(", ", TargetsSkipped.Select(s => $"{s.Name} ({s.Reason})"))
                + "\nTasks started: " + string.Join(", ", TasksStarted);
        }
    }

    internal void Attach(IEventSource eventSource)
    {
        eventSource.ErrorRaised += (_, e) => Add(Errors, new LoggedError(e.Code, e.Message ?? "", e.File));
        eventSource.WarningRaised += (_, e) => Add(Warnings, $"{e.Code}: {e.Message}");
        eventSource.TargetStarted += (_, e) => Add(TargetsStarted, e.TargetName);
        eventSource.TaskStarted += (_, e) => Add(TasksStarted, e.TaskName);
        eventSource.MessageRaised += (_, e) =>
        {
            if (e is TargetSkippedEventArgs skipped)
            {
                Add(TargetsSkipped, new SkippedTarget(skipped.TargetName, skipped.SkipReason.ToString()));
            }

            Add(Messages, e.Message ?? "");
        };
    }

    private void Add<T>(List<T> list, T value)
    {
        lock (gate)
        {
            list.Add(value);
        }
    }
}

/// <summary>Implements <see cref="ILogger"/> at run time for <see cref="RecordingLogger"/>; not sealed: DispatchProxy derives from it.</summary>
public class LoggerProxy : DispatchProxy
{
    private string? parameters;

    internal RecordingLogger? Recorder { get; set; }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        switch (targetMethod?.Name)
        {
            case "get_Verbosity":
                return LoggerVerbosity.Diagnostic;
            case "get_Parameters":
                return parameters;
            case "set_Parameters":
                parameters = (string?)args![0];
                return null;
            case "Initialize":
                Recorder!.Attach((IEventSource)args![0]!);
                return null;
            default: // set_Verbosity (always diagnostic), Shutdown
                return null;
        }
    }
}
