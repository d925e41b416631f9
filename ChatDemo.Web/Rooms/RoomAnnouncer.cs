using ChatDemo.Web.Chat;

namespace ChatDemo.Web.Rooms;

/// <summary>
/// Tells a room about a change to its people (protocol.md 11.6): records it when it is a
/// moderation action, sends the <c>member</c> frame to every connection of the room through the
/// fan-out (both hosting modes), and then closes the target's connections when the change says so
/// — after the frame, so that the target learns why.
/// </summary>
public sealed class RoomAnnouncer(IRoomStore store, IRoomFanOut fanOut, IRoomConnectionCloser closer, RoomAuthority? authority, ILogger<RoomAnnouncer> logger)
{
    /// <summary>Rights read before a change made here are not used again (<see cref="RoomAuthority"/>).</summary>
    public void Forget() => authority?.Forget();

    public async Task AnnounceAsync(MemberChange change, ModerationRecord? record, RoomCloseReason? close, CancellationToken cancellationToken)
    {
        // Called after the change is stored: the next frame of anyone in the room reads it afresh.
        Forget();
        if (record is not null) await store.AddModerationRecordAsync(record, cancellationToken);
        var frame = RoomFrames.Member(change);
        try
        {
            await fanOut.PublishAsync(new RoomEvent(change.Room, RoomEventKind.Member, frame), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The change is stored and enforced; pages also see it in the members list and the records.
            RoomsLog.AnnounceFailed(logger, e, change.Room, change.Event);
        }
        if (close is { } reason) await closer.CloseUserConnectionsAsync(change.Room, change.UserId, reason, frame, CancellationToken.None);
    }
}

internal static partial class RoomsLog
{
    [LoggerMessage(EventId = 1100, Level = LogLevel.Error, Message = "The member frame {Event} of room {Room} could not be published")]
    public static partial void AnnounceFailed(ILogger logger, Exception exception, string room, string @event);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Room {Room} created by {UserId}")]
    public static partial void RoomCreated(ILogger logger, string room, string userId);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Information, Message = "Room {Room}: {Action} of {UserId} by {ById}")]
    public static partial void Moderated(ILogger logger, string room, string action, string userId, string byId);
}
