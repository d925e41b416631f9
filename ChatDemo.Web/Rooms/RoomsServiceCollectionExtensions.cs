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
        services.AddSingleton<RoomAuthority>();
        services.AddSingleton<IRoomAuthority>(sp => sp.GetRequiredService<RoomAuthority>());
        services.AddSingleton<RoomAnnouncer>();
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
}
