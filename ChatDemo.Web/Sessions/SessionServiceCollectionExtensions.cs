using ChatDemo.Web.Configuration;
using Microsoft.Extensions.Options;

namespace ChatDemo.Web.Sessions;

public static class SessionServiceCollectionExtensions
{
    public static IServiceCollection AddSessions(this IServiceCollection services)
    {
        services.AddSingleton(SigningKey.Resolve);
        services.AddSingleton(sp => new SessionTokens(sp.GetRequiredService<SigningKey>(), sp.GetRequiredService<TimeProvider>(),
            acceptGuests: sp.GetRequiredService<IOptions<ChatOptions>>().Value.Auth.Guests));
        services.AddSingleton<WebSocketHandshake>();
        // The host's request lines ("Request starting GET /ws?room=…&token=…") carry the session
        // token in the query string; a token must never reach a log, whatever level is configured.
        // Off entirely rather than at Warning: while this category is enabled at any level the host
        // gives every request an Activity and a logging scope, which a WebSocket keeps for the life
        // of its connection (~0.5 KB per idle connection, docs/benchmarks.md). What else the host
        // logs here, a failed start, still ends the process with the exception on stderr.
        services.AddLogging(logging => logging.AddFilter(TokenBearingCategory, LogLevel.None));
        return services;
    }

    private const string TokenBearingCategory = "Microsoft.AspNetCore.Hosting.Diagnostics";
}
