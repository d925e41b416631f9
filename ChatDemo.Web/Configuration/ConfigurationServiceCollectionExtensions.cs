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
                // A JSON array in appsettings binds to children, not to the string value.
                var array = configuration.GetSection("Chat:AllowedOrigins").GetChildren().Select(c => c.Value).OfType<string>().ToArray();
                if (array.Length > 0) options.AllowedOrigins = string.Join(',', array);
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ChatOptions>, ChatOptionsValidator>();
        return services;
    }
}
