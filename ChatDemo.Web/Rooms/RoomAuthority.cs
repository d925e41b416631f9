using ChatDemo.Web.Chat;

namespace ChatDemo.Web.Rooms;

/// <summary>
/// The chat core's <see cref="IRoomAuthority"/>: one read of the room's record and the user's
/// standing, judged by <see cref="RoomPolicy.Rights"/>. Read on every frame that writes and on
/// every upgrade, so a mute, ban or removal applies to the very next frame or connection.
/// </summary>
public sealed class RoomAuthority(IRoomStore store, TimeProvider time) : IRoomAuthority
{
    public async ValueTask<RoomRights> GetRightsAsync(string room, ChatUser user, bool admin, CancellationToken cancellationToken)
    {
        var access = await store.GetAccessAsync(room, user.Id, cancellationToken);
        return RoomPolicy.Rights(access, new RoomCaller(user.Id, admin), time.GetUtcNow());
    }
}
