using ChatDemo.Web.Chat;

namespace ChatDemo.Web.Rooms;

/// <summary>
/// Where protocol v1.2's rooms live (protocol.md section 11): created rooms, each user's standing
/// in a room (role, mute, ban: one record), invitation use counts, moderation records and read
/// positions. One contract, two engines, one shared contract suite (RoomStoreContract).
/// <para>
/// Every write that must be atomic is a single conditional write on a single record, so that
/// DynamoDB implements it with one conditional <c>PutItem</c>/<c>UpdateItem</c> and no
/// transactions: creating a room (its record, conditional on none; the owner's standing follows,
/// and <see cref="RoomPolicy.RoleOf(Room?, RoomStanding?, string)"/> reads the owner from the room's record, so a crash between
/// the two loses nothing), a role change and a removal (conditional on the role the caller's
/// check saw), a ban that removes the membership (one record), counting an invite's use
/// (conditional on the count below its maximum), moving a read position (conditional on it being
/// lower). Rules are decided by <see cref="RoomPolicy"/> before the write; the conditions make a
/// write fail instead of acting on a standing that changed since it was read.
/// </para>
/// </summary>
public interface IRoomStore
{
    /// <summary>
    /// Records a new room and its owner's standing (role <see cref="RoomRole.Owner"/>, joined at
    /// <see cref="Room.CreatedAt"/>), unless the room was created before or already has a stored
    /// message; then nothing is written.
    /// </summary>
    Task<RoomCreation> CreateRoomAsync(Room room, CancellationToken cancellationToken);

    /// <summary>The room's record (null for a room nobody created) and the user's standing in it (null when none), in one read.</summary>
    Task<RoomAccess> GetAccessAsync(string room, string userId, CancellationToken cancellationToken);

    /// <summary>The room with its activity; null for a room nobody created that has no stored message.</summary>
    Task<RoomSummary?> GetSummaryAsync(string room, CancellationToken cancellationToken);

    /// <summary>
    /// The rooms anyone may list: every created public room and every room nobody created that has
    /// a stored message; at most <paramref name="limit"/>, the most recently active first
    /// (<see cref="RoomSummary.LastMessageAt"/> descending, rooms without messages last, then by name).
    /// </summary>
    Task<IReadOnlyList<RoomSummary>> ListPublicRoomsAsync(int limit, CancellationToken cancellationToken);

    /// <summary>The rooms where the user holds a role (owner, moderator, member), public and private, each with that role, in any order.</summary>
    Task<IReadOnlyList<(RoomSummary Room, RoomRole Role)>> ListRoomsOfUserAsync(string userId, CancellationToken cancellationToken);

    /// <summary>The standings of the room that hold a role (owner included), in any order.</summary>
    Task<IReadOnlyList<RoomStanding>> ListMembersAsync(string room, CancellationToken cancellationToken);

    /// <summary>
    /// Gives <paramref name="user"/> <paramref name="role"/> in the room, joined at <paramref name="at"/>,
    /// unless they already hold a role (never lowered or raised by this call) or are banned at
    /// <paramref name="at"/>. Returns what happened and the standing after it. Keeps a mute.
    /// </summary>
    Task<(MemberAddition Outcome, RoomStanding Standing)> AddMemberAsync(string room, ChatUser user, RoomRole role, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>
    /// Changes the user's role from <paramref name="expected"/> to <paramref name="role"/>, keeping
    /// <see cref="RoomStanding.JoinedAt"/>; null (nothing written) when their role is not
    /// <paramref name="expected"/> any more, or they have none.
    /// </summary>
    Task<RoomStanding?> SetRoleAsync(string room, string userId, RoomRole expected, RoomRole role, CancellationToken cancellationToken);

    /// <summary>
    /// Takes the user's role away (a mute or ban stays); false (nothing written) when their role is
    /// not <paramref name="expected"/> any more, or they have none.
    /// </summary>
    Task<bool> RemoveMemberAsync(string room, string userId, RoomRole expected, CancellationToken cancellationToken);

    /// <summary>Mutes the user until <paramref name="until"/>, or lifts the mute when null; creates the standing when missing.</summary>
    Task MuteAsync(string room, string userId, string? name, DateTimeOffset? until, CancellationToken cancellationToken);

    /// <summary>
    /// Bans the user (creating the standing when missing), and with <paramref name="removeRole"/>
    /// takes their role away in the same write; false (nothing written) when their role is not
    /// <paramref name="expectedRole"/> (null: no role) any more.
    /// </summary>
    Task<bool> BanAsync(string room, string userId, string? name, RoomBan ban, bool removeRole, RoomRole? expectedRole, CancellationToken cancellationToken);

    /// <summary>Lifts a ban (nothing when there is none).</summary>
    Task UnbanAsync(string room, string userId, CancellationToken cancellationToken);

    /// <summary>
    /// Counts one use of invite <paramref name="inviteId"/> atomically: the use's number (1 for the
    /// first), or null (nothing counted) when <paramref name="maxUses"/> uses were counted before.
    /// Two racing for the last use: exactly one gets it. <paramref name="expiresAt"/> is the
    /// invite's own expiry; the count need not be kept after it.
    /// </summary>
    Task<int?> UseInviteAsync(string inviteId, string room, int? maxUses, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    Task AddModerationRecordAsync(ModerationRecord record, CancellationToken cancellationToken);

    /// <summary>
    /// The room's records, newest first (<see cref="ModerationRecord.At"/> descending, then
    /// <see cref="ModerationRecord.Id"/> descending), at most <paramref name="limit"/>.
    /// </summary>
    Task<IReadOnlyList<ModerationRecord>> ListModerationAsync(string room, int limit, CancellationToken cancellationToken);

    /// <summary>Moves the user's read position in the room forward to <paramref name="seq"/> (never back); returns the position after.</summary>
    Task<long> MarkReadAsync(string room, string userId, long seq, CancellationToken cancellationToken);

    /// <summary>The user's read positions in the given rooms; a room they never marked is absent.</summary>
    Task<IReadOnlyDictionary<string, long>> GetReadPositionsAsync(string userId, IReadOnlyCollection<string> rooms, CancellationToken cancellationToken);

    /// <summary>Throws when the store cannot be reached.</summary>
    Task CheckHealthAsync(CancellationToken cancellationToken);
}
