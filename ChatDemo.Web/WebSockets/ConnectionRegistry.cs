using System.Collections.Concurrent;
using ChatDemo.Web.FanOut;

namespace ChatDemo.Web.WebSockets;

/// <summary>
/// The live WebSocket connections of this process, by id and by room; also the in-process
/// fan-out and sender. A room's member list is an immutable array replaced on join and leave,
/// so publishing iterates without locks or copies.
/// </summary>
public sealed class ConnectionRegistry : IRoomFanOut, IConnectionSender
{
    private readonly ConcurrentDictionary<string, WebSocketClient> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, WebSocketClient[]> _byRoom = new(StringComparer.Ordinal);
    private readonly Lock _roomsLock = new();

    private int _count;

    public int Count => Volatile.Read(ref _count);

    /// <summary>
    /// Adds the connection unless <paramref name="maxConnections"/> are already open. Checking and
    /// adding are one atomic step: a separate check let a burst of upgrades overshoot the limit
    /// (found by ConnectionFloodTests: 151 connections admitted under a limit of 150).
    /// </summary>
    public bool TryAdd(WebSocketClient client, int maxConnections)
    {
        if (Interlocked.Increment(ref _count) > maxConnections)
        {
            Interlocked.Decrement(ref _count);
            return false;
        }
        _byId[client.ConnectionId] = client;
        lock (_roomsLock)
        {
            _byRoom[client.Room] = _byRoom.TryGetValue(client.Room, out var members) ? [.. members, client] : [client];
        }
        return true;
    }

    public void Remove(WebSocketClient client)
    {
        if (!_byId.TryRemove(new KeyValuePair<string, WebSocketClient>(client.ConnectionId, client))) return;
        Interlocked.Decrement(ref _count);
        lock (_roomsLock)
        {
            if (!_byRoom.TryGetValue(client.Room, out var members)) return;
            var remaining = Array.FindAll(members, m => !ReferenceEquals(m, client));
            if (remaining.Length == 0) _byRoom.Remove(client.Room);
            else _byRoom[client.Room] = remaining;
        }
    }

    public ValueTask PublishAsync(RoomEvent roomEvent, CancellationToken cancellationToken)
    {
        WebSocketClient[]? members;
        lock (_roomsLock)
        {
            _byRoom.TryGetValue(roomEvent.Room, out members);
        }
        if (members is null) return ValueTask.CompletedTask;
        foreach (var member in members)
        {
            // Enqueueing never waits: a member whose queue is full is dropped, not waited on.
            if (member.ConnectionId != roomEvent.ExceptConnectionId)
                member.TryEnqueue(roomEvent.Frame);
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask<bool> SendAsync(string connectionId, ReadOnlyMemory<byte> frame, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_byId.TryGetValue(connectionId, out var client) && client.TryEnqueue(frame));

    /// <summary>Asks every connection to close (after its queued frames) with the given code.</summary>
    public void CloseAll(System.Net.WebSockets.WebSocketCloseStatus status, string reason)
    {
        foreach (var client in _byId.Values) client.Close(status, reason);
    }
}
