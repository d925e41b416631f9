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
        // Answers the framework writes itself (no route, wrong method, wrong content type) carry no
        // detail of their own; protocol.md section 6 wants a useful one on every error.
        services.AddProblemDetails(problems => problems.CustomizeProblemDetails = context =>
            context.ProblemDetails.Detail ??= Problems.DefaultDetail(context.ProblemDetails.Status));
        // The session token rides in /ws's query string (a browser cannot set headers on a
        // WebSocket upgrade), and ASP.NET Core's "Request starting/finished" lines print the whole
        // URL at Information. That category stays at warnings, whatever Logging:LogLevel says,
        // so no token reaches a log (SecurityTests checks every category at Debug).
        services.AddLogging(logging => logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning));
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
