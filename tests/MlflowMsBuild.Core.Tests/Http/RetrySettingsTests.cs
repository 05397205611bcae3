using System.Net;
using System.Net.Http.Headers;
using MlflowMsBuild.Core.Http;

namespace MlflowMsBuild.Core.Tests.Http;

/// <summary>The one delay rule of every retry: doubling, jitter, the cap, and the server's Retry-After.</summary>
[TestClass]
public sealed class RetrySettingsTests
{
    private static readonly RetrySettings Settings = new()
    {
        BaseDelay = TimeSpan.FromSeconds(1),
        MaxDelay = TimeSpan.FromSeconds(10),
        Jitter = 0.25,
    };

    [TestMethod]
    [DataRow(1, 1_000)]
    [DataRow(2, 2_000)]
    [DataRow(3, 4_000)]
    [DataRow(4, 8_000)]
    public void Delay_WithoutJitter_DoublesFromTheBaseDelay(int retry, int milliseconds) =>
        Assert.AreEqual(TimeSpan.FromMilliseconds(milliseconds), Settings.Delay(retry, null, sample: 0));

    [TestMethod]
    [DataRow(5)]
    [DataRow(30)]
    [DataRow(int.MaxValue)]
    public void Delay_IsCappedByMaxDelay(int retry) =>
        Assert.AreEqual(TimeSpan.FromSeconds(10), Settings.Delay(retry, null, sample: 0.99));

    [TestMethod]
    public void Delay_JitterLengthensByAtMostTheJitterFraction()
    {
        Assert.AreEqual(TimeSpan.FromMilliseconds(2_500), Settings.Delay(2, null, sample: 1));
        Assert.AreEqual(TimeSpan.FromMilliseconds(2_250), Settings.Delay(2, null, sample: 0.5));
        var delays = Enumerable.Range(0, 1_000).Select(_ => Settings.Delay(2, null)).ToList();
        Assert.IsTrue(delays.All(d => d >= TimeSpan.FromSeconds(2) && d < TimeSpan.FromMilliseconds(2_500)), string.Join(", ", delays.Distinct().Take(10)));
        Assert.IsGreaterThan(100, delays.Distinct().Count(), "the delays are spread, not fixed");
    }

    [TestMethod]
    public void Delay_WithNoJitter_IsExact() =>
        Assert.IsTrue(Enumerable.Range(0, 100).All(_ => (Settings with { Jitter = 0 }).Delay(3, null) == TimeSpan.FromSeconds(4)));

    [TestMethod]
    public void Delay_TakesTheServersRetryAfter_WithoutJitter()
    {
        Assert.AreEqual(TimeSpan.FromSeconds(7), Settings.Delay(1, TimeSpan.FromSeconds(7), sample: 0.9));
        Assert.AreEqual(TimeSpan.Zero, Settings.Delay(4, TimeSpan.Zero, sample: 0.9));
    }

    [TestMethod]
    public void Waits_ForARetryAfterUpToMaxDelay_AndNoLonger()
    {
        Assert.IsTrue(Settings.Waits(null));
        Assert.IsTrue(Settings.Waits(TimeSpan.FromSeconds(10)));
        Assert.IsFalse(Settings.Waits(TimeSpan.FromSeconds(11)));
    }

    [TestMethod]
    public void RetryAfter_ReadsSecondsAndDates()
    {
        var now = new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
        using var seconds = Answer(new RetryConditionHeaderValue(TimeSpan.FromSeconds(3)));
        using var date = Answer(new RetryConditionHeaderValue(now.AddSeconds(42)));
        using var past = Answer(new RetryConditionHeaderValue(now.AddSeconds(-5)));
        using var none = Answer(null);

        Assert.AreEqual(TimeSpan.FromSeconds(3), RetrySettings.RetryAfter(seconds, now));
        Assert.AreEqual(TimeSpan.FromSeconds(42), RetrySettings.RetryAfter(date, now));
        Assert.AreEqual(TimeSpan.Zero, RetrySettings.RetryAfter(past, now));
        Assert.IsNull(RetrySettings.RetryAfter(none, now));
    }

    [TestMethod]
    [DataRow(HttpStatusCode.RequestTimeout, true)]
    [DataRow(HttpStatusCode.TooManyRequests, true)]
    [DataRow(HttpStatusCode.InternalServerError, true)]
    [DataRow(HttpStatusCode.BadGateway, true)]
    [DataRow(HttpStatusCode.ServiceUnavailable, true)]
    [DataRow(HttpStatusCode.GatewayTimeout, true)]
    [DataRow(HttpStatusCode.NotImplemented, false)]
    [DataRow(HttpStatusCode.HttpVersionNotSupported, false)]
    [DataRow(HttpStatusCode.NotFound, false)]
    [DataRow(HttpStatusCode.Unauthorized, false)]
    public void IsTransient_OnlyForNotNowAnswers(HttpStatusCode status, bool transient) =>
        Assert.AreEqual(transient, RetrySettings.IsTransient(status));

    private static HttpResponseMessage Answer(RetryConditionHeaderValue? retryAfter)
    {
        var response = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        response.Headers.RetryAfter = retryAfter;
        return response;
    }
}
