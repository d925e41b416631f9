using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using ChatDemo.Web.Lambda;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ChatDemo.Web.Tests.Lambda;

/// <summary>
/// Test-only middleware placed before the app's pipeline: an echo of the request as the app sees
/// it (for the recorded events, whose paths the app does not serve), a handler that throws, an
/// oversized and a binary response, and a stand-in for the internal delivery endpoint that
/// records every request reaching it. The WebSocket route is left to the real app.
/// </summary>
public sealed class TestEndpoints : IStartupFilter
{
    public static readonly byte[] BinaryBody = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();

    private readonly ConcurrentQueue<(bool HasDirectInvocationFeature, string Body)> _deliverHits = new();

    /// <summary>Every request that reached <see cref="InternalRoutes.Deliver"/>, whatever carried it.</summary>
    public IReadOnlyList<(bool HasDirectInvocationFeature, string Body)> DeliverHits => _deliverHits.ToArray();

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, nextMiddleware) =>
        {
            var path = context.Request.Path;
            if (path.StartsWithSegments(InternalRoutes.WebSocketEvent)) await nextMiddleware(context);
            else if (path.StartsWithSegments(InternalRoutes.Deliver)) await DeliverAsync(context);
            else if (path == "/throw") throw new InvalidOperationException("secret detail 42");
            else if (path == "/big") await BigAsync(context);
            else if (path == "/binary") await BinaryAsync(context);
            else await EchoAsync(context);
        });
        next(app);
    };

    private async Task DeliverAsync(HttpContext context)
    {
        var body = await ReadBodyAsync(context.Request);
        var feature = context.Features.Get<IDirectInvocationFeature>();
        _deliverHits.Enqueue((feature is not null, body));
        if (feature is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        if (body.Contains("\"fail\"", StringComparison.Ordinal))
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await context.Response.WriteAsync("store down");
            return;
        }
        await context.Response.WriteAsJsonAsync(new { delivered = 2, gone = 0, requestId = feature.RequestId });
    }

    private static async Task BigAsync(HttpContext context)
    {
        context.Response.ContentType = "text/plain";
        var chunk = new string('a', 64 * 1024);
        for (var i = 0; i < 7 * 16; i++) await context.Response.WriteAsync(chunk); // 7 MiB
    }

    private static async Task BinaryAsync(HttpContext context)
    {
        context.Response.ContentType = "image/png";
        await context.Response.Body.WriteAsync(BinaryBody);
    }

    private static async Task EchoAsync(HttpContext context)
    {
        var request = context.Request;
        var invocation = context.Features.Get<ILambdaInvocationFeature>();
        var echo = new Dictionary<string, object?>
        {
            ["method"] = request.Method,
            ["scheme"] = request.Scheme,
            ["host"] = request.Host.Value,
            ["pathBase"] = request.PathBase.Value,
            ["path"] = request.Path.Value,
            ["queryString"] = request.QueryString.Value,
            ["query"] = request.Query.ToDictionary(q => q.Key, q => q.Value.ToArray()),
            ["headers"] = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToArray(), StringComparer.OrdinalIgnoreCase),
            ["cookies"] = request.Cookies.ToDictionary(c => c.Key, c => c.Value),
            ["body"] = await ReadBodyAsync(request),
            ["remoteIp"] = context.Connection.RemoteIpAddress?.ToString(),
            ["traceIdentifier"] = context.TraceIdentifier,
            ["traceIdEnvironment"] = Environment.GetEnvironmentVariable("_X_AMZN_TRACE_ID"),
            ["invocationRequestId"] = invocation?.RequestId,
            ["invocationTraceId"] = invocation?.TraceId,
            ["deadline"] = invocation?.Deadline.ToUnixTimeMilliseconds(),
            ["functionArn"] = invocation?.InvokedFunctionArn,
            ["scope"] = context.RequestServices.GetRequiredService<ScopeProbe>().Id,
            ["hasDirectInvocationFeature"] = context.Features.Get<IDirectInvocationFeature>() is not null,
            ["hasWebSocketFeature"] = context.Features.Get<IApiGatewayWebSocketFeature>() is not null,
        };
        context.Response.Headers["X-Echo"] = "1";
        context.Response.Headers.Append("X-Multi", "first");
        context.Response.Headers.Append("X-Multi", "second");
        context.Response.Headers.Append("Set-Cookie", "a=1; path=/");
        context.Response.Headers.Append("Set-Cookie", "b=2; path=/; httponly");
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(JsonSerializer.Serialize(echo));
    }

    private static async Task<string> ReadBodyAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        return await reader.ReadToEndAsync();
    }
}
