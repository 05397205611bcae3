using System.Text;
using System.Text.RegularExpressions;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Naming;

namespace MlflowMsBuild.Core.Uris;

/// <summary>
/// A model in a registry, written as the mlflow Python client writes it, optionally naming the registry:
/// <code>
/// models:/NAME/VERSION              VERSION: 3, 1.2.0, 2.0.1-rc2 (SemVer on GitLab) or latest
/// models:/NAME@ALIAS                an alias (MLflow servers; a SemVer on GitLab)
/// models:/NAME                      no version: only where none is needed (listing versions, an MSBuild item with Version)
/// ...?registry=REGISTRY             any of the above in the registry REGISTRY: a value of MlflowRegistry, URL-encoded
///                                   where it holds '&amp;', '#', '%' or spaces (':', '/' and '@' may stay as they are)
/// </code>
/// NAME is percent-encoded (UTF-8) where it holds '%', '/', '@', '?', '#', spaces, control or non-ASCII characters,
/// which MLflow 2 and GitLab allow in model names: model <c>test-x/b</c> is <c>models:/test-x%2Fb/3</c>, model
/// <c>test-x a</c> is <c>models:/test-x%20a/3</c>. Any other character may be encoded too; versions and aliases never are.
/// Parsing is strict: anything else is an MLF7001 error that says what is wrong.
/// </summary>
/// <param name="Version">As the registry takes it: "3", "1.2.0", "latest", or "@champion" for an alias; null when the URI names none.</param>
/// <param name="Registry">The decoded <c>registry</c> parameter; null for the configured registry.</param>
public sealed partial record ModelUri(string Name, string? Version, string? Registry)
{
    public const string Prefix = "models:/";

    private const string RegistryParameter = "registry";

    /// <summary>A release number or SemVer (what MLflow, GitLab and the embedded registry number versions with), or <c>latest</c>.</summary>
    [GeneratedRegex(@"\A(latest|[0-9]+(\.[0-9]+){0,2}(-[0-9A-Za-z.\-]+)?(\+[0-9A-Za-z.\-]+)?)\z", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex VersionPattern();

    /// <summary>MLflow's alias rule; GitLab's SemVer aliases are checked by the registry.</summary>
    [GeneratedRegex(@"\A[\w\-.]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex AliasPattern();

    /// <summary>True when <paramref name="text"/> is meant as a model URI (it starts with <c>models:</c>, any case), valid or not.</summary>
    public static bool IsModelUri(string text) => text.StartsWith("models:", StringComparison.OrdinalIgnoreCase);

    /// <summary>True when the version is an alias or <c>latest</c>: the registry decides which version it is.</summary>
    public bool IsFloating => Version is { } version && (version.StartsWith('@') || version.Equals("latest", StringComparison.OrdinalIgnoreCase));

    /// <summary>Parses a model URI; throws <see cref="MlfError.ModelUriInvalid"/> saying what is wrong.</summary>
    public static ModelUri Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!IsModelUri(text))
        {
            throw Invalid(text, "it does not start with 'models:/'");
        }

        var rest = text["models:".Length..];
        if (rest.StartsWith("//", StringComparison.Ordinal))
        {
            throw Invalid(text, "'models://' names a Databricks profile, which MlflowMsBuild does not read; name the registry with ?registry=");
        }

        if (!rest.StartsWith('/'))
        {
            throw Invalid(text, "the model's name must follow 'models:/'");
        }

        if (rest.Contains('#', StringComparison.Ordinal))
        {
            throw Invalid(text, "a model URI has no fragment ('#'); write '#' in the registry as %23");
        }

        var queryStart = rest.IndexOf('?', StringComparison.Ordinal);
        var path = queryStart < 0 ? rest[1..] : rest[1..queryStart];
        var registry = queryStart < 0 ? null : ParseQuery(text, rest[(queryStart + 1)..]);
        var (name, version) = SplitPath(text, path);
        return new ModelUri(name, version, registry);
    }

    /// <summary>This URI with its version; throws <see cref="MlfError.ModelUriVersionMissing"/> when it names none.</summary>
    public ModelUri RequireVersion() =>
        Version is null ? throw new MlflowException(MlfError.ModelUriVersionMissing, ToString(), Prefix + Name) : this;

    /// <summary>The canonical text: <c>models:/NAME/VERSION</c> or <c>models:/NAME@ALIAS</c>, then <c>?registry=</c> when there is one.</summary>
    public override string ToString()
    {
        var text = new StringBuilder(Prefix).Append(EscapeName(Name));
        if (Version is { } version)
        {
            text.Append(version.StartsWith('@') ? "" : "/").Append(version);
        }

        if (Registry is { } registry)
        {
            text.Append('?').Append(RegistryParameter).Append('=').Append(EscapeQueryValue(registry));
        }

        return text.ToString();
    }

    private static (string Name, string? Version) SplitPath(string text, string path)
    {
        if (path.Length == 0)
        {
            throw Invalid(text, "it names no model");
        }

        string name;
        string? version = null;
        var at = path.IndexOf('@', StringComparison.Ordinal);
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        if (at >= 0 && (slash < 0 || at < slash))
        {
            name = path[..at];
            var alias = path[(at + 1)..];
            if (!AliasPattern().IsMatch(alias))
            {
                throw Invalid(text, alias.Length == 0 ? "'@' must be followed by an alias" : $"the alias '{alias}' holds characters other than letters, digits, '_', '-' and '.'");
            }

            version = "@" + alias;
        }
        else if (slash >= 0)
        {
            name = path[..slash];
            version = path[(slash + 1)..];
            if (version.Length == 0)
            {
                throw Invalid(text, "a '/' after the name must be followed by a version (or leave both out)");
            }

            if (version.Contains('/', StringComparison.Ordinal))
            {
                throw Invalid(text, "after the name comes one version: models:/NAME/VERSION has exactly two parts");
            }

            if (!VersionPattern().IsMatch(version))
            {
                throw Invalid(text, $"the version '{version}' is neither a number (3), a SemVer (1.2.0) nor 'latest'; MLflow's stages are not supported, use an alias: models:/NAME@ALIAS");
            }

            version = version.Equals("latest", StringComparison.OrdinalIgnoreCase) ? "latest" : version;
        }
        else
        {
            name = path;
        }

        name = UnescapeName(text, name);
        try
        {
            ModelNameRules.ThrowIfInvalid(name);
        }
        catch (MlflowException e)
        {
            throw new MlflowException(MlfError.ModelUriInvalid, e, text, $"the model name is not valid ({e.Message.TrimEnd('.')})");
        }

        return (name, version);
    }

    private static string ParseQuery(string text, string query)
    {
        string? registry = null;
        foreach (var parameter in query.Split('&'))
        {
            var equals = parameter.IndexOf('=', StringComparison.Ordinal);
            var key = equals < 0 ? parameter : parameter[..equals];
            if (key != RegistryParameter)
            {
                throw Invalid(text, key.Length == 0 ? "the query after '?' is empty" : $"'{key}' is not a parameter of a model URI: only 'registry' is");
            }

            if (registry is not null)
            {
                throw Invalid(text, "'registry' is given twice");
            }

            string value;
            try
            {
                value = equals < 0 ? "" : Uri.UnescapeDataString(parameter[(equals + 1)..]);
            }
            catch (UriFormatException e)
            {
                throw new MlflowException(MlfError.ModelUriInvalid, e, text, "the registry is not correctly URL-encoded");
            }

            if (value.Trim().Length == 0)
            {
                throw Invalid(text, "'registry=' is empty; leave it out to use the configured registry");
            }

            if (value.Any(char.IsControl))
            {
                throw Invalid(text, "the registry holds control characters");
            }

            registry = value;
        }

        return registry!;
    }

    /// <summary>Decodes <c>%XX</c> sequences (UTF-8); a '%' not followed by two hex digits, or bytes that are not UTF-8, are MLF7001.</summary>
    private static string UnescapeName(string text, string name)
    {
        if (!name.Contains('%', StringComparison.Ordinal))
        {
            return name;
        }

        var bytes = new List<byte>();
        for (var i = 0; i < name.Length; i++)
        {
            if (name[i] != '%')
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(name[i].ToString()));
                continue;
            }

            if (i + 2 >= name.Length || !Uri.IsHexDigit(name[i + 1]) || !Uri.IsHexDigit(name[i + 2]))
            {
                throw Invalid(text, "a '%' in the model name must start an escape such as %2F ('/') or %25 ('%')");
            }

            bytes.Add(Convert.ToByte(name.Substring(i + 1, 2), 16));
            i += 2;
        }

        try
        {
            return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes.ToArray());
        }
        catch (DecoderFallbackException e)
        {
            throw new MlflowException(MlfError.ModelUriInvalid, e, text, "the model name's escapes are not UTF-8");
        }
    }

    /// <summary>Percent-encodes what would end or confuse the name in a URI, or could not be typed in a project file.</summary>
    private static string EscapeName(string name)
    {
        var text = new StringBuilder();
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in name.EnumerateRunes())
        {
            if (rune.IsAscii && rune.Value > 0x20 && rune.Value < 0x7F && "%/@?#".IndexOf((char)rune.Value, StringComparison.Ordinal) < 0)
            {
                text.Append((char)rune.Value);
                continue;
            }

            var length = rune.EncodeToUtf8(utf8);
            foreach (var b in utf8[..length])
            {
                text.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return text.ToString();
    }

    /// <summary>Escapes what would end or confuse the parameter; keeps ':', '/' and '@' readable, as RFC 3986 allows in a query.</summary>
    private static string EscapeQueryValue(string value)
    {
        var text = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (b < 0x80 && (char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~' or ':' or '/' or '@'))
            {
                text.Append(c);
            }
            else
            {
                text.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return text.ToString();
    }

    private static MlflowException Invalid(string text, string reason) => new(MlfError.ModelUriInvalid, text, reason);
}
