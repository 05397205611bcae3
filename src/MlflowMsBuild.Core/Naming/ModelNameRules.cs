using System.Text.RegularExpressions;
using MlflowMsBuild.Core.Errors;

namespace MlflowMsBuild.Core.Naming;

/// <summary>
/// What a model name may be. The character rule is the intersection of MLflow's and GitLab's
/// (GitLab: letters, digits, '_', '-', '.', '+', at most 255), so a name valid here is valid everywhere;
/// the convention (one model per use case, <c>doc-</c> or <c>test-</c>) is the product's own.
/// </summary>
public static partial class ModelNameRules
{
    /// <summary>The prefixes a name must start with unless the project sets others (MlflowModelNamePrefixes, --name-prefixes).</summary>
    public static readonly IReadOnlyList<string> DefaultPrefixes = ["doc-", "test-"];

    /// <summary>The prefixes setting: ';'-separated, blanks around each ignored.</summary>
    /// <returns><see cref="DefaultPrefixes"/> for null (not set); no prefix, so any name, for a setting without one (<c>""</c>, <c>";"</c>).</returns>
    public static IReadOnlyList<string> ParsePrefixes(string? setting) =>
        setting is null ? DefaultPrefixes : setting.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary><see cref="DefaultPrefixes"/> written as a prefixes setting: <c>doc-;test-</c>.</summary>
    public static string DefaultPrefixesSetting => string.Join(';', DefaultPrefixes);

    [GeneratedRegex(@"\A[A-Za-z0-9][A-Za-z0-9_.+\-]{0,254}\z", RegexOptions.CultureInvariant)]
    private static partial Regex ValidName();

    public static void ThrowIfInvalid(string name)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw new MlflowException(MlfError.ModelNameInvalid, name, "it is empty");
        }

        if (!ValidName().IsMatch(name))
        {
            throw new MlflowException(MlfError.ModelNameInvalid, name, name.Length > 255
                ? "it is longer than 255 characters"
                : "it holds a character GitLab or MLflow rejects, or does not start with a letter or digit");
        }
    }

    /// <summary>Checks the characters, then that the name starts with one of <paramref name="prefixes"/>.</summary>
    public static void ThrowIfBreaksConvention(string name, IReadOnlyList<string> prefixes)
    {
        ThrowIfInvalid(name);
        if (prefixes.Count > 0 && !prefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal) && name.Length > p.Length))
        {
            throw new MlflowException(MlfError.ModelNameConvention, name, string.Join(" or ", prefixes.Select(p => $"'{p}'")));
        }
    }
}
