using ChatDemo.Web.Chat;

namespace ChatDemo.Web.Rooms;

/// <summary>Who can see a created room (protocol.md 11.1); a room nobody created is public.</summary>
public enum RoomVisibility
{
    Public,
    Private,
}

/// <summary>A role in one room (protocol.md 11.4), ordered: each may do what the ones below it may.</summary>
public enum RoomRole
{
    Member = 1,
    Moderator = 2,
    Owner = 3,
}

/// <summary>
/// A created room (<c>POST /api/rooms</c>). A room nobody created has no record: it is public,
/// ownerless and behaves exactly as in protocol v1.
/// </summary>
/// <param name="Name">The room's name (the v1 room rule).</param>
/// <param name="Visibility">Public or private.</param>
/// <param name="Title">An optional title, already normalized by <see cref="RoomRules.TryNormalizeTitle"/>.</param>
/// <param name="Owner">The creator, its one owner.</param>
/// <param name="CreatedAt">When it was created, truncated to the millisecond.</param>
public sealed record Room(string Name, RoomVisibility Visibility, string? Title, ChatUser Owner, DateTimeOffset CreatedAt)
{
    public bool IsPrivate => Visibility == RoomVisibility.Private;
}

/// <summary>
/// A room as the lists and <c>GET /api/rooms/{room}</c> see it: its record (null for a room nobody
/// created) and its activity.
/// </summary>
/// <param name="Name">The room's name.</param>
/// <param name="Created">Its record; null for an ownerless room that has messages.</param>
/// <param name="LastSeq">The room's highest seq so far (0 before its first message): unread counts are measured from it.</param>
/// <param name="LastMessageAt">When its newest stored message was sent; null when it has none stored.</param>
public sealed record RoomSummary(string Name, Room? Created, long LastSeq, DateTimeOffset? LastMessageAt);

/// <summary>A ban: since when, and until when (null: for good, until unbanned).</summary>
public sealed record RoomBan(DateTimeOffset At, DateTimeOffset? Until)
{
    public bool IsActive(DateTimeOffset now) => Until is not { } until || until > now;
}

/// <summary>
/// One user's standing in one room: their role, when they got it, a mute and a ban. Kept as one
/// record (one row, one item) so that a ban and the removal of the membership it implies are one
/// write. A user with no role, no mute and no ban may have no record at all.
/// </summary>
/// <param name="Room">The room.</param>
/// <param name="UserId">The user.</param>
public sealed record RoomStanding(string Room, string UserId)
{
    /// <summary>The user's display name as last seen by the room (joining, a role, a sanction); null when never seen.</summary>
    public string? Name { get; init; }

    /// <summary>The role held; null for none.</summary>
    public RoomRole? Role { get; init; }

    /// <summary>When the role was first given (kept across role changes).</summary>
    public DateTimeOffset? JoinedAt { get; init; }

    /// <summary>Muted until then; a past time is no mute.</summary>
    public DateTimeOffset? MutedUntil { get; init; }

    public RoomBan? Ban { get; init; }
}

/// <summary>What one read returns for the checks of protocol.md 11.3: the room's record and the user's standing.</summary>
/// <param name="Room">Null for a room nobody created.</param>
/// <param name="Standing">Null when the user has no record in the room.</param>
public sealed record RoomAccess(Room? Room, RoomStanding? Standing);

/// <summary>The <c>action</c> of a moderation record (protocol.md 11.6).</summary>
public static class ModerationActions
{
    public const string Mute = "mute";
    public const string Unmute = "unmute";
    public const string Kick = "kick";
    public const string Ban = "ban";
    public const string Unban = "unban";

    /// <summary>Someone removed from the room's members by an owner, moderator or administrator.</summary>
    public const string Remove = "remove";

    /// <summary>A role changed by the owner or an administrator.</summary>
    public const string Role = "role";

    /// <summary>The actions a client may ask for with <c>POST …/moderation</c>.</summary>
    public static readonly string[] Requestable = [Mute, Unmute, Kick, Ban, Unban];
}

/// <summary>One recorded action on a user of a room, kept for the room's moderators.</summary>
/// <param name="Id">Unique (<see cref="NewId"/>).</param>
/// <param name="Room">The room.</param>
/// <param name="Action">One of <see cref="ModerationActions"/>.</param>
/// <param name="By">Who acted.</param>
/// <param name="UserId">On whom.</param>
/// <param name="UserName">Their name when known.</param>
/// <param name="At">When, truncated to the millisecond.</param>
/// <param name="Until">The end of a mute or a ban; null for good or not applicable.</param>
/// <param name="Reason">An optional reason given by the actor.</param>
/// <param name="Role">The new role of a <see cref="ModerationActions.Role"/> record.</param>
public sealed record ModerationRecord(
    string Id,
    string Room,
    string Action,
    ChatUser By,
    string UserId,
    string? UserName,
    DateTimeOffset At,
    DateTimeOffset? Until = null,
    string? Reason = null,
    RoomRole? Role = null)
{
    /// <summary>A new record's id: <c>r_</c> and a version-7 GUID, which sorts by creation time.</summary>
    public static string NewId() => "r_" + Guid.CreateVersion7().ToString("N");
}

/// <summary>What <see cref="IRoomStore.CreateRoomAsync"/> did.</summary>
public enum RoomCreation
{
    Created,

    /// <summary>The room was created before: nothing was written.</summary>
    AlreadyCreated,

    /// <summary>The room was never created but has messages (an ownerless room in use cannot be claimed): nothing was written.</summary>
    HasMessages,
}

/// <summary>What <see cref="IRoomStore.AddMemberAsync"/> did, and the standing after it.</summary>
public enum MemberAddition
{
    Added,

    /// <summary>The user already held a role: nothing changed (a role is never lowered by joining).</summary>
    AlreadyMember,

    /// <summary>The user is banned from the room at the given time: nothing changed.</summary>
    Banned,
}

/// <summary>A signed invitation's content (protocol.md 11.5); its use count is kept in the store by <see cref="Id"/>.</summary>
/// <param name="Id">Random, unique per invite.</param>
/// <param name="Room">The one room it admits to.</param>
/// <param name="ExpiresAt">When it stops admitting (whole milliseconds).</param>
/// <param name="MaxUses">How many people it admits; null for any number.</param>
public sealed record Invite(string Id, string Room, DateTimeOffset ExpiresAt, int? MaxUses);
