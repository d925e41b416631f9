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
            .WithSummary("Where clients connect and how they sign in")
            .WithDescription("The WebSocket URL to open (with ?room=…&token=…), the protocol version, whether guest sessions are allowed " +
                             "and, when an OpenID Connect provider is configured, its authority, the page's public client id and the scope.")
            .Produces<ClientConfigView>()
            .RequireChatRateLimit(RateLimiting.Api);
        return routes;
    }

    private static ClientConfigView GetConfig(HttpRequest request, IOptions<ChatOptions> options) =>
        new(options.Value.WebSocketUrl ?? SameOriginWebSocketUrl(request), ProtocolVersion, SignIn(options.Value.Auth));

    private static AuthConfigView SignIn(AuthOptions auth) =>
        new(auth.Guests, auth.OidcEnabled ? new OidcConfigView(auth.Oidc.Authority!, auth.Oidc.ClientId!, auth.Oidc.Scope) : null);

    private static string SameOriginWebSocketUrl(HttpRequest request)
    {
        var scheme = request.IsHttps ? "wss" : "ws";
        return $"{scheme}://{request.Host}{request.PathBase}/ws";
    }
}

/// <summary>What a client needs to connect.</summary>
/// <param name="WebSocketUrl">The WebSocket endpoint: this origin's /ws under Kestrel, the WebSocket API's URL on AWS.</param>
/// <param name="ProtocolVersion">The wire protocol version (1).</param>
/// <param name="Auth">How to get a session.</param>
public sealed record ClientConfigView(string WebSocketUrl, int ProtocolVersion, AuthConfigView Auth);

/// <summary>How to get a session: as a guest, with the provider, or either.</summary>
/// <param name="Guests">Whether <c>POST /api/sessions</c> with a name is allowed.</param>
/// <param name="Oidc">The OpenID Connect provider to sign in with; absent when there is none.</param>
public sealed record AuthConfigView(bool Guests, OidcConfigView? Oidc);

/// <summary>Where and as whom the page signs in (authorization code flow with PKCE; a public client, no secret exists).</summary>
/// <param name="Authority">The provider's issuer URL; its discovery document is at <c>{authority}/.well-known/openid-configuration</c>.</param>
/// <param name="ClientId">The page's client id at the provider.</param>
/// <param name="Scope">The scope to ask for.</param>
public sealed record OidcConfigView(string Authority, string ClientId, string Scope);
