using Microsoft.Build.Execution;
using Microsoft.Build.Framework;

namespace MlflowMsBuild.Tasks.Tests.TestUtilities;

/// <summary>The outcome of one in-process build: result, log, and the project's items and properties afterwards.</summary>
public sealed class BuildRun(BuildResult result, RecordingLogger log, ProjectInstance state)
{
    public BuildResult Result { get; } = result;

    public RecordingLogger Log { get; } = log;

    /// <summary>The project instance after the build: items and properties the targets added.</summary>
    public ProjectInstance State { get; } = state;

    public bool Succeeded => Result.OverallResult == BuildResultCode.Success;

    public bool TargetStarted(string target) => Log.TargetsStarted.Contains(target, StringComparer.OrdinalIgnoreCase);

    public bool TaskStarted(string task) => Log.TasksStarted.Contains(task, StringComparer.OrdinalIgnoreCase);

    /// <summary>Why <paramref name="target"/> was skipped, or null when it was not.</summary>
    public TargetSkipReason? SkipReason(string target) =>
        Log.TargetsSkipped.FirstOrDefault(s => string.Equals(s.Name, target, StringComparison.OrdinalIgnoreCase)) is { } skipped
            ? Enum.Parse<TargetSkipReason>(skipped.Reason)
            : null;

    public IEnumerable<ProjectItemInstance> Items(string itemType) => State.GetItems(itemType);

    public void AssertSucceeded()
    {
        Assert.IsTrue(Succeeded, "The build failed.\n" + Log.Summary());
        Assert.IsEmpty(Log.Errors, Log.Summary());
    }

    /// <summary>Asserts the build failed with exactly one error, of <paramref name="code"/>, and returns it.</summary>
    public LoggedError AssertFailedWith(string code)
    {
        Assert.IsFalse(Succeeded, "The build succeeded.\n" + Log.Summary());
        Assert.HasCount(1, Log.Errors, Log.Summary());
        Assert.AreEqual(code, Log.Errors[0].Code, Log.Summary());
        return Log.Errors[0];
    }
}
