namespace ChatDemo.Web.Sessions;

public static class SessionServiceCollectionExtensions
{
    public static IServiceCollection AddSessions(this IServiceCollection services)
    {
        services.AddSingleton(SigningKey.Resolve);
        services.AddSingleton<SessionTokens>();
        services.AddSingleton<WebSocketHandshake>();
        // The host's request lines ("Request starting GET /ws?room=…&token=…") carry the session
        // token in the query string; a token must never reach a log, whatever level is configured.
        services.AddLogging(logging => logging.AddFilter(TokenBearingCategory, LogLevel.Warning));
        return services;
    }

    private const string TokenBearingCategory = "Microsoft.AspNetCore.Hosting.Diagnostics";
}
