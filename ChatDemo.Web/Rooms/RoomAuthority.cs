using System.Collections.Concurrent;
using ChatDemo.Web.Chat;

namespace ChatDemo.Web.Rooms;

/// <summary>
/// The chat core's <see cref="IRoomAuthority"/>: one read of the room's record and the user's
/// standing, judged by <see cref="RoomPolicy.Rights"/>. An upgrade always reads the store. A frame
/// may use what was read for the same user and room within the last second, so a busy sender
/// costs one store read a second rather than one per frame; every change made through this
/// process (<see cref="RoomAnnouncer"/>, a room's creation) calls <see cref="Forget"/>, so under
/// Kestrel a mute applies to the very next frame, and on AWS within a second on other instances.
/// </summary>
public sealed class RoomAuthority(IRoomStore store, TimeProvider time) : IRoomAuthority
{
    private static readonly TimeSpan Fresh = TimeSpan.FromSeconds(1);

    // Past this many entries, expired ones are swept before another is added: memory stays
    // bounded by the users who sent within the last second.
    private const int SweepAbove = 10_000;

    private readonly ConcurrentDictionary<(string Room, string UserId), Entry> _recent = new();
    private long _generation;

    public async ValueTask<RoomRights> GetRightsAsync(string room, ChatUser user, bool admin, CancellationToken cancellationToken) =>
        RoomPolicy.Rights(await ReadAsync(room, user.Id, cancellationToken), new RoomCaller(user.Id, admin), time.GetUtcNow());

    public async ValueTask<RoomRights> GetFrameRightsAsync(string room, ChatUser user, bool admin, CancellationToken cancellationToken)
    {
        var now = time.GetTimestamp();
        var access = _recent.TryGetValue((room, user.Id), out var entry)
                     && entry.Generation == Volatile.Read(ref _generation)
                     && time.GetElapsedTime(entry.ReadAt, now) < Fresh
            ? entry.Access
            : await ReadAsync(room, user.Id, cancellationToken);
        return RoomPolicy.Rights(access, new RoomCaller(user.Id, admin), time.GetUtcNow());
    }

    /// <summary>Something changed (a role, a mute, a ban, a room): nothing read before is used again.</summary>
    public void Forget() => Interlocked.Increment(ref _generation);

    private async Task<RoomAccess> ReadAsync(string room, string userId, CancellationToken cancellationToken)
    {
        // The generation is taken before the read: a change made while it runs makes the entry stale at once.
        var generation = Volatile.Read(ref _generation);
        var readAt = time.GetTimestamp();
        var access = await store.GetAccessAsync(room, userId, cancellationToken);
        if (_recent.Count > SweepAbove) Sweep(readAt);
        _recent[(room, userId)] = new Entry(access, readAt, generation);
        return access;
    }

    private void Sweep(long now)
    {
        foreach (var (key, entry) in _recent)
        {
            if (time.GetElapsedTime(entry.ReadAt, now) >= Fresh) _recent.TryRemove(key, out _);
        }
    }

    private sealed record Entry(RoomAccess Access, long ReadAt, long Generation);
}
