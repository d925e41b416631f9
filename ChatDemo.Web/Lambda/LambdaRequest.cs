using System.Net;

namespace ChatDemo.Web.Lambda;

/// <summary>The kinds of event one function receives; a response is written back in the same shape.</summary>
public enum LambdaEventShape
{
    HttpApiV2,
    RestApiV1,
    WebSocket,
    DirectInvocation,
}

/// <summary>An event translated into the HTTP request the pipeline runs.</summary>
public sealed class LambdaRequest
{
    public required LambdaEventShape Shape { get; init; }
    public required string Method { get; init; }
    public string Scheme { get; init; } = "https";
    public PathString PathBase { get; init; }
    public required PathString Path { get; init; }
    public QueryString QueryString { get; init; }
    public IHeaderDictionary Headers { get; } = new HeaderDictionary();
    public byte[] Body { get; init; } = [];
    public IPAddress? RemoteIpAddress { get; init; }

    /// <summary>Set for WebSocket events only.</summary>
    public IApiGatewayWebSocketFeature? WebSocket { get; init; }

    /// <summary>The target as a client would have sent it, percent-encoded.</summary>
    public string RawTarget => PathBase.Add(Path).ToUriComponent() + QueryString.ToUriComponent();

    /// <summary>True when an API Gateway event names a path under <c>/_internal/</c>, which only the adapter's own rewrites may reach.</summary>
    public bool TargetsInternalRoute =>
        Shape is LambdaEventShape.HttpApiV2 or LambdaEventShape.RestApiV1
        && (IsInternal(Path.Value) || IsInternal(PathBase.Add(Path).Value));

    private static bool IsInternal(string? path) =>
        path is not null && path.TrimStart('/').StartsWith("_internal", StringComparison.OrdinalIgnoreCase);
}

/// <summary>The invocation's payload is not an event the adapter can serve.</summary>
public sealed class LambdaEventException(string errorType, string message) : Exception(message)
{
    public const string Malformed = "ChatDemo.MalformedEvent";
    public const string Unrecognized = "ChatDemo.UnrecognizedEvent";

    public string ErrorType { get; } = errorType;
}

internal sealed record ApiGatewayWebSocketFeature(string ConnectionId, string RouteKey, string EventType) : IApiGatewayWebSocketFeature;

internal sealed record DirectInvocationFeature(string RequestId) : IDirectInvocationFeature;
