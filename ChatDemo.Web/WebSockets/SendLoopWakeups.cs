using System.Buffers;

namespace ChatDemo.Web.WebSockets;

/// <summary>
/// Wakes the send loops that a room event found waiting, in a few thread-pool work items (about
/// one per core) instead of one per connection; each runs its share of sends in a row on its
/// thread. With one work item per delivery, a 1,000-member room put 1,000 items on the global
/// queue for every message, and the senders' next frames waited behind them.
/// </summary>
internal sealed class SendLoopWakeups : IThreadPoolWorkItem
{
    // Below this many sends, one work item; a send that does not block takes a few microseconds.
    private const int MinimumShare = 64;

    private readonly Batch _batch;
    private readonly int _start;
    private readonly int _end;

    private SendLoopWakeups(Batch batch, int start, int end)
    {
        _batch = batch;
        _start = start;
        _end = end;
    }

    /// <summary>Wakes <paramref name="clients"/>[0..count), an array rented from the shared pool that this takes over.</summary>
    public static void Schedule(WebSocketClient[] clients, int count)
    {
        var share = Math.Max(MinimumShare, (count + Environment.ProcessorCount - 1) / Environment.ProcessorCount);
        var batch = new Batch(clients, (count + share - 1) / share);
        for (var start = 0; start < count; start += share)
            ThreadPool.UnsafeQueueUserWorkItem(new SendLoopWakeups(batch, start, Math.Min(start + share, count)), preferLocal: false);
    }

    public void Execute()
    {
        for (var i = _start; i < _end; i++) _batch.Clients[i].WakeSendLoop();
        _batch.Done();
    }

    private sealed class Batch(WebSocketClient[] clients, int shares)
    {
        private int _remaining = shares;

        public WebSocketClient[] Clients { get; } = clients;

        public void Done()
        {
            if (Interlocked.Decrement(ref _remaining) == 0) ArrayPool<WebSocketClient>.Shared.Return(Clients, clearArray: true);
        }
    }
}
