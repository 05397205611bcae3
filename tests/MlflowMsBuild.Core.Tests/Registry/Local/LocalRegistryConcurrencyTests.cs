using MlflowMsBuild.Core.Publishing;
using MlflowMsBuild.Core.Registry.Local;
using MlflowMsBuild.Core.Tests.TestUtilities;

namespace MlflowMsBuild.Core.Tests.Registry.Local;

[TestClass]
public sealed class LocalRegistryConcurrencyTests
{
    private const int Publishers = 8;

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task ParallelPublishes_GetDistinctVersionsWithIntactFiles()
    {
        using var fixture = new PublishFixture();
        // Each publisher has its own model folder and content, so a mix-up between versions is visible.
        var contents = Enumerable.Range(1, Publishers).Select(i => PublishFixture.RandomBytes(200_000 + i, seed: i)).ToList();
        var inputs = contents.Select((content, i) =>
        {
            var file = fixture.Repo.WriteFile($"out/model{i}/model.bin", content);
            return new PublishInput("test-model", Path.GetDirectoryName(file)!, [file], fixture.Repo.Root);
        }).ToList();

        var results = await Task.WhenAll(inputs.Select(input => Task.Run(
            () => new ModelPublisher(new LocalRegistry(fixture.Registry.Root)).PublishAsync(input, TestContext.CancellationToken))));

        CollectionAssert.AreEquivalent(
            Enumerable.Range(1, Publishers).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
            results.Select(r => r.Version).ToArray());

        var reader = new LocalRegistry(fixture.Registry.Root);
        var versions = await reader.ListModelVersionsAsync("test-model", TestContext.CancellationToken);
        Assert.HasCount(Publishers, versions);
        for (var i = 0; i < Publishers; i++)
        {
            var version = await reader.GetModelVersionAsync("test-model", results[i].Version, TestContext.CancellationToken);
            Assert.AreEqual(results[i].RunId, version.RunId, $"version {results[i].Version} points at another run");
            var files = await reader.ListFilesAsync(version, TestContext.CancellationToken);
            Assert.HasCount(1, files);
            Assert.AreEqual(PublishFixture.Sha256Hex(contents[i]), files[0].Sha256);

            await using var stream = await reader.OpenFileAsync(version, files[0], TestContext.CancellationToken);
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy, TestContext.CancellationToken);
            CollectionAssert.AreEqual(contents[i], copy.ToArray(), $"version {results[i].Version} holds other bytes");
        }

        var versionsFolder = Path.Combine(fixture.Registry.Root, "models", "test-model", "versions");
        Assert.IsEmpty(Directory.GetFiles(versionsFolder, "*.tmp"), "a temporary version document was left behind");
    }

    [TestMethod]
    public async Task ParallelPublishesOfDifferentModels_EachStartAtVersionOne()
    {
        using var fixture = new PublishFixture();
        var files = fixture.WriteDefaultModel();
        var names = Enumerable.Range(1, Publishers).Select(i => $"test-model{i}").ToList();

        var results = await Task.WhenAll(names.Select(name => Task.Run(
            () => new ModelPublisher(new LocalRegistry(fixture.Registry.Root)).PublishAsync(fixture.Input(name, files), TestContext.CancellationToken))));

        Assert.IsTrue(results.All(r => r.Version == "1"), string.Join(", ", results.Select(r => $"{r.ModelName}={r.Version}")));
        CollectionAssert.AreEquivalent(names, results.Select(r => r.ModelName).ToList());
    }
}
