using System.Text.RegularExpressions;

namespace MlflowMsBuild.EndToEnd.Tests.TestUtilities;

/// <summary>
/// A section of the repository's README read as a guide: each fenced block after <c>&lt;!-- file: PATH --&gt;</c> is
/// that file, whole; each fenced block after <c>&lt;!-- run --&gt;</c> holds shell commands, run in order.
/// </summary>
public sealed partial class ReadmeGuide
{
    private ReadmeGuide(IReadOnlyList<(string Path, string Content)> files, IReadOnlyList<string> scripts)
    {
        Files = files;
        Scripts = scripts;
    }

    public IReadOnlyList<(string Path, string Content)> Files { get; }

    public IReadOnlyList<string> Scripts { get; }

    [GeneratedRegex(@"<!-- (?:file: (?<path>\S+)|(?<run>run)) -->\r?\n```[^\n]*\n(?<body>.*?)^```", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex Block();

    /// <param name="heading">The section's heading without its <c>##</c>.</param>
    public static ReadmeGuide Read(string heading)
    {
        var readme = File.ReadAllText(Repository.Path("README.md")).ReplaceLineEndings("\n");
        var start = readme.IndexOf($"\n## {heading}\n", StringComparison.Ordinal);
        if (start < 0)
        {
            throw new InvalidOperationException($"README.md has no section '## {heading}'.");
        }

        var end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        var section = end < 0 ? readme[start..] : readme[start..end];
        var files = new List<(string, string)>();
        var scripts = new List<string>();
        foreach (Match block in Block().Matches(section))
        {
            if (block.Groups["run"].Success)
            {
                scripts.Add(block.Groups["body"].Value);
            }
            else
            {
                files.Add((block.Groups["path"].Value, block.Groups["body"].Value));
            }
        }

        return new ReadmeGuide(files, scripts);
    }
}
