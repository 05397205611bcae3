namespace MlflowMsBuild.Core.Http;

/// <summary>
/// Work that a process does once, at the first use of a library (type loading, metadata, options validation), started
/// on a thread of its own as soon as it is known to be needed: it then overlaps the caller's own first-use work instead
/// of delaying the first request after it. Not the thread pool: in a build process its few threads are all busy
/// starting a restore's models at that moment (issue 10, the 50-model figure).
/// </summary>
internal static class FirstUse
{
    /// <summary>Runs <paramref name="work"/> on a new background thread; the task ends with its result or its exception.</summary>
    public static Task<T> Start<T>(string name, Func<T> work)
    {
        var result = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                result.SetResult(work());
            }
            catch (Exception e)
            {
                result.SetException(e);
            }
        })
        {
            IsBackground = true,
            Name = name,
        };
        thread.Start();
        return result.Task;
    }
}
