using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using ChatDemo.Web.Configuration;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace ChatDemo.Web.Http;

/// <summary>
/// The framework's rate limiter on the REST API: one token bucket per client address and policy
/// (<c>Chat__RateLimits__…</c>), answering 429 problem+json with <c>Retry-After</c>. The address is
/// the connection's, or the one a configured proxy forwarded (<see cref="ForwardedHeadersExtensions"/> runs first).
/// </summary>
public static class RateLimiting
{
    /// <summary><c>POST /api/sessions</c>.</summary>
    public const string Sessions = "sessions";

    /// <summary>The REST reads: history, presence, config.</summary>
    public const string Api = "api";

    public static IServiceCollection AddChatRateLimiting(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<ChatOptions>>((limiter, chat) =>
        {
            var limits = chat.Value.RateLimits;
            limiter.AddPolicy(Sessions, context => PerClientAddress(context, limits.SessionsBurst, limits.SessionsPerMinute));
            limiter.AddPolicy(Api, context => PerClientAddress(context, limits.ApiBurst, limits.ApiPerMinute));
            limiter.OnRejected = RejectAsync;
        });
        return services;
    }

    /// <summary>Limits the endpoint with <paramref name="policy"/> and says so in the OpenAPI document.</summary>
    public static RouteHandlerBuilder RequireChatRateLimit(this RouteHandlerBuilder endpoint, string policy) =>
        endpoint.RequireRateLimiting(policy).ProducesProblem(StatusCodes.Status429TooManyRequests);

    private static RateLimitPartition<string> PerClientAddress(HttpContext context, int burst, int perMinute)
    {
        // No address means no network peer (an in-memory test host); there is nobody to tell apart.
        if (ClientKey(context.Connection.RemoteIpAddress) is not { } key) return RateLimitPartition.GetNoLimiter("");
        return RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = burst,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = TimeSpan.FromMinutes(1) / perMinute,
            QueueLimit = 0,
        });
    }

    // One IPv6 host usually owns a whole /64, and picks a new address in it at will; its
    // requests count as one client's. IPv4 addresses mapped into IPv6 count as the IPv4 address.
    private static string? ClientKey(IPAddress? address)
    {
        if (address is null) return null;
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Type = "https://tools.ietf.org/html/rfc6585#section-4",
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests",
                Detail = $"Too many requests to {context.Request.Path} from this address; retry after {seconds} s (Retry-After).",
            },
        });
    }
}
