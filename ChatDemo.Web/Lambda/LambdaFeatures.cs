namespace ChatDemo.Web.Lambda;

/// <summary>
/// Set by the Lambda hosting adapter, and only by it, on a request made from a direct
/// invocation of the function (the delivery workflow). No header, path or body an API Gateway
/// caller can send sets it: the internal delivery endpoint answers 404 without it.
/// </summary>
public interface IDirectInvocationFeature
{
    /// <summary>The Lambda request id of the invocation.</summary>
    string RequestId { get; }
}

/// <summary>
/// Set by the Lambda hosting adapter on a request made from an API Gateway WebSocket event
/// (<c>$connect</c>, <c>$disconnect</c>, or a message route). The WebSocket-route endpoints answer
/// 404 without it.
/// </summary>
public interface IApiGatewayWebSocketFeature
{
    /// <summary><c>requestContext.connectionId</c>: API Gateway's id for the client connection.</summary>
    string ConnectionId { get; }

    /// <summary><c>requestContext.routeKey</c>: <c>$connect</c>, <c>$disconnect</c>, <c>$default</c>, <c>sendMessage</c>…</summary>
    string RouteKey { get; }

    /// <summary><c>requestContext.eventType</c>: <c>CONNECT</c>, <c>DISCONNECT</c> or <c>MESSAGE</c>.</summary>
    string EventType { get; }
}

/// <summary>Paths the adapter rewrites events to; they only answer requests that carry the features above.</summary>
public static class InternalRoutes
{
    /// <summary>POST: a delivery batch from the workflow (body: the invocation payload).</summary>
    public const string Deliver = "/_internal/deliver";

    /// <summary>POST: an API Gateway WebSocket event (body: the frame, for MESSAGE).</summary>
    public const string WebSocketEvent = "/_internal/websocket";
}
