using System.Net.WebSockets;
using ChatDemo.Web.Chat;
using Microsoft.AspNetCore.Http.Features;

namespace ChatDemo.Web.WebSockets;

public static class WebSocketHostingExtensions
{
    /// <summary>
    /// The in-process fan-out and sender: the sockets this process holds. Without
    /// <see cref="AddKestrelWebSockets"/> (inside Lambda) that set is empty.
    /// </summary>
    public static IServiceCollection AddInProcessFanOut(this IServiceCollection services)
    {
        services.AddSingleton<ConnectionRegistry>();
        services.AddSingleton<IRoomFanOut>(sp => sp.GetRequiredService<ConnectionRegistry>());
        services.AddSingleton<IConnectionSender>(sp => sp.GetRequiredService<ConnectionRegistry>());
        services.AddSingleton<IRoomConnectionCloser>(sp => sp.GetRequiredService<ConnectionRegistry>());
        services.AddSingleton<IConnectionCloser>(sp => sp.GetRequiredService<ConnectionRegistry>());
        return services;
    }

    /// <summary>Kestrel mode's own sockets: their lifetime is the app's (see <see cref="InProcessConnectionLifetime"/>).</summary>
    public static IServiceCollection AddKestrelWebSockets(this IServiceCollection services) =>
        services.AddHostedService<InProcessConnectionLifetime>();

    /// <summary>
    /// Accepts WebSockets, each over a <see cref="CoalescingStream"/>. The wrap has to happen before
    /// the WebSocket middleware, which captures the upgrade feature when a request arrives; it is
    /// not an async middleware, so nothing of it stays alive for the life of a connection.
    /// </summary>
    public static IApplicationBuilder UseChatWebSockets(this IApplicationBuilder app)
    {
        app.Use((context, next) =>
        {
            if (context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true } upgrade)
                context.Features.Set<IHttpUpgradeFeature>(new CoalescingUpgradeFeature(upgrade));
            return next(context);
        });
        return app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
    }
}

/// <summary>
/// Ties the in-process connections to the app's lifetime. At start, connections recorded by an
/// earlier run are gone (this process owns every socket), so they are forgotten. On shutdown,
/// every socket is closed with 1001 after its queued frames, before Kestrel stops.
/// </summary>
internal sealed class InProcessConnectionLifetime(
    ConnectionRegistry registry,
    IConnectionStore store,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<InProcessConnectionLifetime> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var forgotten = await store.RemoveStaleConnectionsAsync(time.GetUtcNow(), cancellationToken);
        if (forgotten.Count > 0) LifetimeLog.ForgotConnections(logger, forgotten.Count);
        lifetime.ApplicationStopping.Register(() =>
        {
            LifetimeLog.ClosingConnections(logger, registry.Count);
            registry.CloseAll(WebSocketCloseStatus.EndpointUnavailable, "server shutting down");
        });
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

internal static partial class LifetimeLog
{
    [LoggerMessage(EventId = 210, Level = LogLevel.Information, Message = "Forgot {Count} connections left over from an earlier run")]
    public static partial void ForgotConnections(ILogger logger, int count);

    [LoggerMessage(EventId = 211, Level = LogLevel.Information, Message = "Shutting down: closing {Count} WebSocket connections with 1001")]
    public static partial void ClosingConnections(ILogger logger, int count);
}
