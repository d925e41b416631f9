using ChatDemo.Web.Chat;
using ChatDemo.Web.Sessions;

namespace ChatDemo.Web.Rooms;

public static class RoomsServiceCollectionExtensions
{
    /// <summary>
    /// Protocol v1.2's rooms over whichever <see cref="IRoomStore"/> the store engine registered
    /// (<see cref="RoomStoreExtensions.AddRoomStore"/>), and the chat core's <see cref="IRoomAuthority"/>.
    /// </summary>
    public static IServiceCollection AddRooms(this IServiceCollection services)
    {
        services.AddSingleton(sp => new InviteTokens(sp.GetRequiredService<SigningKey>().Bytes));
        // Built on first use, not validated at start: a hosting mode whose store or fan-out has no
        // room support yet still starts, and only the rooms API fails (see WithoutRoomStore).
        services.AddSingleton(sp => new RoomAnnouncer(sp.GetRequiredService<IRoomStore>(), sp.GetRequiredService<IRoomFanOut>(),
            sp.GetRequiredService<IRoomConnectionCloser>(), sp.GetRequiredService<IRoomAuthority>() as RoomAuthority,
            sp.GetRequiredService<ILogger<RoomAnnouncer>>()));
        services.AddSingleton<IRoomAuthority>(sp =>
        {
            if (sp.GetService<IRoomStore>() is { } store) return new RoomAuthority(store, sp.GetRequiredService<TimeProvider>());
            // A store engine without rooms yet (the transition while DynamoDB's room store is
            // built): rooms nobody created work as in v1, and the rooms API fails loudly.
            RoomsLog.NoRoomStore(sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RoomsServiceCollectionExtensions).FullName!));
            return new WithoutRoomStore();
        });
        return services;
    }

    /// <summary>
    /// The rooms API: <c>/api/rooms</c>, and under <paramref name="rooms"/> (<c>/api/rooms/{room}</c>)
    /// the access check of every room endpoint (history and presence included) and the room's own endpoints.
    /// </summary>
    public static RouteGroupBuilder MapRooms(this IEndpointRouteBuilder routes, RouteGroupBuilder rooms)
    {
        routes.MapRoomList();
        return rooms.RequireRoomAccess().MapRoom().MapMembers().MapInvites().MapModeration();
    }

    private sealed class WithoutRoomStore : IRoomAuthority
    {
        public ValueTask<RoomRights> GetRightsAsync(string room, ChatUser user, bool admin, CancellationToken cancellationToken) =>
            ValueTask.FromResult(RoomRights.Everyone);
    }
}
