namespace MlflowMsBuild.Core.RestApi;

/// <summary>
/// How much work listing one model's files may cost, so that a registry whose listing never ends (a folder that
/// lists itself, an answer that goes on forever) fails with MLF2007 instead of keeping a build busy.
/// </summary>
/// <param name="MaxDepth">Folder levels below the listed folder (a file at <c>a/b/c</c> is at depth 3).</param>
/// <param name="MaxEntries">Files and folders listed, over every answer of the listing.</param>
/// <param name="MaxDuration">The whole listing, every request included.</param>
/// <param name="MaxAnswerBytes">The body of one listing answer.</param>
public sealed record ListingLimits(int MaxDepth, int MaxEntries, TimeSpan MaxDuration, long MaxAnswerBytes)
{
    /// <summary>
    /// 64 levels, 100,000 entries, 5 minutes, 32 MiB per answer: far above any model (an answer of 100,000 GitLab
    /// entries with 200-character paths is about 25 MB), far below what fills a disk or a build's patience.
    /// </summary>
    public static ListingLimits Default { get; } = new(64, 100_000, TimeSpan.FromMinutes(5), 32L * 1024 * 1024);
}
