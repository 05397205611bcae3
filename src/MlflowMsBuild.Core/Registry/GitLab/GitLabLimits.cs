namespace MlflowMsBuild.Core.Registry.GitLab;

/// <summary>
/// GitLab's limits on what a publication writes, read from GitLab's source. log-batch inserts rows with
/// <c>insert_all</c> (Ml::ExperimentTracking::CandidateRepository), so the tables' CHECK constraints hold rather than
/// the models' validations, and it runs after the model version exists: every limit is checked before that.
/// </summary>
public static class GitLabLimits
{
    /// <summary>ml_candidate_params.value: <c>text, limit: 250</c> (db/migrate …_create_ml_candidate_params.rb).</summary>
    public const int MaxParamValueLength = 250;

    /// <summary>ml_candidate_metadata.value: <c>text, limit: 5000</c>.</summary>
    public const int MaxRunTagValueLength = 5000;

    /// <summary>Ml::ModelVersionMetadata: <c>validates :value, length: { maximum: 5000 }, presence: true</c>.</summary>
    public const int MaxVersionTagValueLength = 5000;

    /// <summary>
    /// plan_limits.ml_model_max_file_size: 10 GiB by default (db/structure.sql); the package file upload refuses a file
    /// of this size or more with 400 "Artifact file is too large" (lib/api/ml_model_packages.rb: <c>size &gt;= limit</c>).
    /// </summary>
    public const long MaxFileSize = 10L * 1024 * 1024 * 1024;

    /// <summary>
    /// Metric values pass Grape's Float coercion (Ruby's <c>Float()</c>), which refuses the "NaN", "Infinity" and
    /// "-Infinity" that MLflow clients send for non-finite values: 400 "metrics[0][value] is invalid".
    /// </summary>
    public static PublicationLimits Publication { get; } = new(
        MaxParamValueLength, MaxRunTagValueLength, MaxVersionTagValueLength, FiniteMetricsOnly: true, MaxFileSize,
        Source: "GitLab's model registry (its database columns and default plan limits)");
}
