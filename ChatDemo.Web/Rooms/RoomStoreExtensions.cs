using ChatDemo.Web.Chat;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ChatDemo.Web.Rooms;

public static class RoomStoreExtensions
{
    /// <summary>
    /// Registers the room store an engine builds, observed (<see cref="InstrumentedRoomStore"/>)
    /// exactly as <see cref="ChatStoreExtensions.AddChatStore"/> observes the chat store.
    /// </summary>
    public static IServiceCollection AddRoomStore(this IServiceCollection services, Func<IServiceProvider, IRoomStore> create)
    {
        services.TryAddSingleton<StoreCallObserver>();
        services.AddSingleton<IRoomStore>(sp => new InstrumentedRoomStore(create(sp), sp.GetRequiredService<StoreCallObserver>()));
        return services;
    }
}
