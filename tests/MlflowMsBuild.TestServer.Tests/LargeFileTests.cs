using System.Security.Cryptography;
using MlflowMsBuild.TestServer.Tests.TestUtilities;
using static MlflowMsBuild.TestServer.Tests.TestUtilities.Servers;

namespace MlflowMsBuild.TestServer.Tests;

[TestClass]
public sealed class LargeFileTests
{
    private const long Size = 200L * 1024 * 1024;

    /// <summary>200 MB up and down with neither side buffering the file: the managed heap stays far below the file size.</summary>
    [TestMethod]
    [DoNotParallelize]
    public async Task TwoHundredMegabytes_StreamThroughWithBoundedMemory()
    {
        await using var server = await MlflowAsync();
        using var api = new Api(server.BaseAddress);
        var (experimentId, runId, _) = await MlflowRunAsync(api);
        var file = $"api/2.0/mlflow-artifacts/artifacts/{experimentId}/{runId}/artifacts/large.bin";

        long peak = 0;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(false));
                await Task.Delay(20);
            }
        });
        var baseline = GC.GetTotalMemory(true);

        using var upload = new PatternStream(Size);
        var put = await api.SendAsync(HttpMethod.Put, file, new StreamContent(upload, 64 * 1024));
        Assert.AreEqual(200, put.Code);

        using var response = await api.Http.GetAsync(file, HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        var downloaded = await SHA256.HashDataAsync(body);
        await sampling.CancelAsync();
        await sampler;

        using var expected = new PatternStream(Size);
        CollectionAssert.AreEqual(await SHA256.HashDataAsync(expected), downloaded);
        Assert.IsTrue(peak - baseline < 64L * 1024 * 1024, $"managed heap grew by {(peak - baseline) / 1024 / 1024} MB");
    }

    /// <summary>A read-only stream of a repeating byte pattern, so the test itself holds no large buffer.</summary>
    private sealed class PatternStream(long length) : Stream
    {
        private long position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position
        {
            get => position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - position);
            for (var i = 0; i < n; i++) buffer[offset + i] = (byte)((position + i) % 251);
            position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
