using ChatDemo.Web.Configuration;
using ChatDemo.Web.Http;
using Microsoft.Extensions.Options;

namespace ChatDemo.Web.ClientConfig;

public static class ConfigApi
{
    public const int ProtocolVersion = 1;

    public static IEndpointRouteBuilder MapClientConfig(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/config", GetConfig)
            .WithName("GetClientConfig")
            .WithTags("Config")
            .WithSummary("Where clients connect")
            .WithDescription("The WebSocket URL to open (with ?room=…&token=…) and the protocol version.")
            .Produces<ClientConfigView>()
            .RequireChatRateLimit(RateLimiting.Api);
        return routes;
    }

    private static ClientConfigView GetConfig(HttpRequest request, IOptions<ChatOptions> options) =>
        new(options.Value.WebSocketUrl ?? SameOriginWebSocketUrl(request), ProtocolVersion);

    private static string SameOriginWebSocketUrl(HttpRequest request)
    {
        var scheme = request.IsHttps ? "wss" : "ws";
        return $"{scheme}://{request.Host}{request.PathBase}/ws";
    }
}

/// <summary>What a client needs to connect.</summary>
/// <param name="WebSocketUrl">The WebSocket endpoint: this origin's /ws under Kestrel, the WebSocket API's URL on AWS.</param>
/// <param name="ProtocolVersion">The wire protocol version (1).</param>
public sealed record ClientConfigView(string WebSocketUrl, int ProtocolVersion);
