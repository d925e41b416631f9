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

    /// <summary>
    /// Wraps the registered store, whichever engine it is, in <see cref="InstrumentedChatStore"/>:
    /// called once the store is registered.
    /// </summary>
    public static IServiceCollection AddChatStoreTelemetry(this IServiceCollection services)
    {
        var engine = services.LastOrDefault(d => d.ServiceType == typeof(IChatStore))
            ?? throw new InvalidOperationException("AddChatStoreTelemetry needs a store registered first.");
        services.Remove(engine);
        services.AddSingleton<IChatStore>(provider => new InstrumentedChatStore(
            Resolve(engine, provider), provider.GetRequiredService<ChatMetrics>(), provider.GetRequiredService<TimeProvider>()));
        return services;
    }

    private static IChatStore Resolve(ServiceDescriptor engine, IServiceProvider provider) => (IChatStore)(
        engine.ImplementationInstance
        ?? engine.ImplementationFactory?.Invoke(provider)
        ?? ActivatorUtilities.CreateInstance(provider, engine.ImplementationType!));
}
