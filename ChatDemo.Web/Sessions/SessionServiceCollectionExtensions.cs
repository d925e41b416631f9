namespace ChatDemo.Web.Sessions;

public static class SessionServiceCollectionExtensions
{
    public static IServiceCollection AddSessions(this IServiceCollection services)
    {
        services.AddSingleton(SigningKey.Resolve);
        services.AddSingleton<SessionTokens>();
        return services;
    }
}
