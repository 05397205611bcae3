using MlflowMsBuild.Core.Errors;

namespace MlflowMsBuild.Core.Naming;

/// <summary>
/// What a model name may be anywhere in the product (a reference, a model URI, a lock file, the name of a version a
/// registry lists): what some registry can hold and the product can carry. Each registry adds its own rule where it
/// creates a model (MLflow 3: no '/' or ':'; GitLab: its package name rule); the naming convention (one model per use
/// case, <c>doc-</c> or <c>test-</c>) is the product's own and applies to publishing only. A name becomes a folder
/// through <see cref="ModelFolderName"/>, never as is.
/// </summary>
public static class ModelNameRules
{
    /// <summary>The longest name: MLflow's SQL stores keep names in VARCHAR(256) columns (GitLab allows 255).</summary>
    public const int MaxLength = 256;

    /// <summary>The prefixes a name must start with unless the project sets others (MlflowModelNamePrefixes, --name-prefixes).</summary>
    public static readonly IReadOnlyList<string> DefaultPrefixes = ["doc-", "test-"];

    /// <summary>The prefixes setting: ';'-separated, blanks around each ignored.</summary>
    /// <returns><see cref="DefaultPrefixes"/> for null (not set); no prefix, so any name, for a setting without one (<c>""</c>, <c>";"</c>).</returns>
    public static IReadOnlyList<string> ParsePrefixes(string? setting) =>
        setting is null ? DefaultPrefixes : setting.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary><see cref="DefaultPrefixes"/> written as a prefixes setting: <c>doc-;test-</c>.</summary>
    public static string DefaultPrefixesSetting => string.Join(';', DefaultPrefixes);

    /// <summary>
    /// MLF1002 unless <paramref name="name"/> is 1 to <see cref="MaxLength"/> characters, holds no control character and
    /// neither starts nor ends with white space (references are trimmed, so such a name could never be asked for).
    /// Spaces, '/', ':', '%', '@' and non-ASCII letters are allowed: some registry takes each of them.
    /// </summary>
    public static void ThrowIfInvalid(string name)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw new MlflowException(MlfError.ModelNameInvalid, name ?? "", "it is empty");
        }

        if (string.IsNullOrWhiteSpace(name))
        {
            throw new MlflowException(MlfError.ModelNameInvalid, name, "it is blank");
        }

        if (name.Length > MaxLength)
        {
            throw new MlflowException(MlfError.ModelNameInvalid, name, $"it is longer than {MaxLength} characters");
        }

        if (name.Any(char.IsControl))
        {
            throw new MlflowException(MlfError.ModelNameInvalid, name, "it holds a control character");
        }

        if (char.IsWhiteSpace(name[0]) || char.IsWhiteSpace(name[^1]))
        {
            throw new MlflowException(MlfError.ModelNameInvalid, name, "it starts or ends with white space");
        }
    }

    /// <summary>Checks <see cref="ThrowIfInvalid"/>, then that the name starts with one of <paramref name="prefixes"/> (MLF1001).</summary>
    public static void ThrowIfBreaksConvention(string name, IReadOnlyList<string> prefixes)
    {
        ThrowIfInvalid(name);
        if (prefixes.Count > 0 && !prefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal) && name.Length > p.Length))
        {
            throw new MlflowException(MlfError.ModelNameConvention, name, string.Join(" or ", prefixes.Select(p => $"'{p}'")));
        }
    }
}
