using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace ChatDemo.Web.Chat;

/// <summary>
/// Serializes a room's store write and its fan-out, so that every connection of a room sees
/// the room's events in the order the store accepted them. Striped: memory stays fixed however
/// many rooms come and go; unrelated rooms rarely share a stripe. A wait that lasts longer than
/// <c>slowWait</c> (5 s) is logged with what holds the stripe and since when, because a store
/// call that hangs while holding it stalls its whole room and would otherwise leave no trace.
/// </summary>
public sealed class RoomLocks(ILogger<RoomLocks> logger, TimeSpan? slowWait = null)
{
    private readonly TimeSpan _slowWait = slowWait ?? TimeSpan.FromSeconds(5);
    private readonly Stripe[] _stripes = Enumerable.Range(0, 64).Select(_ => new Stripe()).ToArray();

    public async ValueTask<Releaser> EnterAsync(string room, CancellationToken cancellationToken, [CallerMemberName] string operation = "")
    {
        var stripe = _stripes[(uint)StringComparer.Ordinal.GetHashCode(room) % (uint)_stripes.Length];
        if (!await stripe.Semaphore.WaitAsync(_slowWait, cancellationToken))
        {
            RoomLockLog.SlowWait(logger, room, _slowWait.TotalSeconds, stripe.Holder, Stopwatch.GetElapsedTime(stripe.HeldSince).TotalSeconds);
            await stripe.Semaphore.WaitAsync(cancellationToken);
        }
        stripe.Holder = operation;
        stripe.HeldSince = Stopwatch.GetTimestamp();
        return new Releaser(stripe);
    }

    public readonly struct Releaser(Stripe stripe) : IDisposable
    {
        public void Dispose() => stripe.Semaphore.Release();
    }

    /// <summary>One lock and, for the slow-wait log, who took it last and when.</summary>
    public sealed class Stripe
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);

        public string Holder { get; set; } = "";

        public long HeldSince { get; set; }
    }
}

internal static partial class RoomLockLog
{
    [LoggerMessage(EventId = 10, Level = LogLevel.Warning,
        Message = "Waited over {WaitSeconds} s for room {Room}'s lock, held by {Holder} for {HeldSeconds:0.0} s; a store call may be hanging")]
    public static partial void SlowWait(ILogger logger, string room, double waitSeconds, string holder, double heldSeconds);
}
