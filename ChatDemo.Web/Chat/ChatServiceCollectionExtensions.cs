using ChatDemo.Web.Configuration;
using Microsoft.Extensions.Options;

namespace ChatDemo.Web.Chat;

public static class ChatServiceCollectionExtensions
{
    public static IServiceCollection AddChat(this IServiceCollection services)
    {
        services.AddSingleton<RoomLocks>();
        services.AddSingleton(sp => new SendBudgets(sp.GetRequiredService<IOptions<ChatOptions>>().Value.Limits, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<MessageAppender>();
        services.AddSingleton<ChatService>();
        return services;
    }
}
