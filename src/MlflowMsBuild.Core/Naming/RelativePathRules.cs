using System.Globalization;
using System.Text;

namespace MlflowMsBuild.Core.Naming;

/// <summary>
/// What a file path a registry lists (or a lock file records) may be before it becomes a path on this machine: a
/// canonical relative path, '/'-separated. Nothing is normalised: a path that would need it (<c>model//x</c>,
/// <c>x/</c>, <c>./x</c>) is refused, so what is restored is exactly what was listed.
/// </summary>
public static class RelativePathRules
{
    /// <summary>
    /// Null when <paramref name="path"/> is canonical, else why not (for messages): empty, absolute (<c>/x</c>,
    /// <c>C:x</c>, <c>\\server</c>), an empty segment (<c>a//b</c>, a trailing '/'), a <c>.</c> or <c>..</c> segment,
    /// also percent-encoded (<c>%2e%2e</c>: one more decoding by any layer would make it <c>..</c>), a backslash, or a
    /// control character (NUL ...).
    /// </summary>
    public static string? Problem(string path)
    {
        if (path.Length == 0)
        {
            return "it is empty";
        }

        if (path.Any(char.IsControl))
        {
            return "it holds a control character";
        }

        if (path.Contains('\\'))
        {
            return "it holds a backslash";
        }

        if (path.StartsWith('/') || (path.Length >= 2 && char.IsAsciiLetter(path[0]) && path[1] == ':') || Path.IsPathRooted(path))
        {
            return "it is absolute";
        }

        foreach (var segment in path.Split('/'))
        {
            if (segment.Length == 0)
            {
                return path.EndsWith('/') ? "it ends with '/'" : "it has an empty segment ('//')";
            }

            if (segment is "." or ".." || DecodesToDots(segment))
            {
                return $"it has a '{segment}' segment";
            }
        }

        return null;
    }

    /// <summary><paramref name="path"/> for a message: control characters written as <c>\u0000</c>.</summary>
    public static string Printable(string path)
    {
        if (!path.Any(char.IsControl))
        {
            return path;
        }

        var builder = new StringBuilder();
        foreach (var c in path)
        {
            builder.Append(char.IsControl(c) ? "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture) : c.ToString());
        }

        return builder.ToString();
    }

    private static bool DecodesToDots(string segment)
    {
        if (!segment.Contains('%'))
        {
            return false;
        }

        var decoded = segment;
        // Undo every layer of percent-encoding (%252e is %2e once decoded).
        for (var previous = ""; decoded != previous && decoded.Contains('%');)
        {
            previous = decoded;
            decoded = Uri.UnescapeDataString(decoded);
        }

        return decoded is "." or "..";
    }
}
