using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Http;

namespace MlflowMsBuild.Core.Credentials;

/// <summary>
/// The mlflow client's retry variables (<c>mlflow/environment_variables.py</c>, checked in <c>mlflow/utils/rest_utils.py</c>)
/// as <see cref="RetrySettings"/> for the requests to an MLflow server:
/// <list type="bullet">
/// <item><c>MLFLOW_HTTP_REQUEST_MAX_RETRIES</c>: retries after the first attempt, a whole number from 0 to 9 (mlflow
/// refuses 10 and more: <c>_MLFLOW_HTTP_REQUEST_MAX_RETRIES_LIMIT</c>); <see cref="RetrySettings.MaxAttempts"/> is one more.</item>
/// <item><c>MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR</c>: whole seconds from 0 to 119 (<c>_MLFLOW_HTTP_REQUEST_MAX_BACKOFF_FACTOR_LIMIT</c>
/// is 120), the wait before the first retry (<see cref="RetrySettings.BaseDelay"/>), doubling for each later one; 0 retries at once.</item>
/// </list>
/// Either one outside its range, or not a whole number, is <see cref="MlfError.RetrySettingInvalid"/> (mlflow fails
/// every request then). Unset or empty, our own defaults stay (<see cref="RetrySettings.Default"/>: 5 attempts, 1 s
/// doubling; mlflow's are 7 retries and 2 s). <c>MLFLOW_HTTP_REQUEST_BACKOFF_JITTER</c> is not read: a wait gets up to
/// <see cref="RetrySettings.Jitter"/> of itself added at random.
/// </summary>
public static class MlflowRetryVariables
{
    public const string MaxRetriesVariable = "MLFLOW_HTTP_REQUEST_MAX_RETRIES";
    public const string BackoffFactorVariable = "MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR";

    /// <summary>mlflow's bound: <c>max_retries &gt;= limit</c> is refused.</summary>
    public const int MaxRetriesLimit = 10;

    /// <summary>mlflow's bound: <c>backoff_factor &gt;= limit</c> is refused.</summary>
    public const int BackoffFactorLimit = 120;

    /// <exception cref="MlflowException">MLF5086 for a value mlflow would refuse.</exception>
    public static RetrySettings Read(CredentialEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var settings = RetrySettings.Default;
        if (WholeNumber(environment, MaxRetriesVariable, MaxRetriesLimit, RetrySettings.Default.MaxAttempts - 1, "retries after the first attempt") is { } retries)
        {
            settings = settings with { MaxAttempts = retries + 1 };
        }

        if (WholeNumber(environment, BackoffFactorVariable, BackoffFactorLimit, (int)RetrySettings.Default.BaseDelay.TotalSeconds, "seconds before the first retry") is { } factor)
        {
            settings = settings with { BaseDelay = TimeSpan.FromSeconds(factor) };
        }

        return settings;
    }

    /// <summary>mlflow reads these with Python's <c>int()</c> (<see cref="Python.PythonText.Int"/>).</summary>
    private static int? WholeNumber(CredentialEnvironment environment, string variable, int limit, int ourDefault, string meaning)
    {
        var value = environment.GetVariable(variable);
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return Python.PythonText.Int(value) is >= 0 and var number && number < limit
            ? number
            : throw new MlflowException(MlfError.RetrySettingInvalid, variable, value, limit - 1, meaning, ourDefault);
    }
}
