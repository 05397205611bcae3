using MlflowMsBuild.Core.Reporting;
using MlflowMsBuild.Core.Tests.TestUtilities;
using MlflowMsBuild.Core.Uris;
using MlflowMsBuild.TestServer;
using static MlflowMsBuild.Core.Tests.TestUtilities.RemoteRegistry;

namespace MlflowMsBuild.Core.Tests.Reporting;

/// <summary>Results pages from the loopback MLflow and GitLab servers: each registry's version link, tables and figures read over HTTP.</summary>
[TestClass]
public sealed class ResultsReportRemoteTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [DataRow(RegistryFlavor.Mlflow)]
    [DataRow(RegistryFlavor.GitLab)]
    public async Task Write_LinksTheVersionInTheRegistrysForm_AndCopiesFigures(RegistryFlavor flavor)
    {
        await using var remote = await StartAsync(flavor);
        using var fixture = new PublishFixture(ReportFixture.Origin);
        var published = await ReportFixture.PublishDocModelAsync(fixture, remote.Registry, "doc-remote", """{"auc": 0.9}""", 4, TestContext.CancellationToken);
        var output = fixture.Repo.Path("docs", "results");
        var uri = ModelUri.Parse($"models:/doc-remote/{published.Version}");
        var report = new ResultsReport(_ => remote.OpenAnother());

        var result = await report.WriteAsync([uri], new ReportOptions { OutputDirectory = output }, TestContext.CancellationToken);

        var page = File.ReadAllText(result.PagePath);
        if (remote.IsGitLab)
        {
            var version = Assert.ContainsSingle(await remote.VersionsAsync("doc-remote"))!;
            var internalId = (string)version["version"]!;
            Assert.AreEqual("1.0.0", published.Version);
            StringAssert.Matches(page, new System.Text.RegularExpressions.Regex(
                $@"\| Registry \| \[GitLab model registry: version page\]\(<{System.Text.RegularExpressions.Regex.Escape(remote.Server.BaseAddress.AbsoluteUri.TrimEnd('/'))}/group/sub/project/-/ml/models/\d+/versions/{internalId}>\) \|"));
        }
        else
        {
            StringAssert.Contains(page, $"| Registry | [MLflow model registry: version page](<{remote.Server.BaseAddress.AbsoluteUri.TrimEnd('/')}/#/models/doc-remote/versions/1>) |");
        }

        StringAssert.Contains(page, $"| [doc-remote](#doc-remote-{published.Version.Replace('.', '-')}) | {published.Version} | 0.9 |");
        StringAssert.Contains(page, "| actual 0 | 90 | 10 |\n");
        CollectionAssert.AreEqual((byte[])[.. ReportFixture.Png, 4],
            File.ReadAllBytes(Path.Combine(output, "figures", "doc-remote", published.Version, "roc.png")));

        await report.CheckAsync([uri], new ReportOptions { OutputDirectory = output }, TestContext.CancellationToken);
    }

    [TestMethod]
    [DataRow(RegistryFlavor.Mlflow)]
    [DataRow(RegistryFlavor.GitLab)]
    public async Task Write_AVersionWithoutTablesOrFigures_HasNeitherSection(RegistryFlavor flavor)
    {
        await using var remote = await StartAsync(flavor);
        using var fixture = new PublishFixture(ReportFixture.Origin);
        var metrics = fixture.Repo.WriteFile("plain/metrics.json", """{"auc": 0.8}""");
        fixture.Repo.CommitAll("metrics only");
        var published = await new MlflowMsBuild.Core.Publishing.ModelPublisher(remote.Registry).PublishAsync(fixture.Input("doc-plain", metricsFile: metrics), TestContext.CancellationToken);
        var output = fixture.Repo.Path("docs", "results");

        var result = await new ResultsReport(_ => remote.OpenAnother()).WriteAsync([ModelUri.Parse($"models:/doc-plain/{published.Version}")],
            new ReportOptions { OutputDirectory = output }, TestContext.CancellationToken);

        var page = File.ReadAllText(result.PagePath);
        StringAssert.Contains(page, "| auc | 0.8 |");
        Assert.IsFalse(page.Contains("### Tables", StringComparison.Ordinal), page);
        Assert.IsFalse(page.Contains("### Figures", StringComparison.Ordinal), page);
        Assert.IsFalse(Directory.Exists(Path.Combine(output, "figures")));
    }
}
