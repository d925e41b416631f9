using System.Text.Json.Serialization;
using ChatDemo.Web.Chat;

namespace ChatDemo.Web.Http;

public static class HttpServiceCollectionExtensions
{
    /// <summary>JSON in camelCase with protocol times, and problem+json for every error.</summary>
    public static IServiceCollection AddChatHttp(this IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
            json.SerializerOptions.Converters.Add(new ChatTimeJsonConverter());
        });
        services.AddProblemDetails();
        return services;
    }

    /// <summary>Unhandled exceptions and bare status codes (404, 405) answer problem+json too.</summary>
    public static WebApplication UseChatErrors(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        return app;
    }
}
