using ChatDemo.Web.Chat;
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
        HttpContext context, ChatService chat, IChatStore store, SessionTokens tokens, TimeProvider time,
        ILogger<ChatService> logger)
    {
        if (context.Features.Get<IApiGatewayWebSocketFeature>() is not { } webSocket) return TypedResults.NotFound();
        var cancellationToken = context.RequestAborted;
        return webSocket.EventType switch
        {
            "CONNECT" => await ConnectAsync(context.Request, webSocket, chat, tokens, time, cancellationToken),
            "DISCONNECT" => await DisconnectAsync(webSocket, chat, cancellationToken),
            "MESSAGE" => await MessageAsync(context.Request, webSocket, chat, store, logger, cancellationToken),
            _ => Refuse(StatusCodes.Status400BadRequest, "Unknown event type", $"eventType {webSocket.EventType} is not CONNECT, DISCONNECT or MESSAGE."),
        };
    }

    /// <summary>The same checks as Kestrel's upgrade: a 400 or 401 here makes API Gateway refuse the connection.
    /// The Origin check is Kestrel's alone: the WebSocket API's host is never the page's.</summary>
    private static async Task<Results<Ok, NotFound, ProblemHttpResult>> ConnectAsync(
        HttpRequest request, IApiGatewayWebSocketFeature webSocket, ChatService chat, SessionTokens tokens, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var room = request.Query["room"];
        if (room.Count != 1 || !ChatRules.IsValidRoom(room[0]))
            return Refuse(StatusCodes.Status400BadRequest, "Bad room", "room must be 1-64 characters of A-Z a-z 0-9 _ -.");

        var token = request.Query["token"];
        var session = token.Count == 1 ? tokens.Verify(token[0]) : null;
        if (session is null)
            return Refuse(StatusCodes.Status401Unauthorized, "Invalid session", "token is missing, forged or expired; create a session with POST /api/sessions.");

        await chat.ConnectAsync(
            new ChatConnection(webSocket.ConnectionId, room[0]!, session.User, ChatTime.Truncate(time.GetUtcNow())), cancellationToken);
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
    /// <c>$connect</c> failed, or it was removed after a 410) gets 410 and nothing is stored or sent.
    /// </summary>
    private static async Task<Results<Ok, NotFound, ProblemHttpResult>> MessageAsync(
        HttpRequest request, IApiGatewayWebSocketFeature webSocket, ChatService chat, IChatStore store, ILogger logger,
        CancellationToken cancellationToken)
    {
        var connection = await store.GetConnectionAsync(webSocket.ConnectionId, cancellationToken);
        if (connection is null)
        {
            ApiGatewayWebSocketLog.UnknownConnection(logger, webSocket.ConnectionId, webSocket.RouteKey);
            return Refuse(StatusCodes.Status410Gone, "Unknown connection", "This connection is not recorded; reconnect.");
        }

        using var frame = new MemoryStream();
        await request.Body.CopyToAsync(frame, cancellationToken);
        await chat.HandleFrameAsync(
            new ChatClient(connection.ConnectionId, connection.Room, connection.User),
            frame.GetBuffer().AsMemory(0, (int)frame.Length),
            cancellationToken);
        return TypedResults.Ok();
    }

    private static ProblemHttpResult Refuse(int status, string title, string detail) =>
        TypedResults.Problem(detail, statusCode: status, title: title);
}

internal static partial class ApiGatewayWebSocketLog
{
    [LoggerMessage(EventId = 520, Level = LogLevel.Warning, Message = "WebSocket {RouteKey} message from unknown connection {ConnectionId}: answered 410")]
    public static partial void UnknownConnection(ILogger logger, string connectionId, string routeKey);
}
