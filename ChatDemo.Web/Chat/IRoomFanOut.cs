using System.Diagnostics;

namespace ChatDemo.Web.Chat;

/// <summary>
/// How a room event reaches the room's connections: in process (Kestrel mode) or through
/// EventBridge → Step Functions → PostToConnection (AWS mode).
/// </summary>
public interface IRoomFanOut
{
    /// <summary>Delivers the event to every connection of its room (except the one it names).</summary>
    ValueTask PublishAsync(RoomEvent roomEvent, CancellationToken cancellationToken);
}

/// <summary>Sends a frame to one connection: the sender's <c>ack</c>, <c>error</c> and <c>pong</c>.</summary>
public interface IConnectionSender
{
    /// <summary>False when the connection is gone (its frame is dropped).</summary>
    ValueTask<bool> SendAsync(string connectionId, ReadOnlyMemory<byte> frame, CancellationToken cancellationToken);
}

/// <summary>What kind of room event; transports that route events by kind read it.</summary>
public enum RoomEventKind
{
    Message,
    Presence,
    Typing,

    /// <summary>v1.1: a <c>messageUpdated</c> frame, a changed message's whole state.</summary>
    MessageUpdated,

    /// <summary>v1.2: a <c>member</c> frame: someone joined, left, was removed, got a role or was moderated.</summary>
    Member,
}

/// <summary>
/// One room event, serialized once: every recipient receives the same bytes.
/// </summary>
/// <param name="Room">The room whose connections receive it.</param>
/// <param name="Kind">Message, presence, typing or a message's update.</param>
/// <param name="Frame">The UTF-8 JSON frame.</param>
/// <param name="ExceptConnectionId">A connection that must not receive it (the typist).</param>
/// <param name="Trace">The span that published it: each delivery's span continues its trace.</param>
/// <param name="Seq">A message's sequence number (0 for other events), for delivery spans.</param>
/// <param name="AcceptedAt">When a message was accepted, for the delivery latency; null for other events.</param>
public sealed record RoomEvent(
    string Room,
    RoomEventKind Kind,
    ReadOnlyMemory<byte> Frame,
    string? ExceptConnectionId = null,
    ActivityContext Trace = default,
    long Seq = 0,
    DateTimeOffset? AcceptedAt = null);
