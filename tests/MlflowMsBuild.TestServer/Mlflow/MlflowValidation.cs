using System.Globalization;
using System.Text.RegularExpressions;

namespace MlflowMsBuild.TestServer.Mlflow;

/// <summary>MLflow's validation rules (mlflow/utils/validation.py) with its messages.</summary>
internal static partial class MlflowValidation
{
    public const int MaxMetricsPerBatch = 1000;
    public const int MaxParamsPerBatch = 100;
    public const int MaxTagsPerBatch = 100;
    public const int MaxEntitiesPerBatch = 1000;
    public const int MaxBatchRequestBytes = 1_000_000;
    public const int MaxKeyLength = 250;
    public const int MaxParamValueLength = 6000;
    public const int MaxRunTagValueLength = 8000;
    public const int MaxRegistryTagValueLength = 5000;

    [GeneratedRegex(@"^[/\w.\- :]*$")]
    private static partial Regex ValidName();

    [GeneratedRegex(@"^[\w\-]*$")]
    private static partial Regex ValidAlias();

    [GeneratedRegex(@"^([A-Za-z][A-Za-z0-9+.\-]*):")]
    private static partial Regex UriScheme();

    [GeneratedRegex(@"^v\d+$", RegexOptions.IgnoreCase)]
    private static partial Regex ReservedVersionAlias();

    /// <summary>Metric, param and tag keys. <paramref name="kind"/>: "metric", "parameter" or "tag".</summary>
    public static void Key(string kind, string? key)
    {
        if (key is null) throw MlflowErrors.Invalid($"Invalid {kind} name: None. Names may not be None.");
        if (!ValidName().IsMatch(key))
        {
            throw MlflowErrors.Invalid($"Invalid {kind} name: '{key}'. Names may only contain alphanumerics, underscores (_), " +
                "dashes (-), periods (.), spaces ( ), colon(:) and slashes (/).");
        }
        var normalized = PosixNormPath(key);
        if (normalized != key || normalized == "." || normalized.StartsWith("..", StringComparison.Ordinal) || normalized.StartsWith('/'))
        {
            throw MlflowErrors.Invalid($"Invalid value \"{key}\" for parameter 'key' supplied: Names may be treated as files in " +
                $"certain cases, and must not resolve to other names when treated as such. This name would resolve to '{normalized}'");
        }
        Length(kind switch { "metric" => "Metric name", "parameter" => "Param key", _ => "Tag key" }, key, MaxKeyLength);
    }

    public static void Length(string what, string value, int limit)
    {
        if (value.Length > limit)
        {
            throw MlflowErrors.Invalid($"{what} '{value}' had length {value.Length}, which exceeded length limit of {limit}");
        }
    }

    public static int VersionNumber(string version) =>
        int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw MlflowErrors.Invalid($"Model version must be an integer, got '{version}'");

    /// <summary>_validate_model_name: 2.12 refuses only an empty name; 3.x also blank names and names with '/' or ':'.</summary>
    public static void ModelName(string? name, Version server)
    {
        if (string.IsNullOrEmpty(name)) throw MlflowErrors.Invalid("Registered model name cannot be empty.");
        if (server.Major < 3) return;
        if (string.IsNullOrWhiteSpace(name)) throw MlflowErrors.Invalid("Missing value for required parameter 'name'.");
        if (name.Contains('/') || name.Contains(':'))
        {
            throw MlflowErrors.Invalid($"Invalid model name '{name}'. Names cannot contain '/' or ':'.");
        }
    }

    public static void Alias(string alias)
    {
        if (alias.Length == 0) throw MlflowErrors.Invalid("Registered model alias name cannot be empty.");
        Length("Registered model alias name", alias, 255);
        if (!ValidAlias().IsMatch(alias))
        {
            throw MlflowErrors.Invalid($"Invalid alias name: '{alias}'. Names may only contain alphanumerics, underscores (_), and dashes (-).");
        }
        if (alias.Equals("latest", StringComparison.OrdinalIgnoreCase) || ReservedVersionAlias().IsMatch(alias))
        {
            throw MlflowErrors.Invalid($"'{alias}' alias name (case insensitive) is reserved.");
        }
    }

    /// <summary>handlers._validate_source: local paths are refused (our runs never have local artifact roots),
    /// and no source may contain relative path references.</summary>
    public static void Source(string source)
    {
        var match = UriScheme().Match(source);
        var scheme = match.Success ? match.Groups[1].Value.ToLowerInvariant() : "";
        if (scheme.Length <= 1 || scheme == "file")
        {
            throw MlflowErrors.Invalid($"Invalid model version source: '{source}'. To use a local path as a model version source, " +
                "the run_id request parameter has to be specified and the local path has to be contained within the artifact " +
                "directory of the run specified by the run_id.");
        }
        if (Uri.UnescapeDataString(source).Split('/', '\\').Any(part => part == ".."))
        {
            throw MlflowErrors.Invalid($"Invalid model version source: '{source}'. If supplying a source as an http, https, local file " +
                "path, ftp, objectstore, or mlflow-artifacts uri, an absolute path must be provided without relative path references " +
                "present. Please provide an absolute path.");
        }
    }

    /// <summary>Python's posixpath.normpath.</summary>
    public static string PosixNormPath(string path)
    {
        if (path.Length == 0) return ".";
        var leadingSlashes = path.StartsWith("//", StringComparison.Ordinal) && !path.StartsWith("///", StringComparison.Ordinal) ? 2
            : path.StartsWith('/') ? 1 : 0;
        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            if (part is "" or ".") continue;
            if (part != ".." || (leadingSlashes == 0 && parts.Count == 0) || (parts.Count > 0 && parts[^1] == ".."))
            {
                parts.Add(part);
            }
            else if (parts.Count > 0)
            {
                parts.RemoveAt(parts.Count - 1);
            }
        }
        var joined = new string('/', leadingSlashes) + string.Join('/', parts);
        return joined.Length == 0 ? "." : joined;
    }

    /// <summary>
    /// validate_path_is_safe for artifact paths (after the router decoded the URL once): percent-decodes until the path
    /// no longer changes and returns that, which is what the server stores and looks up (<c>a%2520b.txt</c> arrives as
    /// <c>a%20b.txt</c> and is stored as <c>a b.txt</c>); '#', absolute paths, '..' components and backslashes are refused.
    /// </summary>
    public static string SafeArtifactPath(string path)
    {
        var decoded = path;
        for (var previous = ""; previous != decoded;)
        {
            previous = decoded;
            decoded = Uri.UnescapeDataString(decoded);
        }
        if (decoded.Contains('#') || decoded.StartsWith('/') || decoded.Contains('\\') || decoded.Split('/').Any(p => p == "..") ||
            (decoded.Length > 1 && decoded[1] == ':'))
        {
            throw MlflowErrors.Invalid("Invalid path");
        }
        return decoded;
    }
}
