using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using MlflowMsBuild.Core.Http;

namespace MlflowMsBuild.Core.Tests.Http;

/// <summary>The request side of the one retry policy: which requests and answers are sent again, and how often.</summary>
[TestClass]
public sealed class RetryHandlerTests
{
    private static readonly RetrySettings Fast = new() { MaxAttempts = 4, BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromSeconds(5) };

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Get_On503_IsSentAgain_UntilTheServerAnswers()
    {
        var server = new ScriptedHandler(HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK);

        using var response = await SendAsync(server, HttpMethod.Get, Fast);

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.AreEqual(3, server.Requests);
        Assert.AreEqual(2, server.Disposed, "the answers retried are disposed");
    }

    [TestMethod]
    public async Task Get_StillFailing_ReturnsTheLastAnswer_AfterMaxAttempts()
    {
        var server = new ScriptedHandler(Enumerable.Repeat(HttpStatusCode.BadGateway, 10).ToArray());

        using var response = await SendAsync(server, HttpMethod.Get, Fast);

        Assert.AreEqual(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.AreEqual(Fast.MaxAttempts, server.Requests);
    }

    [TestMethod]
    public async Task Post_On503_IsSentOnce()
    {
        var server = new ScriptedHandler(HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK);

        using var response = await SendAsync(server, HttpMethod.Post, Fast);

        Assert.AreEqual(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.AreEqual(1, server.Requests);
    }

    [TestMethod]
    public async Task Get_OnAPermanentAnswer_IsSentOnce()
    {
        var server = new ScriptedHandler(HttpStatusCode.NotFound, HttpStatusCode.OK);

        using var response = await SendAsync(server, HttpMethod.Get, Fast);

        Assert.AreEqual(HttpStatusCode.NotFound, response.StatusCode);
        Assert.AreEqual(1, server.Requests);
    }

    [TestMethod]
    public async Task Head_AfterAConnectionFailure_IsSentAgain()
    {
        var server = new ScriptedHandler(HttpStatusCode.OK) { FailFirst = 2 };

        using var response = await SendAsync(server, HttpMethod.Head, Fast);

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.AreEqual(3, server.Requests);
    }

    [TestMethod]
    public async Task Get_ConnectionFailingEveryTime_ThrowsTheLastFailure_AfterMaxAttempts()
    {
        var server = new ScriptedHandler(HttpStatusCode.OK) { FailFirst = 100 };

        await Assert.ThrowsExactlyAsync<HttpRequestException>(() => SendAsync(server, HttpMethod.Get, Fast));

        Assert.AreEqual(Fast.MaxAttempts, server.Requests);
    }

    [TestMethod]
    public async Task Get_ToAHostNameThatDoesNotExist_IsNotRetried()
    {
        var server = new ScriptedHandler(HttpStatusCode.OK) { FailFirst = 100, FailWith = SocketError.HostNotFound };

        await Assert.ThrowsExactlyAsync<HttpRequestException>(() => SendAsync(server, HttpMethod.Get, Fast));

        Assert.AreEqual(1, server.Requests);
    }

    [TestMethod]
    public async Task Get_RefusedConnection_IsTriedOnceMore_NotMaxAttemptsTimes()
    {
        var server = new ScriptedHandler(HttpStatusCode.OK) { FailFirst = 100, FailWith = SocketError.ConnectionRefused };

        await Assert.ThrowsExactlyAsync<HttpRequestException>(() => SendAsync(server, HttpMethod.Get, Fast));

        Assert.AreEqual(2, server.Requests);
    }

    [TestMethod]
    public async Task Get_RefusedOnce_ThenAnswered_Succeeds()
    {
        var server = new ScriptedHandler(HttpStatusCode.OK) { FailFirst = 1, FailWith = SocketError.ConnectionRefused };

        using var response = await SendAsync(server, HttpMethod.Get, Fast);

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.AreEqual(2, server.Requests);
    }

    [TestMethod]
    public async Task Get_ConnectionReset_IsStillRetriedMaxAttemptsTimes()
    {
        var server = new ScriptedHandler(HttpStatusCode.OK) { FailFirst = 100, FailWith = SocketError.ConnectionReset };

        await Assert.ThrowsExactlyAsync<HttpRequestException>(() => SendAsync(server, HttpMethod.Get, Fast));

        Assert.AreEqual(Fast.MaxAttempts, server.Requests);
    }

    [TestMethod]
    public async Task Request_RecordsWhatWasTried()
    {
        var server = new ScriptedHandler(HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK);
        using var invoker = new HttpMessageInvoker(new RetryHandler(Fast, server));
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://registry.invalid/api/2.0/mlflow/model-versions/get");

        using var response = await invoker.SendAsync(request, CancellationToken.None);

        Assert.IsTrue(request.Options.TryGetValue(RetryHandler.AttemptsKey, out var attempts));
        Assert.AreEqual(2, attempts.Count);
        Assert.StartsWith("2 attempts in ", attempts.ToString());
    }

    [TestMethod]
    public async Task Get_WithARetryAfterLongerThanMaxDelay_IsNotRetried()
    {
        var server = new ScriptedHandler(HttpStatusCode.TooManyRequests, HttpStatusCode.OK) { RetryAfter = TimeSpan.FromMinutes(10) };

        using var response = await SendAsync(server, HttpMethod.Get, Fast);

        Assert.AreEqual(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.AreEqual(1, server.Requests);
    }

    [TestMethod]
    public async Task Get_WaitsAsTheServersRetryAfterSays()
    {
        var server = new ScriptedHandler(HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK) { RetryAfter = TimeSpan.FromMilliseconds(400) };
        var clock = System.Diagnostics.Stopwatch.StartNew();

        using var response = await SendAsync(server, HttpMethod.Get, Fast);

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.IsGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(380), clock.Elapsed, "Retry-After 0.4 s, not the 1 ms base delay");
    }

    [TestMethod]
    public async Task MaxAttemptsOfOne_TurnsRetriesOff()
    {
        var server = new ScriptedHandler(HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK);

        using var response = await SendAsync(server, HttpMethod.Get, Fast with { MaxAttempts = 1 });

        Assert.AreEqual(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.AreEqual(1, server.Requests);
    }

    [TestMethod]
    public async Task CancelledByTheCaller_IsNotRetried()
    {
        using var cancel = new CancellationTokenSource();
        var server = new ScriptedHandler(HttpStatusCode.OK) { OnRequest = cancel.Cancel };

        await Assert.ThrowsAsync<OperationCanceledException>(() => SendAsync(server, HttpMethod.Get, Fast, cancel.Token));

        Assert.AreEqual(1, server.Requests);
    }

    private static async Task<HttpResponseMessage> SendAsync(ScriptedHandler server, HttpMethod method, RetrySettings settings, CancellationToken cancellationToken = default)
    {
        using var invoker = new HttpMessageInvoker(new RetryHandler(settings, server));
        using var request = new HttpRequestMessage(method, "http://registry.invalid/api/2.0/mlflow/model-versions/get");
        return await invoker.SendAsync(request, cancellationToken);
    }

    /// <summary>Answers with the given statuses in turn (the last one repeated), after failing the first connections when told.</summary>
    private sealed class ScriptedHandler(params HttpStatusCode[] statuses) : HttpMessageHandler
    {
        private int disposed;

        public int FailFirst { get; init; }

        /// <summary>The socket error under the connection failures; null for a failure without one.</summary>
        public SocketError? FailWith { get; init; }

        public TimeSpan? RetryAfter { get; init; }

        public Action? OnRequest { get; init; }

        public int Requests { get; private set; }

        public int Disposed => Volatile.Read(ref disposed);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests++;
            OnRequest?.Invoke();
            cancellationToken.ThrowIfCancellationRequested();
            if (Requests <= FailFirst)
            {
                throw FailWith is { } error
                    ? new HttpRequestException(HttpRequestError.ConnectionError, "Connection failed (registry.invalid:80)", new SocketException((int)error))
                    : new HttpRequestException("Connection refused (registry.invalid:80)");
            }

            var response = new CountedResponse(statuses[Math.Min(Requests - FailFirst, statuses.Length) - 1], () => Interlocked.Increment(ref disposed));
            if (RetryAfter is { } retryAfter)
            {
                response.Headers.RetryAfter = new RetryConditionHeaderValue(retryAfter);
            }

            return Task.FromResult<HttpResponseMessage>(response);
        }
    }

    private sealed class CountedResponse(HttpStatusCode status, Action onDispose) : HttpResponseMessage(status)
    {
        private bool done;

        protected override void Dispose(bool disposing)
        {
            if (disposing && !done)
            {
                done = true;
                onDispose();
            }

            base.Dispose(disposing);
        }
    }
}
