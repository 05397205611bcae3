using MlflowMsBuild.Core.Publishing;
using MlflowMsBuild.Core.Tests.TestUtilities;

namespace MlflowMsBuild.Core.Tests.Publishing;

/// <summary>The evaluation folder's layout: the README documents these names, so they are pinned here.</summary>
[TestClass]
public sealed class EvaluationFolderTests
{
    [TestMethod]
    public void Names_AreTheDocumentedConvention()
    {
        Assert.AreEqual("evaluation", EvaluationFolder.DefaultName);
        Assert.AreEqual("model", EvaluationFolder.ModelFolderName);
        Assert.AreEqual("metrics.json", EvaluationFolder.MetricsFileName);
        Assert.AreEqual("command-line.txt", EvaluationFolder.CommandLineFileName);
        Assert.AreEqual("database.txt", EvaluationFolder.DatabaseFileName);
        Assert.AreEqual("tables", EvaluationFolder.TablesFolderName);
        Assert.AreEqual("figures", EvaluationFolder.FiguresFolderName);
        CollectionAssert.AreEqual(new[] { ".md", ".csv", ".tsv", ".txt" }, EvaluationFolder.TableExtensions.ToArray());
        CollectionAssert.AreEqual(new[] { ".png", ".svg", ".pdf", ".jpg", ".jpeg" }, EvaluationFolder.FigureExtensions.ToArray());
    }

    [TestMethod]
    public void Paths_AreUnderTheFullRoot()
    {
        using var directory = new TempDirectory();
        var folder = new EvaluationFolder(Path.Combine(directory.Path, "a", "..", "eval"));

        Assert.AreEqual(directory.Combine("eval"), folder.Root);
        Assert.AreEqual(directory.Combine("eval", "model"), folder.ModelDirectory);
        Assert.AreEqual(directory.Combine("eval", "metrics.json"), folder.MetricsFile);
        Assert.AreEqual(directory.Combine("eval", "command-line.txt"), folder.CommandLineFile);
        Assert.AreEqual(directory.Combine("eval", "database.txt"), folder.DatabaseFile);
        Assert.AreEqual(directory.Combine("eval", "tables"), folder.TablesDirectory);
        Assert.AreEqual(directory.Combine("eval", "figures"), folder.FiguresDirectory);
    }

    [TestMethod]
    public void EmptyOrMissingFolder_GivesNoInput()
    {
        using var directory = new TempDirectory();
        var folder = new EvaluationFolder(directory.Combine("never-written"));

        Assert.IsNull(folder.ExistingMetricsFile());
        Assert.IsNull(folder.ReadCommandLine());
        Assert.IsNull(folder.ReadDatabase());
        Assert.IsEmpty(folder.Tables());
        Assert.IsEmpty(folder.Figures());
    }

    [TestMethod]
    public void WrittenFiles_AreRead_TextTrimmed_BlankTextIsNone()
    {
        using var directory = new TempDirectory();
        directory.WriteFile("metrics.json", "{}");
        directory.WriteFile("command-line.txt", "  train --epochs 3\n");
        directory.WriteFile("database.txt", " \n\t");
        var folder = new EvaluationFolder(directory.Path);

        Assert.AreEqual(directory.Combine("metrics.json"), folder.ExistingMetricsFile());
        Assert.AreEqual("train --epochs 3", folder.ReadCommandLine());
        Assert.IsNull(folder.ReadDatabase());
    }

    [TestMethod]
    public void TablesAndFigures_TopLevelFilesOfTheirExtensions_AnyCase_InOrdinalOrder()
    {
        using var directory = new TempDirectory();
        foreach (var name in new[] { "tables/b.csv", "tables/a.MD", "tables/c.tsv", "tables/d.txt", "tables/e.json", "tables/sub/f.md",
                     "figures/roc.png", "figures/cm.SVG", "figures/p.pdf", "figures/q.jpg", "figures/r.jpeg", "figures/s.bmp", "figures/t.md" })
        {
            directory.WriteFile(name, "x");
        }

        var folder = new EvaluationFolder(directory.Path);

        CollectionAssert.AreEqual(new[] { "a.MD", "b.csv", "c.tsv", "d.txt" }, folder.Tables().Select(Path.GetFileName).ToArray());
        CollectionAssert.AreEqual(new[] { "cm.SVG", "p.pdf", "q.jpg", "r.jpeg", "roc.png" }, folder.Figures().Select(Path.GetFileName).ToArray());
        Assert.IsTrue(folder.Tables().All(p => Path.GetDirectoryName(p) == folder.TablesDirectory));
    }
}
