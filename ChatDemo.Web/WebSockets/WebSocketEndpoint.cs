using System.Net.WebSockets;
using ChatDemo.Web.Chat;
using ChatDemo.Web.Configuration;
using ChatDemo.Web.Http;
using ChatDemo.Web.Sessions;
using ChatDemo.Web.Telemetry;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace ChatDemo.Web.WebSockets;

/// <summary>Kestrel mode's <c>/ws</c>: checks room, token and Origin, then runs the connection.</summary>
public static class WebSocketEndpoint
{
    public static IEndpointRouteBuilder MapChatWebSocket(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/ws", Connect)
            .WithName("ConnectWebSocket")
            .WithTags("WebSocket")
            .WithSummary("Open the chat WebSocket (Kestrel mode)")
            .WithDescription("Upgrade with ?room={room}&token={token}. 400 for a missing or bad room or a request that is not " +
                             "a WebSocket upgrade, 401 for a missing, forged or expired token, 403 for a foreign Origin, " +
                             "403 'Banned' for a user banned from the room and 403 'Not a member' for a non-member of a private room, " +
                             "503 while the server shuts down or is at its connection limit. Frames are described in docs/protocol.md of the repository.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return routes;
    }

    private static async Task<IResult> Connect(
        HttpContext context,
        WebSocketHandshake handshake,
        ChatService chat,
        ConnectionRegistry registry,
        SendBudgets budgets,
        IOptions<ChatOptions> options,
        IHostApplicationLifetime lifetime,
        TimeProvider time,
        ChatMetrics metrics,
        ILogger<WebSocketClient> logger)
    {
        if (!context.WebSockets.IsWebSocketRequest)
            return Problems.Refuse(StatusCodes.Status400BadRequest, "Not a WebSocket request", "/ws takes a WebSocket upgrade (GET with Upgrade: websocket).");
        var checkedHandshake = await handshake.CheckAsync(context.Request, checkOrigin: true, context.RequestAborted);
        if (checkedHandshake.Refusal is { } refusal) return refusal;
        var (room, session) = (checkedHandshake.Room, checkedHandshake.Session!);
        if (lifetime.ApplicationStopping.IsCancellationRequested)
            return Problems.Refuse(StatusCodes.Status503ServiceUnavailable, "Shutting down", "The server is shutting down; reconnect in a moment.");
        var limits = options.Value.Limits;

        var connection = new ChatConnection(Ids.NewConnectionId(), room, session.User, ChatTime.Truncate(time.GetUtcNow())) { Admin = session.Admin };
        // The user's budget in this room, shared with their other connections and kept across reconnects (protocol.md 11.7).
        using var rateLimit = budgets.ForConnection(room, session.User.Id);
        var client = new WebSocketClient(
            new ChatClient(connection.ConnectionId, connection.Room, connection.User, rateLimit) { Admin = session.Admin }, limits, metrics, time);

        // Registered and announced before the upgrade completes: every room event from the moment
        // the client sees the socket open reaches it, so history fetched after that leaves no gap.
        if (!registry.TryAdd(client, limits.MaxConnections))
            return Problems.Refuse(StatusCodes.Status503ServiceUnavailable, "Too many connections", "The server is at its connection limit; retry later.");
        try
        {
            await chat.ConnectAsync(connection, context.RequestAborted);
            try
            {
                using var socket = await context.WebSockets.AcceptWebSocketAsync();
                var coalescing = (context.Features.Get<IHttpUpgradeFeature>() as CoalescingUpgradeFeature)?.Stream;
                await client.RunAsync(socket, coalescing, chat.HandleFrameAsync, context.RequestAborted);
            }
            finally
            {
                registry.Remove(client);
                await chat.DisconnectAsync(connection.ConnectionId, CancellationToken.None);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            WebSocketLog.ConnectionFailed(logger, e, connection.ConnectionId);
            if (!context.Response.HasStarted)
                return Problems.Refuse(StatusCodes.Status503ServiceUnavailable, "Store unavailable", "The connection could not be recorded; retry shortly.");
        }
        finally
        {
            // Also when the client gave up while its connection was being recorded.
            registry.Remove(client);
        }
        return Results.Empty;
    }
}

internal static partial class WebSocketLog
{
    [LoggerMessage(EventId = 200, Level = LogLevel.Error, Message = "WebSocket connection {ConnectionId} failed")]
    public static partial void ConnectionFailed(ILogger logger, Exception exception, string connectionId);
}
