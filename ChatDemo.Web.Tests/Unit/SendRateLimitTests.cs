using ChatDemo.Web.Chat;
using ChatDemo.Web.Configuration;
using Microsoft.Extensions.Time.Testing;

namespace ChatDemo.Web.Tests.Unit;

public sealed class SendRateLimitTests
{
    /// <summary>One connection's limit, the only one spending from its user's bucket in its room.</summary>
    private static SendRateLimit NewLimit(ConnectionLimitOptions limits, TimeProvider time) =>
        new SendBudgets(limits, time).ForConnection("lobby", "u_1");

    [Fact]
    public void AFreshConnectionMaySendTwentyAtOnceThenIsLimited()
    {
        using var limit = NewLimit(new ConnectionLimitOptions(), new FakeTimeProvider());
        for (var i = 0; i < 20; i++) Assert.True(limit.TryAcquire(), $"send {i + 1} of the burst");
        Assert.False(limit.TryAcquire());
    }

    [Fact]
    public async Task TheBucketRefillsAtTenASecond()
    {
        // The token bucket keeps its own monotonic clock, so this waits for real time, generously.
        using var limit = NewLimit(new ConnectionLimitOptions(), TimeProvider.System);
        while (limit.TryAcquire()) { }
        var emptiedAt = DateTime.UtcNow;
        var refilled = 0;
        while (refilled < 10 && DateTime.UtcNow - emptiedAt < TimeSpan.FromSeconds(10))
        {
            if (limit.TryAcquire()) refilled++;
            else await Task.Delay(50);
        }
        Assert.Equal(10, refilled);
        Assert.True(DateTime.UtcNow - emptiedAt >= TimeSpan.FromMilliseconds(900), "ten more came back in under a second");
    }

    [Fact]
    public void FiftyStrikesWithinTenSecondsMeanFlooding()
    {
        var time = new FakeTimeProvider();
        using var limit = NewLimit(new ConnectionLimitOptions(), time);
        for (var i = 0; i < 49; i++)
        {
            Assert.False(limit.RecordStrike(), $"strike {i + 1}");
            time.Advance(TimeSpan.FromMilliseconds(200));
        }
        Assert.True(limit.RecordStrike());
    }

    [Fact]
    public void StrikesSpreadOverMoreThanTenSecondsAreNotFlooding()
    {
        var time = new FakeTimeProvider();
        using var limit = NewLimit(new ConnectionLimitOptions(), time);
        for (var i = 0; i < 200; i++)
        {
            Assert.False(limit.RecordStrike(), $"strike {i + 1}");
            time.Advance(TimeSpan.FromMilliseconds(250));
        }
    }

    [Fact]
    public void ConfiguredLimitsAreHonoured()
    {
        var time = new FakeTimeProvider();
        using var limit = NewLimit(new ConnectionLimitOptions { SendBurst = 3, FloodStrikes = 2, FloodWindowSeconds = 1 }, time);
        Assert.True(limit.TryAcquire() && limit.TryAcquire() && limit.TryAcquire());
        Assert.False(limit.TryAcquire());
        Assert.False(limit.RecordStrike());
        Assert.True(limit.RecordStrike());
    }
}
