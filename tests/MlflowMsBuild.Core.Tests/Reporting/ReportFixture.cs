using MlflowMsBuild.Core.Publishing;
using MlflowMsBuild.Core.Registry;
using MlflowMsBuild.Core.Tests.TestUtilities;

namespace MlflowMsBuild.Core.Tests.Reporting;

/// <summary>Publishes doc- models with metrics, a table, a figure and a configuration file, as an evaluation would.</summary>
internal static class ReportFixture
{
    public const string Origin = "https://gitlab.example.org/group/sub/project.git";

    public static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3];

    public static async Task<PublishResult> PublishDocModelAsync(PublishFixture fixture, IModelRegistry registry, string name, string metricsJson,
        int seed, CancellationToken cancellationToken)
    {
        var folder = "eval-" + name + "-" + seed;
        var metrics = fixture.Repo.WriteFile($"{folder}/metrics.json", metricsJson);
        var table = fixture.Repo.WriteFile($"{folder}/tables/confusion.md", "| | predicted 0 | predicted 1 |\r\n|---|---:|---:|\r\n| actual 0 | 90 | 10 |\r\n");
        var csv = fixture.Repo.WriteFile($"{folder}/tables/splits.csv", "split,rows\ntrain,800\ntest,200\n");
        var figure = fixture.Repo.WriteFile($"{folder}/figures/roc.png", [.. Png, (byte)seed]);
        var config = fixture.Repo.WriteFile($"config/{name}.json", $$"""{"seed": {{seed}}}""");
        var input = fixture.Input(name, files: fixture.WriteDefaultModel(seed), metricsFile: metrics) with
        {
            CommandLine = $"Classifier --seed {seed}",
            Database = "synthetic-2000",
            Tables = [table, csv],
            Figures = [figure],
            ConfigFiles = [config],
        };
        fixture.Repo.CommitAll("evaluation of " + name);
        return await new ModelPublisher(registry).PublishAsync(input, cancellationToken);
    }
}
