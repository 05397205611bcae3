using MlflowMsBuild.Core.IO;

namespace MlflowMsBuild.Core.Tests.IO;

[TestClass]
public sealed class BoundedReadStreamTests
{
    [TestMethod]
    [DataRow(0)]
    [DataRow(1)]
    [DataRow(100)]
    public async Task ABodyOfExactlyTheLimit_ReadsToItsEnd(int size)
    {
        await using var stream = new BoundedReadStream(new MemoryStream(new byte[size]), limit: size);
        using var copy = new MemoryStream();

        await stream.CopyToAsync(copy);

        Assert.AreEqual(size, copy.Length);
    }

    [TestMethod]
    public async Task ABodyThatNeverEnds_ThrowsAfterOneBytePastTheLimit()
    {
        var endless = new TestUtilities.EndlessTailStream(new MemoryStream([1, 2, 3]));
        await using var stream = new BoundedReadStream(endless, limit: 1000);

        var error = await Assert.ThrowsExactlyAsync<StreamTooLongException>(() => stream.CopyToAsync(Stream.Null));

        Assert.AreEqual(1000, error.Limit);
        Assert.AreEqual(1001 - 3, endless.TailRead, "reads one byte past the limit, no more");
    }

    [TestMethod]
    public async Task NoLimit_DoesNotOverflow()
    {
        await using var stream = new BoundedReadStream(new MemoryStream(new byte[10]), long.MaxValue);

        Assert.AreEqual(10, await stream.ReadAsync(new byte[64]));
    }
}
