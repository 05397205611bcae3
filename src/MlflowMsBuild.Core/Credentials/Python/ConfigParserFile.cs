using System.Text;
using MlflowMsBuild.Core.Errors;

namespace MlflowMsBuild.Core.Credentials.Python;

/// <summary>
/// Reads INI files exactly as Python's <c>configparser.ConfigParser()</c> with its default options does, which is
/// how python-gitlab reads <c>~/.python-gitlab.cfg</c> and MLflow reads <c>~/.mlflow/credentials</c>:
/// <list type="bullet">
/// <item><c>key = value</c> and <c>key: value</c> (split at the first <c>=</c> or <c>:</c>); keys are case-insensitive
/// (lower-cased), section names are not; keys and values are stripped.</item>
/// <item>Lines whose first non-blank character is <c>#</c> or <c>;</c> are comments; there are no inline comments
/// (<c>a = b ; c</c> is the value <c>b ; c</c>).</item>
/// <item>A line indented deeper than its key's line continues the value (joined with newlines; blank lines inside
/// a value are kept, trailing ones dropped; comment lines are skipped).</item>
/// <item><c>[DEFAULT]</c> supplies every section's missing keys and is not listed among the sections.</item>
/// <item>Values are interpolated when read (<c>BasicInterpolation</c>): <c>%(name)s</c> is the value of key
/// <c>name</c> of the same section or <c>[DEFAULT]</c>, at most 10 levels deep; <c>%%</c> is <c>%</c>; any other
/// <c>%</c> is an error.</item>
/// <item>A section or a key given twice in one file is an error; files read later add sections and override keys.</item>
/// </list>
/// Why not a library: the .NET INI readers (ini-parser, Microsoft.Extensions.Configuration.Ini) know neither
/// <c>:</c> as a delimiter, nor continuation lines, nor <c>%</c>-interpolation, nor <c>[DEFAULT]</c>, so a file
/// Python reads one way would be read another way; and this library loads inside MSBuild, where every extra
/// dependency is a risk.
/// <para>Error messages name files, line numbers, sections and keys, never a line's or a value's text: these files
/// hold tokens.</para>
/// </summary>
public sealed class ConfigParserFile
{
    /// <summary>The section whose keys every other section inherits.</summary>
    public const string DefaultSectionName = "DEFAULT";

    private const int MaxInterpolationDepth = 10;

    private readonly List<string> sectionOrder = [];
    private readonly Dictionary<string, Section> sections = new(StringComparer.Ordinal);
    private readonly Section defaults = new(DefaultSectionName);
    private readonly List<string> files = [];

    /// <summary>The files and texts read so far, in order.</summary>
    public IReadOnlyList<string> Sources => files;

    /// <summary>The section names in the order first seen, without <c>[DEFAULT]</c>.</summary>
    public IReadOnlyList<string> Sections => sectionOrder;

    /// <summary>Parses one text (what <c>ConfigParser.read_string</c> does).</summary>
    /// <param name="sourceName">The file path or description used in error messages.</param>
    public static ConfigParserFile Parse(string text, string sourceName)
    {
        var file = new ConfigParserFile();
        file.ReadText(text, sourceName);
        return file;
    }

    /// <summary>Reads one more file as UTF-8 over what was read before.</summary>
    /// <exception cref="IOException">The file cannot be opened; nothing was read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be opened; nothing was read.</exception>
    public void ReadFile(string path) => ReadText(File.ReadAllText(path, Encoding.UTF8), path);

    /// <summary>Reads one more text over what was read before.</summary>
    public void ReadText(string text, string sourceName)
    {
        files.Add(sourceName);
        var addedInThisSource = new HashSet<string>(StringComparer.Ordinal);
        var addedKeysInThisSource = new HashSet<(string Section, string Key)>();
        Section? current = null;
        string? currentKey = null;
        var indentLevel = 0;
        var lineNumber = 0;

        foreach (var line in SplitLines(text))
        {
            lineNumber++;
            var stripped = PythonText.Strip(line);
            var isComment = stripped.StartsWith('#') || stripped.StartsWith(';');
            var value = isComment ? string.Empty : stripped;

            if (value.Length == 0)
            {
                // A blank line inside a value is kept (a comment line is not) and does not end the value.
                if (!isComment && current is not null && currentKey is not null)
                {
                    current.Entries[currentKey].Lines.Add(string.Empty);
                }

                continue;
            }

            var indent = 0;
            while (indent < line.Length && PythonText.IsSpace(line[indent]))
            {
                indent++;
            }

            if (current is not null && currentKey is not null && indent > indentLevel)
            {
                current.Entries[currentKey].Lines.Add(value);
                continue;
            }

            indentLevel = indent;
            var header = SectionHeader(value);
            if (header is not null)
            {
                if (sections.TryGetValue(header, out var existing))
                {
                    if (addedInThisSource.Contains(header))
                    {
                        throw Invalid(sourceName, lineNumber, $"the section [{header}] appears twice in this file");
                    }

                    current = existing;
                    addedInThisSource.Add(header);
                }
                else if (header == DefaultSectionName)
                {
                    current = defaults;
                }
                else
                {
                    current = new Section(header);
                    sections.Add(header, current);
                    sectionOrder.Add(header);
                    addedInThisSource.Add(header);
                }

                currentKey = null;
                continue;
            }

            if (current is null)
            {
                throw Invalid(sourceName, lineNumber, "it comes before any [section] header");
            }

            var delimiter = value.IndexOfAny(['=', ':']);
            var key = delimiter < 0 ? string.Empty : PythonText.RStrip(value[..delimiter]).ToLowerInvariant();
            if (key.Length == 0)
            {
                throw Invalid(sourceName, lineNumber, delimiter < 0
                    ? "it is neither a [section] header nor a 'key = value' line"
                    : "it has no key before its '=' or ':'");
            }

            if (!addedKeysInThisSource.Add((current.Name, key)))
            {
                throw Invalid(sourceName, lineNumber, $"the key '{key}' appears twice in section [{current.Name}] of this file");
            }

            current.Entries[key] = new Entry(PythonText.Strip(value[(delimiter + 1)..]), sourceName, lineNumber);
            currentKey = key;
        }
    }

    public bool HasSection(string section) => sections.ContainsKey(section);

    /// <summary>The keys of <paramref name="section"/> including those inherited from <c>[DEFAULT]</c>.</summary>
    public IReadOnlyCollection<string> Keys(string section)
    {
        var keys = new List<string>(defaults.Entries.Keys);
        if (sections.TryGetValue(section, out var found))
        {
            keys.AddRange(found.Entries.Keys.Where(k => !defaults.Entries.ContainsKey(k)));
        }

        return keys;
    }

    /// <summary>The value as written (continuation lines joined), or null when the section or key is absent.</summary>
    public string? GetRaw(string section, string key) => Find(section, key)?.Value;

    /// <summary>Where the key's value was set (file path and line), or null when absent. Safe to show.</summary>
    public string? SourceOf(string section, string key) => Find(section, key) is { } entry
        ? $"{entry.Source} line {entry.Line}"
        : null;

    /// <summary>The interpolated value, or null when the section or key is absent (like Python's
    /// <c>get</c> raising NoSectionError/NoOptionError). <c>[DEFAULT]</c> can be read as a section.</summary>
    /// <exception cref="MlflowException"><see cref="MlfError.ConfigValueInvalid"/> when interpolation fails.</exception>
    public string? Get(string section, string key)
    {
        var entry = Find(section, key);
        if (entry is null)
        {
            return null;
        }

        var result = new StringBuilder();
        Interpolate(section, key.ToLowerInvariant(), entry, entry.Value, result, depth: 1);
        return result.ToString();
    }

    private Entry? Find(string section, string key)
    {
        key = key.ToLowerInvariant();
        if (sections.TryGetValue(section, out var found))
        {
            if (found.Entries.TryGetValue(key, out var entry))
            {
                return entry;
            }
        }
        else if (section != DefaultSectionName)
        {
            return null;
        }

        return defaults.Entries.GetValueOrDefault(key);
    }

    private void Interpolate(string section, string key, Entry origin, string rest, StringBuilder result, int depth)
    {
        if (depth > MaxInterpolationDepth)
        {
            throw ValueInvalid(section, key, origin,
                $"its %(name)s references nest more than {MaxInterpolationDepth} levels deep (is there a loop?)");
        }

        var index = 0;
        while (index < rest.Length)
        {
            var percent = rest.IndexOf('%', index);
            if (percent < 0)
            {
                result.Append(rest, index, rest.Length - index);
                return;
            }

            result.Append(rest, index, percent - index);
            var next = percent + 1 < rest.Length ? rest[percent + 1] : '\0';
            if (next == '%' && percent + 1 < rest.Length)
            {
                result.Append('%');
                index = percent + 2;
            }
            else if (next == '(' && percent + 1 < rest.Length)
            {
                var close = rest.IndexOf(')', percent + 2);
                if (close < 0 || close == percent + 2 || close + 1 >= rest.Length || rest[close + 1] != 's')
                {
                    throw ValueInvalid(section, key, origin,
                        "a '%(' is not followed by name)s; write %% for a literal %");
                }

                var name = rest[(percent + 2)..close].ToLowerInvariant();
                var referenced = Find(section, name);
                if (referenced is null)
                {
                    throw ValueInvalid(section, key, origin,
                        $"it refers to %({name})s, but section [{section}] and [{DefaultSectionName}] have no key '{name}'; write %% for a literal %");
                }

                if (referenced.Value.Contains('%'))
                {
                    Interpolate(section, key, origin, referenced.Value, result, depth + 1);
                }
                else
                {
                    result.Append(referenced.Value);
                }

                index = close + 2;
            }
            else
            {
                throw ValueInvalid(section, key, origin, "a '%' must be followed by '%' or '(': write %% for a literal %");
            }
        }
    }

    /// <summary>Python's <c>\[(?P&lt;header&gt;.+)\]</c> matched at the start: everything up to the last <c>]</c>.</summary>
    private static string? SectionHeader(string value)
    {
        if (!value.StartsWith('['))
        {
            return null;
        }

        var close = value.LastIndexOf(']');
        return close > 1 ? value[1..close] : null;
    }

    /// <summary>Lines as Python's universal newlines mode splits them (\n, \r\n, \r).</summary>
    private static IEnumerable<string> SplitLines(string text)
    {
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] is '\n' or '\r')
            {
                yield return text[start..i];
                if (text[i] == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }

                start = i + 1;
            }
        }

        if (start < text.Length)
        {
            yield return text[start..];
        }
    }

    private static MlflowException Invalid(string source, int line, string reason) =>
        new(MlfError.ConfigFileInvalid, source, line, reason);

    private static MlflowException ValueInvalid(string section, string key, Entry origin, string reason) =>
        new(MlfError.ConfigValueInvalid, key, section, $"{origin.Source} line {origin.Line}", reason);

    private sealed class Section(string name)
    {
        public string Name { get; } = name;

        public Dictionary<string, Entry> Entries { get; } = new(StringComparer.Ordinal);
    }

    private sealed class Entry(string firstLine, string source, int line)
    {
        public List<string> Lines { get; } = [firstLine];

        public string Source { get; } = source;

        public int Line { get; } = line;

        /// <summary>Python joins the lines with '\n' and strips trailing whitespace.</summary>
        public string Value => PythonText.RStrip(string.Join('\n', Lines));
    }
}
