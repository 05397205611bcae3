using System.Text;
using MlflowMsBuild.Core.Errors;
using MlflowMsBuild.Core.Registry;
using MlflowMsBuild.Core.Registry.Local;
using MlflowMsBuild.Core.Reporting;
using MlflowMsBuild.Core.Tests.TestUtilities;
using MlflowMsBuild.Core.Uris;

namespace MlflowMsBuild.Core.Tests.Reporting;

/// <summary>Results pages from the embedded registry: content, byte-identical regeneration, and the check.</summary>
[TestClass]
public sealed class ResultsReportTests
{
    public TestContext TestContext { get; set; } = null!;

    private static readonly ModelUri[] Pinned = [ModelUri.Parse("models:/doc-wide/1"), ModelUri.Parse("models:/doc-baseline/1")];

    private static async Task<PublishFixture> PublishTwoAsync(CancellationToken cancellationToken)
    {
        var fixture = new PublishFixture(ReportFixture.Origin);
        await ReportFixture.PublishDocModelAsync(fixture, fixture.Registry, "doc-baseline", """{"auc": 0.912345678, "accuracy": 0.85}""", 1, cancellationToken);
        await ReportFixture.PublishDocModelAsync(fixture, fixture.Registry, "doc-wide", """{"auc": 0.95, "accuracy": 0.875, "f1": 0.5}""", 2, cancellationToken);
        return fixture;
    }

    private static ResultsReport Report(PublishFixture fixture) => new(_ => new LocalRegistry(fixture.Registry.Root));

    private static ReportOptions Options(string output, List<MlfWarning>? warnings = null) => new()
    {
        OutputDirectory = output,
        Warn = warnings is null ? null : warnings.Add,
    };

    [TestMethod]
    public async Task Write_ShowsBothModels_ComparisonTable_FiguresAndLinks()
    {
        using var fixture = await PublishTwoAsync(TestContext.CancellationToken);
        var output = fixture.Repo.Path("docs", "results");

        var result = await Report(fixture).WriteAsync(Pinned, Options(output), TestContext.CancellationToken);

        var page = File.ReadAllText(result.PagePath);
        var sha = fixture.Repo.HeadSha();
        StringAssert.Contains(page, "| model | version | accuracy | auc | f1 |\n|---|---|---:|---:|---:|\n");
        StringAssert.Contains(page, "| [doc-baseline](#doc-baseline-1) | 1 | 0.85 | 0.912346 | n/a |\n| [doc-wide](#doc-wide-1) | 1 | 0.875 | 0.95 | 0.5 |\n");
        StringAssert.Contains(page, "## doc-baseline version 1");
        StringAssert.Contains(page, "| Command line | `Classifier --seed 2` |");
        StringAssert.Contains(page, "| Data set | `synthetic-2000` |");
        StringAssert.Contains(page, "| Configuration | `config/doc-wide.json` |");
        StringAssert.Contains(page, "| Commit | [`");
        StringAssert.Contains(page, "](<https://gitlab.example.org/group/sub/project/-/commit/");
        StringAssert.Contains(page, "| Registry | embedded registry: `models/doc-wide/versions/1.json` in its folder |");
        StringAssert.Contains(page, "| actual 0 | 90 | 10 |\n");
        StringAssert.Contains(page, "```text\nsplit,rows\ntrain,800\ntest,200\n```\n");
        StringAssert.Contains(page, "![doc-wide 1: figures/roc.png](<figures/doc-wide/1/roc.png>)");
        Assert.IsFalse(page.Contains('\r', StringComparison.Ordinal), "LF line endings only");
        Assert.IsNotNull(sha);
        CollectionAssert.AreEqual((byte[])[.. ReportFixture.Png, 1], File.ReadAllBytes(Path.Combine(output, "figures", "doc-baseline", "1", "roc.png")));
        CollectionAssert.AreEqual((byte[])[.. ReportFixture.Png, 2], File.ReadAllBytes(Path.Combine(output, "figures", "doc-wide", "1", "roc.png")));
        CollectionAssert.AreEqual(new[] { "figures/doc-baseline/1/roc.png", "figures/doc-wide/1/roc.png", "results.md" }, result.Written.ToArray());
    }

    [TestMethod]
    public async Task Write_Again_ChangesNoByteAndTouchesNoFile()
    {
        using var fixture = await PublishTwoAsync(TestContext.CancellationToken);
        var output = fixture.Repo.Path("docs", "results");
        await Report(fixture).WriteAsync(Pinned, Options(output), TestContext.CancellationToken);
        var files = Directory.GetFiles(output, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        var before = files.ToDictionary(f => f, f => (Bytes: File.ReadAllBytes(f), Time: new DateTime(2001, 2, 3, 4, 5, 6, DateTimeKind.Utc)));
        foreach (var (file, state) in before)
        {
            File.SetLastWriteTimeUtc(file, state.Time);
        }

        // The models' order on the command line does not matter.
        var result = await Report(fixture).WriteAsync([.. Pinned.Reverse()], Options(output), TestContext.CancellationToken);

        Assert.IsEmpty(result.Written);
        Assert.IsEmpty(result.Deleted);
        Assert.HasCount(3, result.Unchanged);
        CollectionAssert.AreEqual(files, Directory.GetFiles(output, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList());
        foreach (var (file, state) in before)
        {
            CollectionAssert.AreEqual(state.Bytes, File.ReadAllBytes(file), file);
            Assert.AreEqual(state.Time, File.GetLastWriteTimeUtc(file), file);
        }
    }

    [TestMethod]
    public async Task Write_SelectedMetricsAndFormat()
    {
        using var fixture = await PublishTwoAsync(TestContext.CancellationToken);
        var output = fixture.Repo.Path("docs", "results");

        // models:/doc-wide/01 is models:/doc-wide/1: one row.
        var result = await Report(fixture).WriteAsync([.. Pinned, ModelUri.Parse("models:/doc-wide/01")], Options(output) with { Metrics = ["f1", "auc"], NumberFormat = "F3" },
            TestContext.CancellationToken);

        var page = File.ReadAllText(result.PagePath);
        StringAssert.Contains(page, "| model | version | f1 | auc |\n");
        StringAssert.Contains(page, "| [doc-baseline](#doc-baseline-1) | 1 | n/a | 0.912 |\n| [doc-wide](#doc-wide-1) | 1 | 0.500 | 0.950 |\n");
        StringAssert.Contains(page, "| metric | value |\n|---|---:|\n| f1 | n/a |\n| auc | 0.912 |\n");
        Assert.IsFalse(page.Contains("accuracy", StringComparison.Ordinal), "only the selected metrics");
        Assert.HasCount(2, result.Versions);
    }

    [TestMethod]
    public async Task Write_RefusesUnknownMetric_BadFormat_AndFloatingVersions()
    {
        using var fixture = await PublishTwoAsync(TestContext.CancellationToken);
        var output = fixture.Repo.Path("docs", "results");

        var unknown = await MlfAssert.ThrowsAsync(MlfError.ReportMetricUnknown,
            () => Report(fixture).WriteAsync(Pinned, Options(output) with { Metrics = ["aucc"] }, TestContext.CancellationToken));
        StringAssert.Contains(unknown.Message, "accuracy, auc, f1");
        await MlfAssert.ThrowsAsync(MlfError.ReportNumberFormatInvalid,
            () => Report(fixture).WriteAsync(Pinned, Options(output) with { NumberFormat = "Q" }, TestContext.CancellationToken));
        await MlfAssert.ThrowsAsync(MlfError.ReportVersionNotExact,
            () => Report(fixture).WriteAsync([ModelUri.Parse("models:/doc-wide/latest")], Options(output), TestContext.CancellationToken));
        Assert.IsFalse(Directory.Exists(output), "nothing is written when the page cannot be made");
    }

    [TestMethod]
    public async Task Check_PassesOnTheGeneratedPage()
    {
        using var fixture = await PublishTwoAsync(TestContext.CancellationToken);
        var output = fixture.Repo.Path("docs", "results");
        await Report(fixture).WriteAsync(Pinned, Options(output), TestContext.CancellationToken);
        var warnings = new List<MlfWarning>();

        var result = await Report(fixture).CheckAsync(Pinned, Options(output, warnings), TestContext.CancellationToken);

        Assert.HasCount(3, result.Unchanged);
        Assert.IsEmpty(warnings);
    }

    [TestMethod]
    public async Task Check_FailsAfterANumberIsEditedByHand()
    {
        using var fixture = await PublishTwoAsync(TestContext.CancellationToken);
        var output = fixture.Repo.Path("docs", "results");
        var written = await Report(fixture).WriteAsync(Pinned, Options(output), TestContext.CancellationToken);
        File.WriteAllText(written.PagePath, File.ReadAllText(written.PagePath).Replace("| 0.875 | 0.95 |", "| 0.875 | 0.97 |", StringComparison.Ordinal));

        var error = await MlfAssert.ThrowsAsync(MlfError.ReportOutOfDate, () => Report(fixture).CheckAsync(Pinned, Options(output), TestContext.CancellationToken));

        StringAssert.Contains(error.Message, "(1 difference)");
        StringAssert.Contains(error.Message, "results.md: line ");
        StringAssert.Contains(error.Message, "| 0.875 | 0.97 |");
        StringAssert.Contains(error.Message, "| 0.875 | 0.95 |");
    }

    [TestMethod]
    public async Task Check_FailsAfterAFigureChanges_IsMissing_OrIsExtra()
    {
        using var fixture = await PublishTwoAsync(TestContext.CancellationToken);
        var output = fixture.Repo.Path("docs", "results");
        await Report(fixture).WriteAsync(Pinned, Options(output), TestContext.CancellationToken);
        File.WriteAllBytes(Path.Combine(output, "figures", "doc-wide", "1", "roc.png"), [1, 2, 3]);
        File.Delete(Path.Combine(output, "figures", "doc-baseline", "1", "roc.png"));
        File.WriteAllBytes(Path.Combine(output, "figures", "doc-wide", "1", "old.png"), [4]);

        var error = await MlfAssert.ThrowsAsync(MlfError.ReportOutOfDate, () => Report(fixture).CheckAsync(Pinned, Options(output), TestContext.CancellationToken));

        StringAssert.Contains(error.Message, "(3 differences)");
        StringAssert.Contains(error.Message, "figures/doc-wide/1/roc.png: differs from the registry's figure (3 bytes");
        StringAssert.Contains(error.Message, "figures/doc-baseline/1/roc.png: missing");
        StringAssert.Contains(error.Message, "figures/doc-wide/1/old.png: no pinned version has this figure");

        // Regenerating repairs all three; the check then passes.
        var repaired = await Report(fixture).WriteAsync(Pinned, Options(output), TestContext.CancellationToken);
        CollectionAssert.AreEqual(new[] { "figures/doc-wide/1/old.png" }, repaired.Deleted.ToArray());
        await Report(fixture).CheckAsync(Pinned, Options(output), TestContext.CancellationToken);
    }

    [TestMethod]
    public async Task Check_WarnsWhenANewerVersionOfAPinnedModelExists()
    {
        using var fixture = await PublishTwoAsync(TestContext.CancellationToken);
        var output = fixture.Repo.Path("docs", "results");
        await Report(fixture).WriteAsync(Pinned, Options(output), TestContext.CancellationToken);
        await ReportFixture.PublishDocModelAsync(fixture, fixture.Registry, "doc-wide", """{"auc": 0.96}""", 3, TestContext.CancellationToken);
        var warnings = new List<MlfWarning>();

        await Report(fixture).CheckAsync(Pinned, Options(output, warnings), TestContext.CancellationToken);

        var warning = Assert.ContainsSingle(warnings);
        Assert.AreEqual(MlfError.ReportNewerVersion, warning.Error);
        StringAssert.Contains(warning.Message, "'doc-wide' version 1");
        StringAssert.Contains(warning.Message, "newer version 2");
    }

    [TestMethod]
    public async Task Write_PageBytesDoNotDependOnTheOutputFolderTimeOrCulture()
    {
        using var fixture = await PublishTwoAsync(TestContext.CancellationToken);
        var first = fixture.Repo.Path("docs", "a");
        var second = fixture.Repo.Path("docs", "b");
        var culture = System.Globalization.CultureInfo.CurrentCulture;
        await Report(fixture).WriteAsync(Pinned, Options(first), TestContext.CancellationToken);
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
            await Report(fixture).WriteAsync(Pinned, Options(second), TestContext.CancellationToken);
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = culture;
        }

        var a = Encoding.UTF8.GetString(File.ReadAllBytes(Path.Combine(first, "results.md")));
        var b = Encoding.UTF8.GetString(File.ReadAllBytes(Path.Combine(second, "results.md")));
        Assert.AreEqual(a, b);
        StringAssert.Contains(a, "0.912346");
    }
}
