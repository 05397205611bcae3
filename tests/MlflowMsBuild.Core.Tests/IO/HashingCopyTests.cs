using MlflowMsBuild.Core.IO;
using MlflowMsBuild.Core.Tests.TestUtilities;

namespace MlflowMsBuild.Core.Tests.IO;

[TestClass]
public sealed class HashingCopyTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [DataRow(0)]
    [DataRow(1)]
    [DataRow(1 << 20)]
    [DataRow((3 << 20) + 17)]
    public async Task Copy_CopiesEveryByteAndHashesThem(int size)
    {
        var content = PublishFixture.RandomBytes(size, seed: size);
        using var source = new MemoryStream(content);
        using var destination = new MemoryStream();

        var (copied, sha256) = await HashingCopy.CopyAsync(source, destination, TestContext.CancellationToken);

        Assert.AreEqual(size, copied);
        Assert.AreEqual(PublishFixture.Sha256Hex(content), sha256);
        CollectionAssert.AreEqual(content, destination.ToArray());
    }

    [TestMethod]
    public async Task HashFile_MatchesSha256OfTheContent()
    {
        using var folder = new TempDirectory();
        var content = PublishFixture.RandomBytes(12_345, seed: 3);

        var sha256 = await HashingCopy.HashFileAsync(folder.WriteFile("f.bin", content), TestContext.CancellationToken);

        Assert.AreEqual(PublishFixture.Sha256Hex(content), sha256);
        Assert.MatchesRegex(new System.Text.RegularExpressions.Regex("^[0-9a-f]{64}$"), sha256);
    }

    [TestMethod]
    public async Task Copy_Cancelled_Throws()
    {
        using var source = new MemoryStream(new byte[100]);
        using var destination = new MemoryStream();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAsync<OperationCanceledException>(() => HashingCopy.CopyAsync(source, destination, cancelled.Token));
    }
}
