namespace MlflowMsBuild.Cli.Output;

/// <summary>Rows of text in aligned columns, for people; scripts use --json.</summary>
internal sealed class TextTable(params string[] headers)
{
    private readonly List<string[]> rows = [];

    public void Add(params string[] cells) => rows.Add(cells);

    public void WriteTo(TextWriter writer)
    {
        var widths = headers.Select((header, column) => rows.Select(r => r[column].Length).Append(header.Length).Max()).ToArray();
        foreach (var row in rows.Prepend(headers))
        {
            writer.WriteLine(string.Join("  ", row.Select((cell, column) => column == row.Length - 1 ? cell : cell.PadRight(widths[column]))).TrimEnd());
        }
    }
}
