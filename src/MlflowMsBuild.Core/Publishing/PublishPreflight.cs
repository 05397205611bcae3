using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Naming;
using MlflowMsBuild.Core.Provenance;
using MlflowMsBuild.Core.Registry;

namespace MlflowMsBuild.Core.Publishing;

/// <summary>
/// The checks of a publish that need none of the evaluation's outputs, so that the PublishModel target runs them
/// before the (possibly hours long) evaluation, and the publisher again before its first request.
/// </summary>
public static class PublishPreflight
{
    /// <summary>
    /// Throws for a name that breaks the convention (MLF1001) or that the registry refuses (MLF1002, MLF1017), a
    /// requested version the registry cannot take (MLF1003, MLF1051), an MlflowParam that would be replaced (MLF1052),
    /// and credentials the registry needs but cannot find (5xxx). Makes no request.
    /// </summary>
    public static void CheckSettings(IModelRegistry registry, string modelName, IReadOnlyList<string>? namePrefixes, string? requestedVersion, IEnumerable<string> paramKeys)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ModelNameRules.ThrowIfBreaksConvention(modelName, namePrefixes ?? ModelNameRules.DefaultPrefixes);
        foreach (var key in paramKeys)
        {
            if (ProvenanceRecord.ReservedParams.Contains(key, StringComparer.Ordinal))
            {
                throw new MlflowException(MlfError.ParamReserved, key, string.Join(", ", ProvenanceRecord.ReservedParams));
            }
        }

        registry.CheckPublication(modelName, requestedVersion);
    }

    /// <summary>The git state of <paramref name="sourceDirectory"/>; MLF4003 when it is dirty and that is not allowed (MLF1007, MLF1014: no repository, no commit).</summary>
    public static GitProvenance ReadGitState(string sourceDirectory, bool allowDirty)
    {
        var git = GitProvenance.Read(sourceDirectory);
        if (git.IsDirty && !allowDirty)
        {
            throw new MlflowException(MlfError.DirtyWorkingTree, git.RepositoryRoot, Describe(git.ChangedFiles));
        }

        return git;
    }

    private static string Describe(IReadOnlyList<string> changed) =>
        changed.Count == 0 ? "tracked files changed"
        : changed.Count <= 5 ? string.Join(", ", changed)
        : string.Join(", ", changed.Take(5)) + $" and {changed.Count - 5} more";
}
