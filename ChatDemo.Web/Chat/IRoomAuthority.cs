namespace ChatDemo.Web.Chat;

/// <summary>
/// What protocol v1.2's rooms (protocol.md section 11) say about one user in one room, as the
/// chat core and the WebSocket handshake need it: may they connect, are they muted, do they
/// moderate. The chat core owns this port and the rooms area implements it, so the core stays at
/// the bottom of the folders' dependencies.
/// </summary>
public interface IRoomAuthority
{
    /// <param name="room">A valid room name.</param>
    /// <param name="user">The verified user.</param>
    /// <param name="admin">Whether their session is an administrator's (they act as owners everywhere).</param>
    /// <param name="cancellationToken">Cancels the store read.</param>
    ValueTask<RoomRights> GetRightsAsync(string room, ChatUser user, bool admin, CancellationToken cancellationToken);

    /// <summary>
    /// The rights a frame is judged by (a send, a change, typing): <see cref="GetRightsAsync"/>, or a
    /// copy at most a second old where the implementation keeps one — a change made through this
    /// process applies at once. Upgrades always use <see cref="GetRightsAsync"/>.
    /// </summary>
    ValueTask<RoomRights> GetFrameRightsAsync(string room, ChatUser user, bool admin, CancellationToken cancellationToken) =>
        GetRightsAsync(room, user, admin, cancellationToken);
}

/// <summary>One user's rights in one room at one moment.</summary>
/// <param name="Refusal">Why they may not connect (403 <c>Banned</c> or <c>Not a member</c>); null when they may.</param>
/// <param name="MutedUntil">Their sends, edits, deletes and reactions are refused with <c>muted</c> until then; null when not muted.</param>
/// <param name="Moderates">Whether they may delete anyone's message (owner, moderator, administrator).</param>
public sealed record RoomRights(ConnectRefusal? Refusal, DateTimeOffset? MutedUntil, bool Moderates)
{
    /// <summary>A room nobody created, for anyone: as in protocol v1.</summary>
    public static readonly RoomRights Everyone = new(null, null, false);
}

/// <summary>A refused connection: 403 with this <c>title</c> and <c>detail</c>.</summary>
public sealed record ConnectRefusal(string Title, string Detail);

/// <summary>
/// Closes a user's open connections to a room (kick, ban, removal: protocol.md 11.4, 11.6): under
/// Kestrel with the close code, on AWS with the management API's <c>DeleteConnection</c>.
/// Connections of an administrator's session are left open: nobody acts on an administrator.
/// </summary>
public interface IRoomConnectionCloser
{
    /// <param name="room">The room.</param>
    /// <param name="userId">Whose connections.</param>
    /// <param name="reason">Kicked, banned or removed: the close code.</param>
    /// <param name="memberFrame">
    /// The room's <c>member</c> frame about it, already published to the room: a transport whose
    /// fan-out may arrive after the close (AWS) sends it to the user's connections itself first.
    /// </param>
    /// <param name="cancellationToken">Cancels the closing.</param>
    ValueTask CloseUserConnectionsAsync(string room, string userId, RoomCloseReason reason, ReadOnlyMemory<byte> memberFrame, CancellationToken cancellationToken);
}

/// <summary>Why a connection is closed by the room; the value is the WebSocket close code (protocol.md 5, "Close codes").</summary>
public enum RoomCloseReason
{
    /// <summary>4401 <c>kicked</c>: they may reconnect.</summary>
    Kicked = 4401,

    /// <summary>4402 <c>banned</c>: reconnecting is refused until the ban ends.</summary>
    Banned = 4402,

    /// <summary>4403 <c>removed from the room</c>: in a private room, reconnecting is refused.</summary>
    Removed = 4403,
}
