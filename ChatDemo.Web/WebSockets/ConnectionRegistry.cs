using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using ChatDemo.Web.Chat;

namespace ChatDemo.Web.WebSockets;

/// <summary>
/// The live WebSocket connections of this process, by id and by room; also the in-process
/// fan-out and sender. Joining and leaving change a room's set in O(1), and publishing walks the
/// set under the room's own lock without allocating: copying a member array on every join made
/// 10,000 joins allocate hundreds of MB of garbage that the GC kept committed.
/// </summary>
public sealed class ConnectionRegistry : IRoomFanOut, IConnectionSender, IRoomConnectionCloser, IConnectionCloser
{
    private readonly ConcurrentDictionary<string, WebSocketClient> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RoomMembers> _byRoom = new(StringComparer.Ordinal);
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
            if (!_byRoom.TryGetValue(client.Room, out var members)) _byRoom[client.Room] = members = new RoomMembers();
            members.Add(client);
        }
        return true;
    }

    public void Remove(WebSocketClient client)
    {
        if (!_byId.TryRemove(new KeyValuePair<string, WebSocketClient>(client.ConnectionId, client))) return;
        Interlocked.Decrement(ref _count);
        lock (_roomsLock)
        {
            if (_byRoom.TryGetValue(client.Room, out var members) && members.Remove(client) == 0) _byRoom.Remove(client.Room);
        }
    }

    public ValueTask PublishAsync(RoomEvent roomEvent, CancellationToken cancellationToken)
    {
        RoomMembers? room;
        lock (_roomsLock)
        {
            _byRoom.TryGetValue(roomEvent.Room, out room);
        }
        room?.Publish(roomEvent);
        return ValueTask.CompletedTask;
    }

    public ValueTask<bool> SendAsync(string connectionId, ReadOnlyMemory<byte> frame, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_byId.TryGetValue(connectionId, out var client) && client.TryEnqueue(frame));

    /// <summary>
    /// Closes the user's connections to the room with the reason's close code (protocol.md 11.4,
    /// 11.6) after their queued frames: the room's <c>member</c> frame, published before, reaches
    /// them first, so it is not sent again here.
    /// </summary>
    public ValueTask CloseUserConnectionsAsync(string room, string userId, RoomCloseReason reason, ReadOnlyMemory<byte> memberFrame, CancellationToken cancellationToken)
    {
        RoomMembers? members;
        lock (_roomsLock)
        {
            _byRoom.TryGetValue(room, out members);
        }
        members?.CloseUser(userId, (WebSocketCloseStatus)(int)reason, CloseReasonText(reason));
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// The flood close by connection id, for the one transport whose frames do not arrive on a
    /// socket of its own (API Gateway's events on the in-process fan-out, a test set-up); Kestrel's
    /// sockets close themselves on <see cref="FrameOutcome.CloseForFlooding"/> with the same code.
    /// </summary>
    public ValueTask CloseForFloodingAsync(string connectionId, CancellationToken cancellationToken)
    {
        if (_byId.TryGetValue(connectionId, out var client)) client.Close(WebSocketCloseStatus.PolicyViolation, FloodCloseReason);
        return ValueTask.CompletedTask;
    }

    public const string FloodCloseReason = "rate limit exceeded repeatedly";

    private static string CloseReasonText(RoomCloseReason reason) => reason switch
    {
        RoomCloseReason.Kicked => "kicked",
        RoomCloseReason.Banned => "banned",
        _ => "removed from the room",
    };

    /// <summary>Asks every connection to close (after its queued frames) with the given code.</summary>
    public void CloseAll(WebSocketCloseStatus status, string reason)
    {
        foreach (var client in _byId.Values) client.Close(status, reason);
    }

    /// <summary>
    /// One room's connections. Joins and leaves take the registry's lock and then this one, so a
    /// room emptied and dropped from the registry is never joined again.
    /// </summary>
    private sealed class RoomMembers
    {
        private readonly HashSet<WebSocketClient> _members = new(ReferenceEqualityComparer.Instance);

        public void Add(WebSocketClient client)
        {
            lock (_members) _members.Add(client);
        }

        /// <summary>Removes the client; returns how many remain.</summary>
        public int Remove(WebSocketClient client)
        {
            lock (_members)
            {
                _members.Remove(client);
                return _members.Count;
            }
        }

        /// <summary>Closes the user's connections, except an administrator's (nobody acts on one).</summary>
        public void CloseUser(string userId, WebSocketCloseStatus status, string reason)
        {
            List<WebSocketClient> closing;
            lock (_members) closing = _members.Where(m => m.Client.User.Id == userId && !m.Client.Admin).ToList();
            foreach (var client in closing) client.Close(status, reason);
        }

        public void Publish(RoomEvent roomEvent)
        {
            WebSocketClient[]? toWake = null;
            var count = 0;
            lock (_members)
            {
                foreach (var member in _members)
                {
                    // Enqueueing never waits: a member whose queue is full is dropped, not waited on.
                    if (member.ConnectionId != roomEvent.ExceptConnectionId && member.EnqueueDeferringWake(roomEvent))
                        (toWake ??= ArrayPool<WebSocketClient>.Shared.Rent(_members.Count))[count++] = member;
                }
            }
            if (toWake is not null) SendLoopWakeups.Schedule(toWake, count);
        }
    }
}
