using System.Text.RegularExpressions;
using MlflowMsBuild.Core.Errors;

namespace MlflowMsBuild.Core.Publishing;

/// <summary>
/// MLflow's rules for metric, param and tag keys and for param values (mlflow/utils/validation.py), checked
/// before the first request so a bad key fails the publish with a code instead of half-way through it.
/// </summary>
public static partial class RunKeyRules
{
    public const int MaxKeyLength = 250;
    public const int MaxParamValueLength = 6000;
    public const int MaxTagValueLength = 8000;

    [GeneratedRegex(@"\A[/\w.\- :]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex KeyPattern();

    /// <summary>Why MLflow refuses <paramref name="key"/>, or null when it accepts it.</summary>
    public static string? Problem(string key)
    {
        if (key.Length == 0)
        {
            return "it is empty";
        }

        if (key.Length > MaxKeyLength)
        {
            return $"it has {key.Length} characters, more than {MaxKeyLength}";
        }

        if (!KeyPattern().IsMatch(key))
        {
            var bad = key.First(c => !KeyPattern().IsMatch(c.ToString()));
            return $"it holds the character '{bad}'";
        }

        // MLflow's path_not_unique: the key must be its own normalised POSIX path.
        if (key.StartsWith('/') || key.EndsWith('/') || key.Split('/').Any(part => part is "" or "." or ".."))
        {
            return "it is not a plain '/'-separated path (a leading or trailing '/', '//', '.' or '..')";
        }

        return null;
    }

    /// <param name="kind">"metric", "param" or "tag".</param>
    /// <param name="origin">Where the key came from, for the message (e.g. "the metrics file '/x/metrics.json'").</param>
    public static void ThrowIfInvalidKey(string kind, string key, string origin)
    {
        if (Problem(key) is { } problem)
        {
            throw new MlflowException(MlfError.RunKeyInvalid, kind, key, origin, problem);
        }
    }

    public static void ThrowIfInvalidParam(string key, string value, string origin)
    {
        ThrowIfInvalidKey("param", key, origin);
        if (value.Length > MaxParamValueLength)
        {
            throw new MlflowException(MlfError.ParamValueTooLong, key, origin, value.Length, MaxParamValueLength);
        }
    }
}
