using System.Text;

namespace MlflowMsBuild.Core.Reporting;

/// <summary>The few CommonMark/GFM escapes a results page needs for text taken from the registry.</summary>
internal static class Markdown
{
    /// <summary>Text for a table cell or a heading: '|' escaped, line breaks flattened.</summary>
    public static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");

    /// <summary>A code span that survives backticks and '|' in the text (inside tables too).</summary>
    public static string Code(string text)
    {
        var flat = Cell(text);
        var fence = new string('`', LongestRun(flat, '`') + 1);
        var pad = fence.Length > 1 || flat.StartsWith('`') || flat.EndsWith('`') ? " " : "";
        return fence + pad + flat + pad + fence;
    }

    /// <summary>A link destination in angle brackets (CommonMark), so spaces and parentheses need no escaping.</summary>
    public static string LinkTarget(string url) => "<" + url.Replace("<", "%3C", StringComparison.Ordinal).Replace(">", "%3E", StringComparison.Ordinal) + ">";

    /// <summary>
    /// A table stored with a run, embedded: Markdown as it is (it is a table already), other text (CSV, TSV, plain
    /// text) in a fenced code block, so nothing is parsed or re-laid-out. Line endings become LF.
    /// </summary>
    public static IEnumerable<string> Embed(string artifactPath, byte[] content)
    {
        var text = new UTF8Encoding(false).GetString(content).TrimStart('\uFEFF').ReplaceLineEndings("\n").Trim('\n');
        var lines = text.Split('\n').Select(l => l.TrimEnd());
        if (Path.GetExtension(artifactPath).Equals(".md", StringComparison.OrdinalIgnoreCase))
        {
            return lines;
        }

        var fence = new string('`', Math.Max(3, LongestRun(text, '`') + 1));
        return [fence + "text", .. lines, fence];
    }

    private static int LongestRun(string text, char c)
    {
        int longest = 0, run = 0;
        foreach (var ch in text)
        {
            run = ch == c ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }

        return longest;
    }
}
