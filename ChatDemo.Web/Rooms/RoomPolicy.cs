using ChatDemo.Web.Chat;

namespace ChatDemo.Web.Rooms;

/// <summary>Who asks: a verified user, and whether their session is an administrator's.</summary>
public sealed record RoomCaller(string UserId, bool Admin);

/// <summary>A refusal of the access matrix: the HTTP status, a problem <c>title</c> and <c>detail</c>.</summary>
public sealed record RoomRefusal(int Status, string Title, string Detail);

/// <summary>
/// Who may do what in a room (protocol.md section 11): the whole access matrix, as pure functions
/// of the room's record, the caller's standing and session, and the time. Every transport (REST,
/// Kestrel's <c>/ws</c>, API Gateway's <c>$connect</c> and routes) and both stores ask it; nothing
/// else decides a permission. A room nobody created (<see cref="RoomAccess.Room"/> null) is public
/// and ownerless: everyone may read, connect and send, nobody moderates.
/// </summary>
public static class RoomPolicy
{
    /// <summary>The user's role: the owner is read from the room's record, the others from their standing.</summary>
    public static RoomRole? RoleOf(Room? room, RoomStanding? standing, string userId) =>
        room is not null && room.Owner.Id == userId ? RoomRole.Owner
        : room is not null ? standing?.Role
        : null;

    /// <summary>The caller's own role in the room (null for none, and for every room nobody created).</summary>
    public static RoomRole? RoleOf(RoomAccess access, string userId) => RoleOf(access.Room, access.Standing, userId);

    /// <summary>Owner, moderator or administrator: may delete anyone's message, invite, remove members and moderate.</summary>
    public static bool Moderates(RoomAccess access, RoomCaller caller) =>
        caller.Admin || RoleOf(access, caller.UserId) >= RoomRole.Moderator;

    /// <summary>The owner or an administrator: may change roles.</summary>
    public static bool Owns(RoomAccess access, RoomCaller caller) =>
        caller.Admin || RoleOf(access, caller.UserId) == RoomRole.Owner;

    /// <summary>An active ban of the user at <paramref name="now"/>; never for the owner or an administrator.</summary>
    public static RoomBan? ActiveBan(RoomAccess access, RoomCaller caller, DateTimeOffset now) =>
        Untouchable(access, caller) ? null
        : access.Standing?.Ban is { } ban && ban.IsActive(now) ? ban
        : null;

    /// <summary>When the user's mute ends, if they are muted at <paramref name="now"/>; never the owner or an administrator.</summary>
    public static DateTimeOffset? MutedUntil(RoomAccess access, RoomCaller caller, DateTimeOffset now) =>
        Untouchable(access, caller) ? null
        : access.Standing?.MutedUntil is { } until && until > now ? until
        : null;

    private static bool Untouchable(RoomAccess access, RoomCaller caller) =>
        caller.Admin || RoleOf(access, caller.UserId) == RoomRole.Owner;

    /// <summary>
    /// Reading a room (history, one message, presence, the room, its members, a read position):
    /// public rooms need nothing; a private room needs a session (401) of a member or an administrator (403).
    /// </summary>
    public static RoomRefusal? Read(RoomAccess access, RoomCaller? caller)
    {
        if (access.Room is not { IsPrivate: true } room) return null;
        if (caller is null) return NeedsToken(room.Name);
        if (caller.Admin || RoleOf(access, caller.UserId) is not null) return null;
        return NotAMember(room.Name);
    }

    /// <summary>
    /// Opening a WebSocket, after the checks of section 2: a banned user is refused in every room
    /// (403 <c>Banned</c>), a non-member in a private room (403 <c>Not a member</c>).
    /// </summary>
    public static RoomRefusal? Connect(RoomAccess access, RoomCaller caller, DateTimeOffset now)
    {
        if (ActiveBan(access, caller, now) is { } ban) return Banned(ban);
        if (access.Room is { IsPrivate: true } room && !caller.Admin && RoleOf(access, caller.UserId) is null) return NotAMember(room.Name);
        return null;
    }

    /// <summary>The rights the chat core applies to a connection's frames.</summary>
    public static RoomRights Rights(RoomAccess access, RoomCaller caller, DateTimeOffset now) =>
        access.Room is null && access.Standing is null
            ? RoomRights.Everyone
            : new RoomRights(
                Connect(access, caller, now) is { } refusal ? new ConnectRefusal(refusal.Title, refusal.Detail) : null,
                MutedUntil(access, caller, now),
                Moderates(access, caller));

    /// <summary>Whether a room belongs in the caller's list: every public room; a private one only where the caller holds a role.</summary>
    public static bool IsListed(RoomSummary room, RoomRole? callerRole) =>
        room.Created is not { IsPrivate: true } || callerRole is not null;

    /// <summary>Creating an invitation: owner, moderator or administrator, in a created room.</summary>
    public static RoomRefusal? CreateInvite(RoomAccess access, RoomCaller caller)
    {
        if (access.Room is null) return NotCreated();
        return Moderates(access, caller) ? null : Forbidden("Only the room's owner, its moderators and administrators may create invitations.");
    }

    /// <summary>Listing moderation records: owner, moderator or administrator, in a created room (none other has records).</summary>
    public static RoomRefusal? ReadModeration(RoomAccess access, RoomCaller caller)
    {
        if (access.Room is null) return NotCreated();
        return Moderates(access, caller) ? null : Forbidden("Only the room's owner, its moderators and administrators may read its moderation records.");
    }

    /// <summary>
    /// Changing <paramref name="target"/>'s role (to moderator or member):
    /// the owner or an administrator; the target must hold a role (404) that is not owner (409).
    /// </summary>
    public static RoomRefusal? ChangeRole(RoomAccess caller, RoomCaller session, RoomStanding? target, string targetId)
    {
        if (caller.Room is null) return NotCreated();
        if (!Owns(caller, session)) return Forbidden("Only the room's owner and administrators may change roles.");
        var targetRole = RoleOf(caller.Room, target, targetId);
        if (targetRole is null) return NotFound($"{targetId} is not a member of room {caller.Room.Name}.");
        if (targetRole == RoomRole.Owner) return Conflict("The owner's role cannot be changed: a room has exactly one owner.");
        return null;
    }

    /// <summary>
    /// Removing <paramref name="targetId"/> from the members: the caller themself (leaving; the
    /// owner cannot leave: 409), or an owner, moderator or administrator removing someone else —
    /// but a moderator neither the owner nor another moderator, and nobody the owner (403).
    /// </summary>
    public static RoomRefusal? Remove(RoomAccess caller, RoomCaller session, RoomStanding? target, string targetId)
    {
        if (caller.Room is null) return NotCreated();
        var targetRole = RoleOf(caller.Room, target, targetId);
        if (targetId == session.UserId)
        {
            if (targetRole == RoomRole.Owner) return Conflict("The owner cannot leave the room.");
            return targetRole is null ? NotFound($"You are not a member of room {caller.Room.Name}.") : null;
        }
        if (!Moderates(caller, session)) return Forbidden("Only the room's owner, its moderators and administrators may remove members.");
        if (targetRole is null) return NotFound($"{targetId} is not a member of room {caller.Room.Name}.");
        return ActOn(caller, session, targetRole);
    }

    /// <summary>
    /// A moderation action on <paramref name="targetId"/>: owner, moderator or administrator; nobody
    /// acts on the owner or on themself, and a moderator not on another moderator (403).
    /// </summary>
    public static RoomRefusal? Moderate(RoomAccess caller, RoomCaller session, RoomStanding? target, string targetId)
    {
        if (caller.Room is null) return NotCreated();
        if (!Moderates(caller, session)) return Forbidden("Only the room's owner, its moderators and administrators may moderate.");
        if (targetId == session.UserId) return Forbidden("You cannot moderate yourself.");
        return ActOn(caller, session, RoleOf(caller.Room, target, targetId));
    }

    private static RoomRefusal? ActOn(RoomAccess caller, RoomCaller session, RoomRole? targetRole)
    {
        if (targetRole == RoomRole.Owner) return Forbidden("Nobody acts on the room's owner.");
        if (targetRole == RoomRole.Moderator && !Owns(caller, session))
            return Forbidden("A moderator cannot act on another moderator; ask the owner.");
        return null;
    }

    /// <summary>Whether a ban in this room also takes the membership away: in a private room, yes.</summary>
    public static bool BanRemovesMembership(Room room) => room.IsPrivate;

    /// <summary>Joining with an invite while banned: refused; the caller's other refusals come from the invite itself.</summary>
    public static bool JoinRefusedForBan(RoomAccess access, RoomCaller caller, DateTimeOffset now) => ActiveBan(access, caller, now) is not null;

    public static RoomRefusal NeedsToken(string room) =>
        new(StatusCodes.Status401Unauthorized, "Session required",
            $"Room {room} is private: send your session token as 'Authorization: Bearer <token>' (POST /api/sessions).");

    public static RoomRefusal NotAMember(string room) =>
        new(StatusCodes.Status403Forbidden, "Not a member", $"Room {room} is private and you are not a member; ask a member for an invitation.");

    public static RoomRefusal Banned(RoomBan ban) =>
        new(StatusCodes.Status403Forbidden, "Banned", ban.Until is { } until
            ? $"You are banned from this room until {ChatTime.ToWire(until)}."
            : "You are banned from this room until a moderator lifts the ban.");

    private static RoomRefusal NotCreated() =>
        new(StatusCodes.Status404NotFound, "Not found", "Nobody created this room: it has no owner, members, invitations or moderation (POST /api/rooms creates one).");

    private static RoomRefusal Forbidden(string detail) => new(StatusCodes.Status403Forbidden, "Not allowed", detail);

    private static RoomRefusal NotFound(string detail) => new(StatusCodes.Status404NotFound, "Not found", detail);

    private static RoomRefusal Conflict(string detail) => new(StatusCodes.Status409Conflict, "Conflict", detail);
}
