using System.Text.Json.Serialization;
using ChatDemo.Web.Chat;

namespace ChatDemo.Web.Rooms;

/// <summary>A user as the rooms API shows one.</summary>
/// <param name="Id">The user id (<c>u_…</c>).</param>
/// <param name="Name">The display name; absent when the room never saw it.</param>
public sealed record UserView(string Id, string? Name)
{
    public static UserView Of(ChatUser user) => new(user.Id, user.Name);
}

/// <summary>A room (protocol.md 11.1).</summary>
/// <param name="Room">The room's name.</param>
/// <param name="Title">Its title, when it has one.</param>
/// <param name="Visibility"><c>public</c> or <c>private</c>; a room nobody created is public.</param>
/// <param name="Owner">Its owner; null for a room nobody created.</param>
/// <param name="CreatedAt">When it was created; absent for a room nobody created.</param>
/// <param name="Online">How many users have a connection in it now.</param>
/// <param name="LastMessageAt">When its newest message was sent; null when it has none.</param>
/// <param name="Unread">Messages after the caller's read position; only when the caller marked the room read before.</param>
/// <param name="Role">The caller's role (<c>owner</c>, <c>moderator</c>, <c>member</c>); absent when none.</param>
/// <param name="Ban">
/// <c>GET /api/rooms/{room}</c> only: the caller's ban from the room when they are banned now (their
/// upgrades are refused with 403 <c>Banned</c>, which a browser cannot read); absent otherwise.
/// </param>
public sealed record RoomView(
    string Room,
    string? Title,
    string Visibility,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] UserView? Owner,
    DateTimeOffset? CreatedAt,
    int Online,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] DateTimeOffset? LastMessageAt,
    long? Unread,
    string? Role,
    BanView? Ban = null)
{
    public static RoomView Of(RoomSummary summary, int online, long? readPosition, RoomRole? role, RoomBan? ban = null) => new(
        summary.Name,
        summary.Created?.Title,
        RoomRules.VisibilityName(summary.Created?.Visibility ?? RoomVisibility.Public),
        summary.Created is { } created ? UserView.Of(created.Owner) : null,
        summary.Created?.CreatedAt,
        online,
        summary.LastMessageAt,
        readPosition is { } position ? Math.Max(0, summary.LastSeq - position) : null,
        role is { } r ? RoomRules.RoleName(r) : null,
        ban is null ? null : new BanView(ban.At, ban.Until));
}

/// <summary>The caller's own ban, in the room object.</summary>
/// <param name="At">When it was made.</param>
/// <param name="Until">When it ends; absent for a ban for good (until an unban).</param>
public sealed record BanView(DateTimeOffset At, DateTimeOffset? Until);

/// <summary>The rooms the caller may see (<c>GET /api/rooms</c>).</summary>
public sealed record RoomListView(IReadOnlyList<RoomView> Rooms);

/// <summary>A member of a room (protocol.md 11.4).</summary>
/// <param name="Id">The user id.</param>
/// <param name="Name">The display name.</param>
/// <param name="Role"><c>owner</c>, <c>moderator</c> or <c>member</c>.</param>
/// <param name="JoinedAt">When they got a role in the room.</param>
/// <param name="Online">Whether they have a connection in the room now.</param>
/// <param name="MutedUntil">When their mute ends, while they are muted; absent otherwise (the room is told of mutes anyway, by <c>member</c> frames).</param>
public sealed record MemberView(string Id, string? Name, string Role, DateTimeOffset? JoinedAt, bool Online, DateTimeOffset? MutedUntil)
{
    public static MemberView Of(RoomStanding standing, RoomRole role, bool online, DateTimeOffset now) =>
        new(standing.UserId, standing.Name, RoomRules.RoleName(role), standing.JoinedAt, online,
            role != RoomRole.Owner && standing.MutedUntil is { } until && until > now ? until : null);
}

/// <summary>A room's members: owner first, then moderators, then members, each by when they joined.</summary>
public sealed record MemberListView(string Room, IReadOnlyList<MemberView> Members);

/// <summary>A new invitation (protocol.md 11.5).</summary>
/// <param name="Invite">The opaque signed token to send to <c>POST /api/rooms/{room}/join</c>.</param>
/// <param name="Room">The room it admits to.</param>
/// <param name="ExpiresAt">When it stops admitting.</param>
/// <param name="MaxUses">How many people it admits; absent for any number.</param>
/// <param name="Url">The page's link that joins with it: <c>{origin}/?room={room}&amp;invite={token}</c>.</param>
public sealed record InviteView(string Invite, string Room, DateTimeOffset ExpiresAt, int? MaxUses, string Url);

/// <summary>A moderation record (protocol.md 11.6).</summary>
/// <param name="Id">The record's id.</param>
/// <param name="Room">The room.</param>
/// <param name="Action"><c>mute</c>, <c>unmute</c>, <c>kick</c>, <c>ban</c>, <c>unban</c>, <c>remove</c> or <c>role</c>.</param>
/// <param name="By">Who acted.</param>
/// <param name="User">On whom (the name when known).</param>
/// <param name="At">When.</param>
/// <param name="Until">When a mute or ban ends; absent for good or not applicable.</param>
/// <param name="Reason">The reason given, if any.</param>
/// <param name="Role">The new role of a <c>role</c> record.</param>
public sealed record ModerationView(string Id, string Room, string Action, UserView By, UserView User, DateTimeOffset At,
    DateTimeOffset? Until, string? Reason, string? Role)
{
    public static ModerationView Of(ModerationRecord r) => new(r.Id, r.Room, r.Action, UserView.Of(r.By), new UserView(r.UserId, r.UserName),
        r.At, r.Until, r.Reason, r.Role is { } role ? RoomRules.RoleName(role) : null);
}

/// <summary>A room's moderation records, newest first.</summary>
public sealed record ModerationListView(string Room, IReadOnlyList<ModerationView> Records);

/// <summary>The body of <c>POST /api/rooms</c>.</summary>
/// <param name="Room">The new room's name: 1-64 of A-Z a-z 0-9 _ -.</param>
/// <param name="Visibility"><c>public</c> (the default) or <c>private</c>.</param>
/// <param name="Title">An optional title, 1-80 characters on one line.</param>
public sealed record CreateRoomRequest(string Room, string? Visibility, string? Title);

/// <summary>The body of <c>PUT /api/rooms/{room}/members/{userId}</c>.</summary>
/// <param name="Role"><c>moderator</c> or <c>member</c>.</param>
public sealed record SetRoleRequest(string Role);

/// <summary>The body of <c>POST /api/rooms/{room}/invites</c>; <c>{}</c> takes the defaults.</summary>
/// <param name="ExpiresInSeconds">60 to 2,592,000 (30 days); default 604,800 (7 days).</param>
/// <param name="MaxUses">1 to 10,000; absent for any number.</param>
public sealed record CreateInviteRequest(long? ExpiresInSeconds, int? MaxUses);

/// <summary>The body of <c>POST /api/rooms/{room}/join</c>.</summary>
/// <param name="Invite">The invitation token.</param>
public sealed record JoinRequest(string Invite);

/// <summary>The body of <c>POST /api/rooms/{room}/moderation</c>.</summary>
/// <param name="Action"><c>mute</c>, <c>unmute</c>, <c>kick</c>, <c>ban</c> or <c>unban</c>.</param>
/// <param name="UserId">Whom to act on.</param>
/// <param name="DurationSeconds">1 to 31,536,000: required for mute; for ban, absent means for good.</param>
/// <param name="Reason">An optional reason, 1-200 characters on one line.</param>
public sealed record ModerationRequest(string Action, string UserId, long? DurationSeconds, string? Reason);

/// <summary>The body of <c>PUT /api/rooms/{room}/read</c>.</summary>
/// <param name="Seq">The highest seq the caller has seen; the position never moves back.</param>
public sealed record ReadRequest(long Seq);
