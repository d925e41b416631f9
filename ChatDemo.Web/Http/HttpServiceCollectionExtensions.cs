using System.Text.Json.Serialization;
using ChatDemo.Web.Chat;
using Microsoft.AspNetCore.Http.Features;

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
        services.AddProblemDetails(problems => problems.CustomizeProblemDetails = context =>
            context.ProblemDetails.Detail ??= DefaultDetail(context.ProblemDetails.Status, context.HttpContext.Request));
        return services;
    }

    // Problems the framework writes itself (routing's 404 and 405, the exception handler's 500)
    // carry no detail; protocol.md section 6 promises a useful one on every error.
    private static string DefaultDetail(int? status, HttpRequest request) => status switch
    {
        StatusCodes.Status404NotFound => $"There is nothing at {request.Path}; the API is described at /swagger.",
        StatusCodes.Status405MethodNotAllowed => $"{request.Method} is not allowed on {request.Path}; the API is described at /swagger.",
        StatusCodes.Status500InternalServerError => "The server failed to handle the request; try again later.",
        _ => $"The request to {request.Path} failed with status {status}.",
    };

    /// <summary>Unhandled exceptions and bare status codes (404, 405) answer problem+json too.</summary>
    /// <remarks>
    /// Not for WebSocket upgrades: both middlewares are async, and a WebSocket request stays inside
    /// them for the life of its connection, ~0.25 KB of state per idle connection. <c>/ws</c>
    /// answers each refusal with problem+json itself; <c>UseWhen</c> decides without an async frame.
    /// </remarks>
    public static WebApplication UseChatErrors(this WebApplication app)
    {
        app.UseWhen(context => context.Features.Get<IHttpUpgradeFeature>() is not { IsUpgradableRequest: true }, errors =>
        {
            errors.UseExceptionHandler();
            errors.UseStatusCodePages();
        });
        return app;
    }
}
