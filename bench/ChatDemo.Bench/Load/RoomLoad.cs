using ChatDemo.Bench.Clients;

namespace ChatDemo.Bench.Load;

/// <summary>One room's worth of connections to one server: a few senders, the rest receivers.</summary>
public sealed class RoomLoad(IBenchTarget target, DeliveryStats stats) : IAsyncDisposable
{
    private const int ConnectParallelism = 32;
    private LeanSocket?[] _receivers = [];
    private IBenchSender?[] _senders = [];

    public IReadOnlyList<IBenchSender?> Senders => _senders;

    public int OpenConnections => _receivers.Count(r => r is { IsOpen: true }) + _senders.Count(s => s is { IsOpen: true });

    /// <summary>Opens <paramref name="senders"/> senders and connections up to <paramref name="total"/> in all.</summary>
    public async Task ConnectAsync(int total, int senders, int receiveBufferBytes, CancellationToken cancellationToken)
    {
        var oldSenders = _senders.Length;
        Array.Resize(ref _senders, Math.Max(oldSenders, senders));
        for (var i = oldSenders; i < _senders.Length; i++) _senders[i] = await target.ConnectSenderAsync(i, stats, cancellationToken);

        var oldReceivers = _receivers.Length;
        Array.Resize(ref _receivers, Math.Max(oldReceivers, total - _senders.Length));
        await Parallel.ForAsync(oldReceivers, _receivers.Length,
            new ParallelOptions { MaxDegreeOfParallelism = ConnectParallelism, CancellationToken = cancellationToken },
            async (i, ct) => _receivers[i] = await target.ConnectReceiverAsync(stats, receiveBufferBytes, ct));
    }

    /// <summary>Replaces connections the server dropped (a full send queue, for example); returns how many.</summary>
    public async Task<int> ReconnectDroppedAsync(int receiveBufferBytes, CancellationToken cancellationToken)
    {
        var replaced = 0;
        for (var i = 0; i < _senders.Length; i++)
        {
            if (_senders[i] is { IsOpen: true }) continue;
            if (_senders[i] is { } dead) await dead.DisposeAsync();
            _senders[i] = await target.ConnectSenderAsync(i, stats, cancellationToken);
            replaced++;
        }
        for (var i = 0; i < _receivers.Length; i++)
        {
            if (_receivers[i] is { IsOpen: true }) continue;
            if (_receivers[i] is { } dead) await dead.DisposeAsync();
            _receivers[i] = await target.ConnectReceiverAsync(stats, receiveBufferBytes, cancellationToken);
            replaced++;
        }
        return replaced;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var s in _senders)
        {
            if (s is not null) await s.DisposeAsync();
        }
        await Parallel.ForEachAsync(_receivers, async (r, _) =>
        {
            if (r is not null) await r.DisposeAsync();
        });
    }
}
