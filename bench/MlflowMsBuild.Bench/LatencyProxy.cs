using System.Net;
using System.Net.Sockets;

namespace MlflowMsBuild.Bench;

/// <summary>
/// A loopback TCP proxy that holds every chunk the client sends for a fixed delay before passing it on: each
/// HTTP request then pays that latency once, for curl and for the restore alike.
/// </summary>
internal sealed class LatencyProxy : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();
    private readonly Task accepting;

    public LatencyProxy(Uri target, TimeSpan delay)
    {
        listener.Start();
        Address = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/");
        accepting = AcceptAsync(target, delay);
    }

    public Uri Address { get; }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        try
        {
            await accepting;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }

    private async Task AcceptAsync(Uri target, TimeSpan delay)
    {
        while (!stop.IsCancellationRequested)
        {
            var client = await listener.AcceptTcpClientAsync(stop.Token);
            _ = Task.Run(() => ServeAsync(client, target, delay));
        }
    }

    private async Task ServeAsync(TcpClient client, Uri target, TimeSpan delay)
    {
        using (client)
        using (var server = new TcpClient())
        {
            client.NoDelay = true;
            server.NoDelay = true;
            await server.ConnectAsync(target.Host, target.Port, stop.Token);
            var up = PumpAsync(client.GetStream(), server.GetStream(), delay);
            var down = PumpAsync(server.GetStream(), client.GetStream(), TimeSpan.Zero);
            await Task.WhenAny(up, down);
        }
    }

    private async Task PumpAsync(Stream from, Stream to, TimeSpan delay)
    {
        var buffer = new byte[256 * 1024];
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, stop.Token)) > 0)
            {
                if (delay > TimeSpan.Zero)
                {
                    await Task.Delay(delay, stop.Token);
                }

                await to.WriteAsync(buffer.AsMemory(0, read), stop.Token);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // One side closed.
        }
    }
}
