using System.Threading.RateLimiting;
using ChatDemo.Web.Configuration;

namespace ChatDemo.Web.Chat;

/// <summary>
/// A connection's <c>sendMessage</c> budget (protocol.md section 5): a token bucket of 20 that
/// refills at 10 a second, and a flood detector that trips after 50 <c>rate_limited</c> answers
/// within 10 seconds.
/// </summary>
public sealed class SendRateLimit : IDisposable
{
    private readonly ConnectionLimitOptions _limits;
    private readonly TimeProvider _time;
    private TokenBucketRateLimiter? _bucket;
    private readonly int _floodStrikes;
    private readonly TimeSpan _floodWindow;
    private long[]? _strikes;
    private int _next;
    private int _count;

    public SendRateLimit(ConnectionLimitOptions limits, TimeProvider time)
    {
        _limits = limits;
        _time = time;
        _floodStrikes = limits.FloodStrikes;
        _floodWindow = TimeSpan.FromSeconds(limits.FloodWindowSeconds);
    }

    /// <summary>Takes one token; false when the connection is over its rate.</summary>
    public bool TryAcquire()
    {
        // Made on the first send, not with the connection: most connections of a room only
        // receive, and the bucket with its options and queue is ~0.3 KB each (docs/benchmarks.md).
        // No replenishment timer per connection either: the bucket is topped up on demand from
        // the elapsed time. A connection's frames are handled one at a time, so no lock is needed.
        var bucket = _bucket ??= new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = _limits.SendBurst,
            TokensPerPeriod = _limits.SendPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = false,
        });
        bucket.TryReplenish();
        using var lease = bucket.AttemptAcquire();
        return lease.IsAcquired;
    }

    /// <summary>Records a <c>rate_limited</c> answer; true when the connection is flooding and must be closed.</summary>
    public bool RecordStrike()
    {
        var strikes = _strikes ??= new long[_floodStrikes];
        var now = _time.GetTimestamp();
        strikes[_next] = now;
        _next = (_next + 1) % strikes.Length;
        if (++_count < strikes.Length) return false;
        // The ring holds the last N strikes; the slot written next is the oldest of them.
        return _time.GetElapsedTime(strikes[_next], now) <= _floodWindow;
    }

    public void Dispose() => _bucket?.Dispose();
}
