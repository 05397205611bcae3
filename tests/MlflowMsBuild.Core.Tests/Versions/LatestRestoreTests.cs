using MlflowMsBuild.Core.Tests.TestUtilities;
using MlflowMsBuild.TestServer;
using static MlflowMsBuild.Core.Tests.Restore.RemoteRestoreTests;

namespace MlflowMsBuild.Core.Tests.Versions;

/// <summary><c>latest</c> on GitLab: the highest release by SemVer precedence, else the highest pre-release.</summary>
[TestClass]
public sealed class LatestRestoreTests
{
    [TestMethod]
    public async Task Latest_WithOnlyPreReleases_IsTheHighestByPrecedence_NotByText()
    {
        await using var fixture = await RemoteFixture.StartAsync(RegistryFlavor.GitLab);
        await fixture.PublishAsync(seed: 1, requestedVersion: "2.0.0-rc.2");
        await fixture.PublishAsync(seed: 2, requestedVersion: "2.0.0-rc.10");
        await fixture.PublishAsync(seed: 3, requestedVersion: "2.0.0-rc.9");

        var restored = await RestoreAsync(fixture, "latest", Options(), "p");

        Assert.AreEqual("2.0.0-rc.10", restored.Models[0].Version);
        CollectionAssert.AreEqual(PublishFixture.RandomBytes(300_000, 2), File.ReadAllBytes(Path.Combine(restored.Models[0].Directory, "model.zip")));
    }

    [TestMethod]
    public async Task Latest_IsTheHighestRelease_EvenBelowHigherPreReleases()
    {
        await using var fixture = await RemoteFixture.StartAsync(RegistryFlavor.GitLab);
        await fixture.PublishAsync(seed: 1, requestedVersion: "1.0.0-beta.11");
        await fixture.PublishAsync(seed: 2, requestedVersion: "1.0.0");
        await fixture.PublishAsync(seed: 3, requestedVersion: "1.1.0-rc.1");
        await fixture.PublishAsync(seed: 4, requestedVersion: "0.9.0");

        var restored = await RestoreAsync(fixture, "latest", Options(), "p");

        Assert.AreEqual("1.0.0", restored.Models[0].Version);
        CollectionAssert.AreEqual(PublishFixture.RandomBytes(300_000, 2), File.ReadAllBytes(Path.Combine(restored.Models[0].Directory, "model.zip")));
    }
}
