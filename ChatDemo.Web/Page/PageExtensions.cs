using ChatDemo.Web.Accounts;
using ChatDemo.Web.Configuration;
using Microsoft.Extensions.Options;

namespace ChatDemo.Web.Page;

/// <summary>Serves the chat page (<c>wwwroot/</c>) at <c>/</c> with its security headers.</summary>
public static class PageExtensions
{
    public static WebApplication UseChatPage(this WebApplication app)
    {
        // Not async: a WebSocket request stays inside every async middleware for the whole life
        // of its connection, and each one keeps a state machine per connection.
        app.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            if (!context.Request.Path.StartsWithSegments("/swagger"))
            {
                var options = context.RequestServices.GetRequiredService<IOptions<ChatOptions>>().Value;
                var provider = context.RequestServices.GetRequiredService<ProviderTokenValidator>();
                headers.ContentSecurityPolicy = ContentSecurityPolicy(options.WebSocketUrl, provider.PageFetchOrigins);
                headers.XFrameOptions = "DENY";
            }
            return next(context);
        });
        app.UseDefaultFiles();
        app.UseStaticFiles(new StaticFileOptions
        {
            // The page is a set of ES modules that must come from the same version: revalidate
            // each file (a 304 by ETag when unchanged) rather than let a browser's heuristic
            // freshness mix an old module with a new one after a deployment.
            OnPrepareResponse = context => context.Context.Response.Headers.CacheControl = "no-cache",
        });
        return app;
    }

    // No inline script or style anywhere; the WebSocket may live on another origin (AWS mode), and
    // signing in fetches the provider's discovery document and token endpoint (going to its
    // sign-in page is a navigation, which connect-src does not govern).
    private static string ContentSecurityPolicy(string? webSocketUrl, IReadOnlyList<string> providerOrigins)
    {
        var connect = "'self' ws: wss:";
        if (webSocketUrl is not null && Uri.TryCreate(webSocketUrl, UriKind.Absolute, out var uri))
            connect = $"'self' {uri.GetLeftPart(UriPartial.Authority)}";
        if (providerOrigins.Count > 0) connect += " " + string.Join(' ', providerOrigins);
        return $"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src {connect}; " +
               "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    }
}
