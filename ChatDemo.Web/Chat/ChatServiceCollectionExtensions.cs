using ChatDemo.Web.Telemetry;

namespace ChatDemo.Web.Chat;

public static class ChatServiceCollectionExtensions
{
    public static IServiceCollection AddChat(this IServiceCollection services)
    {
        services.AddSingleton<RoomLocks>();
        services.AddSingleton<MessageAppender>();
        services.AddSingleton<ChatService>();
        return services;
    }
}
