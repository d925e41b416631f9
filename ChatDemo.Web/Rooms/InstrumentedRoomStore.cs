using ChatDemo.Web.Chat;

namespace ChatDemo.Web.Rooms;

/// <summary>Any room store, observed like the chat store (<see cref="StoreCallObserver"/>): a span and a duration per call.</summary>
public sealed class InstrumentedRoomStore(IRoomStore inner, StoreCallObserver observer) : IRoomStore
{
    public Task<RoomCreation> CreateRoomAsync(Room room, CancellationToken cancellationToken) =>
        observer.ObserveAsync("create_room", room.Name, () => inner.CreateRoomAsync(room, cancellationToken));

    public Task<RoomAccess> GetAccessAsync(string room, string userId, CancellationToken cancellationToken) =>
        observer.ObserveAsync("get_room_access", room, () => inner.GetAccessAsync(room, userId, cancellationToken));

    public Task<RoomSummary?> GetSummaryAsync(string room, CancellationToken cancellationToken) =>
        observer.ObserveAsync("get_room_summary", room, () => inner.GetSummaryAsync(room, cancellationToken));

    public Task<IReadOnlyList<RoomSummary>> ListPublicRoomsAsync(int limit, CancellationToken cancellationToken) =>
        observer.ObserveAsync("list_public_rooms", null, () => inner.ListPublicRoomsAsync(limit, cancellationToken));

    public Task<IReadOnlyList<(RoomSummary Room, RoomRole Role)>> ListRoomsOfUserAsync(string userId, CancellationToken cancellationToken) =>
        observer.ObserveAsync("list_rooms_of_user", null, () => inner.ListRoomsOfUserAsync(userId, cancellationToken));

    public Task<IReadOnlyList<RoomStanding>> ListMembersAsync(string room, CancellationToken cancellationToken) =>
        observer.ObserveAsync("list_members", room, () => inner.ListMembersAsync(room, cancellationToken));

    public Task<(MemberAddition Outcome, RoomStanding Standing)> AddMemberAsync(string room, ChatUser user, RoomRole role, DateTimeOffset at, CancellationToken cancellationToken) =>
        observer.ObserveAsync("add_member", room, () => inner.AddMemberAsync(room, user, role, at, cancellationToken));

    public Task<RoomStanding?> SetRoleAsync(string room, string userId, RoomRole expected, RoomRole role, CancellationToken cancellationToken) =>
        observer.ObserveAsync("set_role", room, () => inner.SetRoleAsync(room, userId, expected, role, cancellationToken));

    public Task<bool> RemoveMemberAsync(string room, string userId, RoomRole expected, CancellationToken cancellationToken) =>
        observer.ObserveAsync("remove_member", room, () => inner.RemoveMemberAsync(room, userId, expected, cancellationToken));

    public Task MuteAsync(string room, string userId, string? name, DateTimeOffset? until, CancellationToken cancellationToken) =>
        observer.ObserveAsync("mute", room, async () =>
        {
            await inner.MuteAsync(room, userId, name, until, cancellationToken);
            return true;
        });

    public Task<bool> BanAsync(string room, string userId, string? name, RoomBan ban, bool removeRole, RoomRole? expectedRole, CancellationToken cancellationToken) =>
        observer.ObserveAsync("ban", room, () => inner.BanAsync(room, userId, name, ban, removeRole, expectedRole, cancellationToken));

    public Task UnbanAsync(string room, string userId, CancellationToken cancellationToken) =>
        observer.ObserveAsync("unban", room, async () =>
        {
            await inner.UnbanAsync(room, userId, cancellationToken);
            return true;
        });

    public Task<int?> UseInviteAsync(string inviteId, string room, int? maxUses, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        observer.ObserveAsync("use_invite", room, () => inner.UseInviteAsync(inviteId, room, maxUses, expiresAt, cancellationToken));

    public Task AddModerationRecordAsync(ModerationRecord record, CancellationToken cancellationToken) =>
        observer.ObserveAsync("add_moderation_record", record.Room, async () =>
        {
            await inner.AddModerationRecordAsync(record, cancellationToken);
            return true;
        });

    public Task<IReadOnlyList<ModerationRecord>> ListModerationAsync(string room, int limit, CancellationToken cancellationToken) =>
        observer.ObserveAsync("list_moderation", room, () => inner.ListModerationAsync(room, limit, cancellationToken));

    public Task<long> MarkReadAsync(string room, string userId, long seq, CancellationToken cancellationToken) =>
        observer.ObserveAsync("mark_read", room, () => inner.MarkReadAsync(room, userId, seq, cancellationToken));

    public Task<IReadOnlyDictionary<string, long>> GetReadPositionsAsync(string userId, IReadOnlyCollection<string> rooms, CancellationToken cancellationToken) =>
        observer.ObserveAsync("get_read_positions", null, () => inner.GetReadPositionsAsync(userId, rooms, cancellationToken));

    public Task CheckHealthAsync(CancellationToken cancellationToken) =>
        observer.ObserveAsync("check_room_health", null, async () =>
        {
            await inner.CheckHealthAsync(cancellationToken);
            return true;
        });
}
