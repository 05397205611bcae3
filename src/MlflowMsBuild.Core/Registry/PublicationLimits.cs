namespace MlflowMsBuild.Core.Registry;

/// <summary>
/// What a registry stores of a publication beyond MLflow's own rules (<see cref="Publishing.RunKeyRules"/>), so the
/// publisher can check a publication before anything is created. Null means the registry sets no limit of its own.
/// </summary>
/// <param name="MaxParamValueLength">Characters of a run param's value. A longer value is stored whole as an artifact and the param points to it.</param>
/// <param name="MaxTagValueLength">Characters of a run tag's value.</param>
/// <param name="MaxVersionTagValueLength">Characters of a model-version tag's value; the registry also refuses an empty one.</param>
/// <param name="FiniteMetricsOnly">True when the registry refuses NaN and ±Infinity metric values.</param>
/// <param name="MaxFileSize">Bytes: every artifact file must be smaller than this.</param>
/// <param name="Source">Where the limits come from, for messages (e.g. "GitLab's database columns").</param>
public sealed record PublicationLimits(
    int? MaxParamValueLength = null,
    int? MaxTagValueLength = null,
    int? MaxVersionTagValueLength = null,
    bool FiniteMetricsOnly = false,
    long? MaxFileSize = null,
    string Source = "")
{
    /// <summary>The embedded registry and MLflow servers: MLflow's own rules are all there is.</summary>
    public static PublicationLimits None { get; } = new();
}
