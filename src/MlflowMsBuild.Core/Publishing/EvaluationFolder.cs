namespace MlflowMsBuild.Core.Publishing;

/// <summary>
/// The folder an evaluation writes for publishing, and where the PublishModel task (run by the PublishModel target)
/// and <c>mlflow-models publish</c> look for each input that is not given explicitly. The layout is the product's
/// own convention, defined here only:
/// <code>
/// model/            the model files                          else MlflowModelDirectory, MlflowModelFile items; --model-dir
/// metrics.json      JSON metrics, used when it exists        else MlflowMetricsFile; --metrics
/// command-line.txt  the command that produced the model      else MlflowCommandLine, MlflowCommandLineFile; --command-line
/// database.txt      the data set's name                      else MlflowDatabase, MlflowDatabaseFile; --database
/// tables/           tables (.md .csv .tsv .txt)              else MlflowTable items; --table
/// figures/          figures (.png .svg .pdf .jpg .jpeg)      else MlflowFigure items; --figure
/// </code>
/// Only the top level of <c>tables/</c> and <c>figures/</c> is read, files of other extensions are ignored (the
/// extension compared in lower case), and a missing file or folder is simply no input.
/// </summary>
public sealed class EvaluationFolder
{
    /// <summary>The folder's name under the project (or the current folder for the CLI) when none is set.</summary>
    public const string DefaultName = "evaluation";

    public const string ModelFolderName = "model";

    public const string MetricsFileName = "metrics.json";

    public const string CommandLineFileName = "command-line.txt";

    public const string DatabaseFileName = "database.txt";

    /// <summary>The tables' folder here, and the folder they are stored under in the run's artifacts.</summary>
    public const string TablesFolderName = "tables";

    /// <summary>The figures' folder here, and the folder they are stored under in the run's artifacts.</summary>
    public const string FiguresFolderName = "figures";

    /// <summary>Extensions a table may have (lower case, with the dot): the text that MLflow's log_text stores.</summary>
    public static readonly IReadOnlyList<string> TableExtensions = [".md", ".csv", ".tsv", ".txt"];

    /// <summary>Extensions a figure may have (lower case, with the dot): the images that MLflow's log_figure stores.</summary>
    public static readonly IReadOnlyList<string> FigureExtensions = [".png", ".svg", ".pdf", ".jpg", ".jpeg"];

    /// <param name="root">The evaluation folder; a relative path is relative to the current folder.</param>
    public EvaluationFolder(string root) => Root = Path.GetFullPath(root);

    /// <summary>The folder's full path.</summary>
    public string Root { get; }

    public string ModelDirectory => Path.Combine(Root, ModelFolderName);

    public string MetricsFile => Path.Combine(Root, MetricsFileName);

    public string CommandLineFile => Path.Combine(Root, CommandLineFileName);

    public string DatabaseFile => Path.Combine(Root, DatabaseFileName);

    public string TablesDirectory => Path.Combine(Root, TablesFolderName);

    public string FiguresDirectory => Path.Combine(Root, FiguresFolderName);

    /// <summary><see cref="MetricsFile"/> when the evaluation wrote it, else null.</summary>
    public string? ExistingMetricsFile() => File.Exists(MetricsFile) ? MetricsFile : null;

    /// <summary>The trimmed text of <see cref="CommandLineFile"/>; null when it is missing or blank.</summary>
    public string? ReadCommandLine() => ReadText(CommandLineFile);

    /// <summary>The trimmed text of <see cref="DatabaseFile"/>; null when it is missing or blank.</summary>
    public string? ReadDatabase() => ReadText(DatabaseFile);

    /// <summary>Full paths of the tables in <see cref="TablesDirectory"/>, in ordinal order; empty when there is none.</summary>
    public IReadOnlyList<string> Tables() => Files(TablesDirectory, TableExtensions);

    /// <summary>Full paths of the figures in <see cref="FiguresDirectory"/>, in ordinal order; empty when there is none.</summary>
    public IReadOnlyList<string> Figures() => Files(FiguresDirectory, FigureExtensions);

    /// <summary>The trimmed text of a file an evaluation may have written; null when it is missing or blank.</summary>
    public static string? ReadText(string path) =>
        File.Exists(path) && File.ReadAllText(path).Trim() is { Length: > 0 } text ? text : null;

    private static List<string> Files(string directory, IReadOnlyList<string> extensions) =>
        Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory)
                .Where(f => extensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
                .Order(StringComparer.Ordinal)
                .ToList()
            : [];
}
