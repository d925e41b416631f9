using Microsoft.Extensions.Options;

namespace ChatDemo.Web.Configuration;

public static class ConfigurationServiceCollectionExtensions
{
    /// <summary>Binds the <c>Chat</c> section and validates it when the app starts.</summary>
    public static IServiceCollection AddChatOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ChatOptions>()
            .Bind(configuration.GetSection(ChatOptions.SectionName))
            .PostConfigure(options =>
            {
                options.AllowedOrigins = JoinedArray("Chat:AllowedOrigins") ?? options.AllowedOrigins;
                options.ForwardedHeaders.KnownProxies = JoinedArray("Chat:ForwardedHeaders:KnownProxies") ?? options.ForwardedHeaders.KnownProxies;
                options.ForwardedHeaders.KnownNetworks = JoinedArray("Chat:ForwardedHeaders:KnownNetworks") ?? options.ForwardedHeaders.KnownNetworks;
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ChatOptions>, ChatOptionsValidator>();
        services.AddSingleton<IValidateOptions<ChatOptions>, ClientAddressOptionsValidator>();
        return services;

        // A JSON array in appsettings binds to children, not to the string value.
        string? JoinedArray(string key)
        {
            var array = configuration.GetSection(key).GetChildren().Select(c => c.Value).OfType<string>().ToArray();
            return array.Length > 0 ? string.Join(',', array) : null;
        }
    }
}
