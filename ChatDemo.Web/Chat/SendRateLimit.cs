using ChatDemo.Web.Configuration;

namespace ChatDemo.Web.Chat;

/// <summary>
/// A connection's <c>sendMessage</c> limit (protocol.md section 5, 11.7): it spends from a token
/// bucket of 20 that refills continuously at 10 a second — since v1.2 the bucket of its user and
/// room (<see cref="SendBudgets"/>), shared by all their connections to the room and kept across
/// reconnects — and has its own flood detector, which trips after 50 <c>rate_limited</c> answers
/// within 10 seconds.
/// </summary>
public sealed class SendRateLimit : ISendLimit, IDisposable
{
    private readonly SendBudgets _budgets;
    private readonly (string Room, string UserId) _key;
    private readonly TimeProvider _time;
    private readonly int _floodStrikes;
    private readonly TimeSpan _floodWindow;
    private SendBudget? _budget;
    private long[]? _strikes;
    private int _next;
    private int _count;
    private bool _disposed;

    /// <summary>Made by <see cref="SendBudgets.ForConnection"/>.</summary>
    internal SendRateLimit(ConnectionLimitOptions limits, TimeProvider time, SendBudgets budgets, string room, string userId)
    {
        _budgets = budgets;
        _key = (room, userId);
        _time = time;
        _floodStrikes = limits.FloodStrikes;
        _floodWindow = TimeSpan.FromSeconds(limits.FloodWindowSeconds);
    }

    /// <summary>Takes one token from the bucket; false when the user is over their rate in this room.</summary>
    public bool TryAcquire()
    {
        // The bucket is taken on the first send, not with the connection: most connections of a
        // room only receive, and an idle connection should cost no bucket (docs/benchmarks.md).
        var budget = _budget ??= _budgets.Hold(_key.Room, _key.UserId);
        return budget.TryTake();
    }

    /// <summary>Records a <c>rate_limited</c> answer; true when the connection is flooding and must be closed.</summary>
    public bool RecordStrike()
    {
        // A connection's frames are handled one at a time: the ring needs no lock.
        var strikes = _strikes ??= new long[_floodStrikes];
        var now = _time.GetTimestamp();
        strikes[_next] = now;
        _next = (_next + 1) % strikes.Length;
        if (++_count < strikes.Length) return false;
        // The ring holds the last N strikes; the slot written next is the oldest of them.
        return _time.GetElapsedTime(strikes[_next], now) <= _floodWindow;
    }

    ValueTask<bool> ISendLimit.TryAcquireAsync(CancellationToken cancellationToken) => ValueTask.FromResult(TryAcquire());

    ValueTask<bool> ISendLimit.RecordStrikeAsync(CancellationToken cancellationToken) => ValueTask.FromResult(RecordStrike());

    /// <summary>Lets go of the shared bucket (which is kept until it has refilled).</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (_budget is not null) _budgets.Release(_budget);
    }
}

/// <summary>
/// A token bucket topped up on demand from the elapsed time (no timer): <c>SendBurst</c> tokens,
/// refilled continuously at <c>SendPerSecond</c>. Thread-safe: several connections share one.
/// </summary>
public sealed class SendBudget(ConnectionLimitOptions limits, TimeProvider time)
{
    private readonly Lock _lock = new();
    private double _tokens = limits.SendBurst;
    private long _updatedAt = time.GetTimestamp();

    /// <summary>How many connections hold it (changed under <see cref="SendBudgets"/>' lock).</summary>
    internal int Holders { get; set; }

    public bool TryTake()
    {
        lock (_lock)
        {
            Refill();
            if (_tokens < 1) return false;
            _tokens -= 1;
            return true;
        }
    }

    /// <summary>Full again: indistinguishable from a fresh bucket, so it may be forgotten.</summary>
    internal bool IsFull()
    {
        lock (_lock)
        {
            Refill();
            return _tokens >= limits.SendBurst;
        }
    }

    private void Refill()
    {
        var now = time.GetTimestamp();
        _tokens = Math.Min(limits.SendBurst, _tokens + time.GetElapsedTime(_updatedAt, now).TotalSeconds * limits.SendPerSecond);
        _updatedAt = now;
    }
}

/// <summary>
/// The send buckets of protocol.md 11.7, one per (room, user): every connection of a user to a
/// room spends from the same bucket, and a bucket outlives its connections until it has refilled,
/// so reconnecting never buys a fresh burst. Memory stays bounded: a bucket nobody holds is
/// forgotten once full (a fresh one would be the same), which takes at most
/// <c>SendBurst / SendPerSecond</c> seconds (2 by default) after its last send.
/// </summary>
public sealed class SendBudgets(ConnectionLimitOptions limits, TimeProvider time)
{
    // How many buckets may be made between two sweeps for forgettable ones.
    private const int SweepEvery = 1024;

    private readonly Dictionary<(string Room, string UserId), SendBudget> _budgets = [];
    private readonly Lock _lock = new();
    private int _madeSinceSweep;

    public int Count
    {
        get
        {
            lock (_lock) return _budgets.Count;
        }
    }

    /// <summary>A connection's limit, spending from its user's bucket in its room; dispose it when the connection ends.</summary>
    public SendRateLimit ForConnection(string room, string userId) => new(limits, time, this, room, userId);

    internal SendBudget Hold(string room, string userId)
    {
        SendBudget budget;
        lock (_lock)
        {
            if (!_budgets.TryGetValue((room, userId), out budget!))
            {
                if (++_madeSinceSweep >= SweepEvery) Sweep();
                _budgets[(room, userId)] = budget = new SendBudget(limits, time);
            }
            budget.Holders++;
        }
        return budget;
    }

    internal void Release(SendBudget budget)
    {
        lock (_lock) budget.Holders--;
    }

    /// <summary>Forgets the buckets nobody holds that have refilled.</summary>
    public void Sweep()
    {
        lock (_lock)
        {
            _madeSinceSweep = 0;
            foreach (var (key, budget) in _budgets)
            {
                if (budget.Holders == 0 && budget.IsFull()) _budgets.Remove(key);
            }
        }
    }
}
