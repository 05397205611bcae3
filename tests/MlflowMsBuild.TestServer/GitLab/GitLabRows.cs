using System.Text.Json.Nodes;
using MlflowMsBuild.TestServer.Http;

namespace MlflowMsBuild.TestServer.GitLab;

/// <summary>
/// What GitLab checks on the rows of runs and model versions, in GitLab's words. Two paths reach the tables:
/// <list type="bullet">
/// <item><c>create!</c> (log-parameter, log-metric, set-tag, model-version tags) runs the model's validations
/// (app/models/ml/candidate_param.rb, candidate_metric.rb, candidate_metadata.rb, model_version_metadata.rb) and
/// raises <c>RecordInvalid</c>: "Validation failed: Value is too long (maximum is 250 characters)".</item>
/// <item><c>insert_all</c> (log-batch, the tags of runs/create; CandidateRepository#insert_many) skips the
/// validations; only the table's constraints hold (the migrations' <c>t.text :name, limit: N</c> become CHECK
/// constraints): PostgreSQL's error text. Both raise ActiveRecord errors, which the MLflow entrypoint answers
/// 400 INVALID_PARAMETER_VALUE with the error's message (lib/api/ml/mlflow/entrypoint.rb).</item>
/// </list>
/// </summary>
internal static class GitLabRows
{
    /// <param name="Table">The table, as PostgreSQL names it in errors.</param>
    /// <param name="NameLimit">The <c>name</c> column's CHECK limit.</param>
    /// <param name="ValueLimit">The <c>value</c> column's CHECK limit; null for a float column.</param>
    /// <param name="ValidatedNameLimit">The model's <c>validates :name, length:</c> limit.</param>
    public sealed record Table(string Name, int NameLimit, int? ValueLimit, int ValidatedNameLimit);

    /// <summary>ml_candidate_params: name and value text limit 250; CandidateParam validates both ≤ 250 and present.</summary>
    public static readonly Table Params = new("ml_candidate_params", 250, 250, 250);

    /// <summary>ml_candidate_metrics: name text limit 250, value float; CandidateMetric validates the name ≤ 250.</summary>
    public static readonly Table Metrics = new("ml_candidate_metrics", 250, null, 250);

    /// <summary>ml_candidate_metadata: name text limit 255, value 5000; CandidateMetadata validates the name ≤ 250.</summary>
    public static readonly Table RunTags = new("ml_candidate_metadata", 255, 5000, 250);

    /// <summary>ml_model_version_metadata: ModelVersionMetadata validates the name ≤ 255 and the value ≤ 5000, both present.</summary>
    public static readonly Table VersionTags = new("ml_model_version_metadata", 255, 5000, 255);

    /// <summary>
    /// Rails' validations of <c>validates :name, :value, length: { maximum: N }, presence: true</c>, in Rails'
    /// order (length for each attribute, then presence): RecordInvalid's message, or null when the row is valid.
    /// </summary>
    public static string? Invalid(Table table, string? name, string? value)
    {
        var problems = new List<string>();
        if (name is not null && name.Length > table.ValidatedNameLimit) problems.Add($"Name is too long (maximum is {table.ValidatedNameLimit} characters)");
        if (table.ValueLimit is { } limit && value is not null && value.Length > limit) problems.Add($"Value is too long (maximum is {limit} characters)");
        if (string.IsNullOrWhiteSpace(name)) problems.Add("Name can't be blank");
        if (table.ValueLimit is not null && string.IsNullOrWhiteSpace(value)) problems.Add("Value can't be blank");
        return problems.Count == 0 ? null : "Validation failed: " + string.Join(", ", problems);
    }

    /// <summary><see cref="Invalid"/> as the entrypoint answers a RecordInvalid: 400 INVALID_PARAMETER_VALUE, the message a string.</summary>
    public static void Validate(Table table, string? name, string? value)
    {
        if (Invalid(table, name, value) is { } message) throw GitLabErrors.InvalidParameter((JsonNode?)message);
    }

    /// <summary>RecordInvalid's message, as the entrypoint answers it.</summary>
    public static ApiErrorException ValidationFailed(string problems) => GitLabErrors.InvalidParameter((JsonNode?)("Validation failed: " + problems));

    /// <summary>
    /// The table's constraints for a row of an <c>insert_all</c>: NOT NULL name and value, CHECK on their lengths.
    /// The whole statement fails, so a caller checks every row before inserting any.
    /// </summary>
    public static void CheckInsert(Table table, string? name, string? value)
    {
        if (name is null) throw NotNull(table, "name");
        if (table.ValueLimit is not null && value is null) throw NotNull(table, "value");
        if (name.Length > table.NameLimit || (table.ValueLimit is { } limit && value!.Length > limit))
        {
            // PostgreSQL names the constraint (check_<hash>) and adds "DETAIL:  Failing row contains (…)"; left out here.
            throw GitLabErrors.InvalidParameter((JsonNode?)$"PG::CheckViolation: ERROR:  new row for relation \"{table.Name}\" violates check constraint");
        }
    }

    /// <summary>A second row with the same (candidate_id, name) in a table with a unique index, inserted by <c>create!</c> without a uniqueness validation.</summary>
    public static ApiErrorException UniqueViolation(Table table) =>
        GitLabErrors.InvalidParameter((JsonNode?)$"PG::UniqueViolation: ERROR:  duplicate key value violates unique constraint (relation \"{table.Name}\")");

    private static ApiErrorException NotNull(Table table, string column) =>
        GitLabErrors.InvalidParameter((JsonNode?)$"PG::NotNullViolation: ERROR:  null value in column \"{column}\" of relation \"{table.Name}\" violates not-null constraint");
}
