using System.Globalization;
using System.Text;

namespace MlflowMsBuild.Core.Credentials.Python;

/// <summary>
/// The few Python standard library text functions python-gitlab applies to configuration values,
/// reproduced rule for rule: <c>str.strip</c>, <c>shlex.split</c>, <c>os.path.expandvars</c> and
/// <c>os.path.expanduser</c>; and <c>int()</c>, which mlflow applies to its variables too.
/// </summary>
internal static class PythonText
{
    /// <summary>Python's <c>str.isspace</c> for one character (it also counts \x1c-\x1f, which .NET does not).</summary>
    public static bool IsSpace(char c) => char.IsWhiteSpace(c) || c is >= '\x1c' and <= '\x1f';

    /// <summary>Python's <c>str.strip()</c>.</summary>
    public static string Strip(string text)
    {
        var start = 0;
        var end = text.Length;
        while (start < end && IsSpace(text[start]))
        {
            start++;
        }

        while (end > start && IsSpace(text[end - 1]))
        {
            end--;
        }

        return text[start..end];
    }

    /// <summary>Python's <c>str.rstrip()</c>.</summary>
    public static string RStrip(string text)
    {
        var end = text.Length;
        while (end > 0 && IsSpace(text[end - 1]))
        {
            end--;
        }

        return text[..end];
    }

    /// <summary>
    /// Python's <c>shlex.split(text)</c> (POSIX mode, no comments): words split on space, tab, CR and LF;
    /// <c>'...'</c> is literal; in <c>"..."</c> a backslash escapes only <c>"</c> and <c>\</c>; outside quotes a
    /// backslash escapes any character; <c>''</c> gives an empty word.
    /// </summary>
    /// <exception cref="FormatException">An unclosed quotation, or a backslash at the very end.</exception>
    public static List<string> ShlexSplit(string text)
    {
        const char Escape = '\\';
        var words = new List<string>();
        var token = new StringBuilder();
        var inWord = false;   // shlex state 'a' (or a quote/escape state entered from it)
        var quoted = false;   // the current word had a quotation, so it counts even when empty
        var index = 0;

        while (index < text.Length)
        {
            var c = text[index++];
            if (c is ' ' or '\t' or '\r' or '\n')
            {
                if (inWord)
                {
                    words.Add(token.ToString());
                    token.Clear();
                    inWord = false;
                    quoted = false;
                }

                continue;
            }

            inWord = true;
            if (c == Escape)
            {
                if (index >= text.Length)
                {
                    throw new FormatException("No escaped character");
                }

                token.Append(text[index++]);
            }
            else if (c is '\'' or '"')
            {
                quoted = true;
                var quote = c;
                while (true)
                {
                    if (index >= text.Length)
                    {
                        throw new FormatException("No closing quotation");
                    }

                    var q = text[index++];
                    if (q == quote)
                    {
                        break;
                    }

                    if (quote == '"' && q == Escape)
                    {
                        if (index >= text.Length)
                        {
                            throw new FormatException("No escaped character");
                        }

                        var escaped = text[index++];
                        if (escaped != '"' && escaped != Escape)
                        {
                            token.Append(Escape);
                        }

                        token.Append(escaped);
                        continue;
                    }

                    token.Append(q);
                }
            }
            else
            {
                token.Append(c);
            }
        }

        if (inWord && (token.Length > 0 || quoted))
        {
            words.Add(token.ToString());
        }

        return words;
    }

    /// <summary>
    /// Python's <c>os.path.expandvars</c>: on POSIX <c>$name</c> and <c>${name}</c> (name = ASCII letters, digits,
    /// <c>_</c>); on Windows also <c>%name%</c>, <c>$$</c>, <c>%%</c> and <c>'...'</c> left as is. Unknown variables
    /// stay unchanged.
    /// </summary>
    public static string ExpandVars(string path, Func<string, string?> getVariable, bool windowsRules)
        => windowsRules ? ExpandVarsNt(path, getVariable) : ExpandVarsPosix(path, getVariable);

    private static bool IsAsciiWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    private static string ExpandVarsPosix(string path, Func<string, string?> getVariable)
    {
        var i = 0;
        while (true)
        {
            var start = path.IndexOf('$', i);
            if (start < 0 || start + 1 >= path.Length)
            {
                return path;
            }

            string name;
            int end;
            if (path[start + 1] == '{')
            {
                var close = path.IndexOf('}', start + 2);
                if (close < 0)
                {
                    i = start + 1;
                    continue;
                }

                name = path[(start + 2)..close];
                end = close + 1;
            }
            else
            {
                end = start + 1;
                while (end < path.Length && IsAsciiWordChar(path[end]))
                {
                    end++;
                }

                if (end == start + 1)
                {
                    i = start + 1;
                    continue;
                }

                name = path[(start + 1)..end];
            }

            var value = name.Length == 0 ? null : getVariable(name);
            if (value is null)
            {
                i = end;
                continue;
            }

            var head = path[..start] + value;
            path = head + path[end..];
            i = head.Length;
        }
    }

    private static string ExpandVarsNt(string path, Func<string, string?> getVariable)
    {
        if (!path.Contains('$') && !path.Contains('%'))
        {
            return path;
        }

        var result = new StringBuilder();
        var index = 0;
        while (index < path.Length)
        {
            var c = path[index];
            if (c == '\'')
            {
                var close = path.IndexOf('\'', index + 1);
                if (close < 0)
                {
                    result.Append(path, index, path.Length - index);
                    return result.ToString();
                }

                result.Append(path, index, close - index + 1);
                index = close + 1;
            }
            else if (c == '%')
            {
                if (index + 1 < path.Length && path[index + 1] == '%')
                {
                    result.Append('%');
                    index += 2;
                    continue;
                }

                var close = path.IndexOf('%', index + 1);
                if (close < 0)
                {
                    result.Append(path, index, path.Length - index);
                    return result.ToString();
                }

                var name = path[(index + 1)..close];
                result.Append(getVariable(name) ?? "%" + name + "%");
                index = close + 1;
            }
            else if (c == '$')
            {
                if (index + 1 < path.Length && path[index + 1] == '$')
                {
                    result.Append('$');
                    index += 2;
                }
                else if (index + 1 < path.Length && path[index + 1] == '{')
                {
                    var close = path.IndexOf('}', index + 2);
                    if (close < 0)
                    {
                        result.Append(path, index, path.Length - index);
                        return result.ToString();
                    }

                    var name = path[(index + 2)..close];
                    result.Append(getVariable(name) ?? "${" + name + "}");
                    index = close + 1;
                }
                else
                {
                    var end = index + 1;
                    while (end < path.Length && (IsAsciiWordChar(path[end]) || path[end] == '-'))
                    {
                        end++;
                    }

                    var name = path[(index + 1)..end];
                    result.Append((name.Length == 0 ? null : getVariable(name)) ?? "$" + name);
                    index = end;
                }
            }
            else
            {
                result.Append(c);
                index++;
            }
        }

        return result.ToString();
    }

    /// <summary>
    /// Python's <c>os.path.expanduser</c> for <c>~</c> and <c>~/...</c> (on Windows also <c>~\...</c>);
    /// <c>~user</c> and everything else stay unchanged, as does the whole path when there is no home folder.
    /// </summary>
    public static string ExpandUser(string path, string? homeDirectory, bool windowsRules)
    {
        if (!path.StartsWith('~') || string.IsNullOrEmpty(homeDirectory))
        {
            return path;
        }

        var separatorAt = windowsRules ? path.IndexOfAny(['/', '\\'], 1) : path.IndexOf('/', 1);
        if (separatorAt < 0)
        {
            separatorAt = path.Length;
        }

        if (separatorAt != 1)
        {
            return path; // ~user: python-gitlab would look the user up; we leave it alone.
        }

        var home = homeDirectory.TrimEnd(windowsRules ? ['/', '\\'] : ['/']);
        var expanded = home + path[1..];
        return expanded.Length == 0 ? "/" : expanded;
    }

    /// <summary>Python's <c>int(value)</c> for ASCII digits: surrounding blanks, a sign, <c>_</c> between digits.</summary>
    public static int? Int(string value)
    {
        var text = Strip(value);
        var start = text.StartsWith('+') || text.StartsWith('-') ? 1 : 0;
        if (start == text.Length || text[start] == '_' || text.EndsWith('_') || text.Contains("__", StringComparison.Ordinal))
        {
            return null;
        }

        for (var i = start; i < text.Length; i++)
        {
            if (!char.IsAsciiDigit(text[i]) && text[i] != '_')
            {
                return null;
            }
        }

        return int.TryParse(text.Replace("_", string.Empty, StringComparison.Ordinal), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            ? number
            : null;
    }
}
