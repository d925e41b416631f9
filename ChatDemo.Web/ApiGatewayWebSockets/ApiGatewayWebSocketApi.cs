using ChatDemo.Web.Chat;
using ChatDemo.Web.Http;
using ChatDemo.Web.Lambda;
using ChatDemo.Web.Sessions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ChatDemo.Web.ApiGatewayWebSockets;

/// <summary>
/// The API Gateway WebSocket routes in AWS mode: the Lambda adapter turns each WebSocket event
/// into a request here, carrying <see cref="IApiGatewayWebSocketFeature"/>. The chat logic is
/// <see cref="ChatService"/>, the same as Kestrel's <c>/ws</c>; replies reach the client through
/// <c>IConnectionSender</c>, since the response to a message event goes nowhere.
/// </summary>
public static class ApiGatewayWebSocketApi
{
    public static IEndpointRouteBuilder MapApiGatewayWebSockets(this IEndpointRouteBuilder routes)
    {
        // Not part of the public API: only the adapter's rewrite of a WebSocket event reaches it.
        routes.MapPost(InternalRoutes.WebSocketEvent, HandleEvent).ExcludeFromDescription();
        return routes;
    }

    private static async Task<Results<Ok, NotFound, ProblemHttpResult>> HandleEvent(
        HttpContext context, ChatService chat, IConnectionStore store, WebSocketHandshake handshake, IRoomAuthority rooms,
        IRoomConnectionCloser closer, IConnectionCloser floodCloser, TimeProvider time, ILoggerFactory loggers)
    {
        if (context.Features.Get<IApiGatewayWebSocketFeature>() is not { } webSocket) return TypedResults.NotFound();
        var cancellationToken = context.RequestAborted;
        return webSocket.EventType switch
        {
            "CONNECT" => await ConnectAsync(context.Request, webSocket, chat, handshake, time, cancellationToken),
            "DISCONNECT" => await DisconnectAsync(webSocket, chat, cancellationToken),
            "MESSAGE" => await MessageAsync(context.Request, webSocket, chat, store, rooms, closer, floodCloser,
                // Not a parameter: minimal APIs would take an unregistered service for the body.
                context.RequestServices.GetService<IStoredSendBudgets>(),
                loggers.CreateLogger(typeof(ApiGatewayWebSocketApi).FullName!), cancellationToken),
            _ => Problems.Refuse(StatusCodes.Status400BadRequest, "Unknown event type", $"eventType {webSocket.EventType} is not CONNECT, DISCONNECT or MESSAGE."),
        };
    }

    /// <summary>
    /// Kestrel's handshake (without Origin): a 400, 401 or 403 (a banned user, a non-member of a
    /// private room) here makes API Gateway refuse the connection.
    /// </summary>
    private static async Task<Results<Ok, NotFound, ProblemHttpResult>> ConnectAsync(
        HttpRequest request, IApiGatewayWebSocketFeature webSocket, ChatService chat, WebSocketHandshake handshake, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var checkedHandshake = await handshake.CheckAsync(request, checkOrigin: false, cancellationToken);
        if (checkedHandshake.Refusal is { } refusal) return refusal;
        var session = checkedHandshake.Session!;
        await chat.ConnectAsync(
            new ChatConnection(webSocket.ConnectionId, checkedHandshake.Room, session.User, ChatTime.Truncate(time.GetUtcNow())) { Admin = session.Admin },
            cancellationToken);
        return TypedResults.Ok();
    }

    private static async Task<Results<Ok, NotFound, ProblemHttpResult>> DisconnectAsync(
        IApiGatewayWebSocketFeature webSocket, ChatService chat, CancellationToken cancellationToken)
    {
        await chat.DisconnectAsync(webSocket.ConnectionId, cancellationToken);
        return TypedResults.Ok();
    }

    /// <summary>
    /// Any message route (<c>sendMessage</c>, <c>typing</c>, <c>ping</c>, <c>$default</c>): the frame's
    /// own <c>action</c> decides, exactly as under Kestrel. A connection the store does not know (its
    /// <c>$connect</c> failed, or it was removed after a 410) gets 410 and nothing is stored or sent;
    /// one the room refuses by now is closed and gets 403 (<see cref="RoomRecheck"/>). Writes spend
    /// the user's budget in the room from the store (<paramref name="budgets"/>, protocol.md 11.8),
    /// and a connection that keeps flooding past it is closed.
    /// </summary>
    private static async Task<Results<Ok, NotFound, ProblemHttpResult>> MessageAsync(
        HttpRequest request, IApiGatewayWebSocketFeature webSocket, ChatService chat, IConnectionStore store, IRoomAuthority rooms,
        IRoomConnectionCloser closer, IConnectionCloser floodCloser, IStoredSendBudgets? budgets, ILogger logger,
        CancellationToken cancellationToken)
    {
        var connection = await store.GetConnectionAsync(webSocket.ConnectionId, cancellationToken);
        if (connection is null)
        {
            ApiGatewayWebSocketLog.UnknownConnection(logger, webSocket.ConnectionId, webSocket.RouteKey);
            return Problems.Refuse(StatusCodes.Status410Gone, "Unknown connection", "This connection is not recorded; reconnect.");
        }
        if (await RoomRecheck.RefusedAsync(connection, chat, rooms, closer, logger, cancellationToken) is { } refused) return refused;

        using var frame = new MemoryStream();
        await request.Body.CopyToAsync(frame, cancellationToken);
        var outcome = await chat.HandleFrameAsync(
            new ChatClient(connection.ConnectionId, connection.Room, connection.User, budgets?.ForConnection(connection)) { Admin = connection.Admin },
            frame.GetBuffer().AsMemory(0, (int)frame.Length),
            cancellationToken);
        if (outcome == FrameOutcome.CloseForFlooding) await floodCloser.CloseForFloodingAsync(connection.ConnectionId, cancellationToken);
        return TypedResults.Ok();
    }
}

internal static partial class ApiGatewayWebSocketLog
{
    [LoggerMessage(EventId = 800, Level = LogLevel.Warning, Message = "WebSocket {RouteKey} message from unknown connection {ConnectionId}: answered 410")]
    public static partial void UnknownConnection(ILogger logger, string connectionId, string routeKey);
}
