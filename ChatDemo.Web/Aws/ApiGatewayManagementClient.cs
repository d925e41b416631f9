using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using ChatDemo.Web.Telemetry;

namespace ChatDemo.Web.Aws;

/// <summary>
/// The API Gateway Management API (service <c>execute-api</c>) of one WebSocket API stage:
/// <c>PostToConnection</c>, <c>DeleteConnection</c> and <c>GetConnection</c> on
/// <c>{Chat__ApiGateway__ManagementEndpoint}/@connections/{connectionId}</c>.
/// </summary>
/// <remarks>
/// Connection ids carry <c>=</c> (and may carry <c>/</c> or <c>+</c>): the id is one path segment,
/// percent-encoded per RFC 3986 (everything but <c>A-Z a-z 0-9 - . _ ~</c>). <see cref="Uri"/> keeps
/// those escapes as they are, so the path sent is the path signed (the signer encodes it once more
/// for the canonical request, as SigV4 asks of every service but S3).
/// </remarks>
public sealed class ApiGatewayManagementClient
{
    public const string ServiceName = "execute-api";

    /// <summary>The name logs and errors use.</summary>
    public const string ServiceLabel = "API Gateway";

    private readonly AwsHttpSender _sender;
    private readonly string _connectionsBase;
    private readonly ILogger<ApiGatewayManagementClient> _logger;

    public ApiGatewayManagementClient(HttpClient http, ILogger<ApiGatewayManagementClient> logger)
    {
        _sender = new AwsHttpSender(http, ServiceLabel);
        _connectionsBase = http.BaseAddress!.AbsoluteUri.TrimEnd('/') + "/@connections/";
        _logger = logger;
    }

    /// <summary>The exact URI of a connection; the id is escaped as one path segment.</summary>
    public Uri ConnectionUri(string connectionId) => new(_connectionsBase + Uri.EscapeDataString(connectionId));

    /// <summary>Sends <paramref name="data"/> to the client as one WebSocket message.</summary>
    /// <exception cref="AwsPayloadTooLargeException">The frame is over API Gateway's 128 KB.</exception>
    /// <exception cref="AwsServiceException">403, throttling or 5xx that outlasted the retries, or another error.</exception>
    public async Task<PostResult> PostToConnectionAsync(string connectionId, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        // One span for the call, its retries included: the wait for a throttled post shows here.
        using var span = ChatTelemetry.ActivitySource.StartActivity("apigateway PostToConnection", ActivityKind.Client);
        span?.SetTag(ChatTelemetry.Attributes.ConnectionId, connectionId);
        using var response = await _sender.SendAsync(new HttpRequestMessage(HttpMethod.Post, ConnectionUri(connectionId))
        {
            Content = new ReadOnlyMemoryContent(data) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        }, IsGone, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Gone) return PostResult.Delivered;
        span?.SetTag(ChatTelemetry.Attributes.Outcome, "gone");
        AwsLog.ConnectionGone(_logger, connectionId, "PostToConnection");
        return PostResult.Gone;
    }

    /// <summary>Closes the client's connection; false when it was already gone.</summary>
    public async Task<bool> DeleteConnectionAsync(string connectionId, CancellationToken cancellationToken)
    {
        using var response = await _sender.SendAsync(
            new HttpRequestMessage(HttpMethod.Delete, ConnectionUri(connectionId)), IsGone, cancellationToken);
        return response.StatusCode != HttpStatusCode.Gone;
    }

    /// <summary>The connection's state; null when it is gone.</summary>
    public async Task<ApiGatewayConnection?> GetConnectionAsync(string connectionId, CancellationToken cancellationToken)
    {
        using var response = await _sender.SendAsync(
            new HttpRequestMessage(HttpMethod.Get, ConnectionUri(connectionId)), IsGone, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Gone) return null;

        using var document = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
        var root = document.RootElement;
        var identity = root.TryGetProperty("identity", out var i) && i.ValueKind == JsonValueKind.Object ? i : default;
        return new ApiGatewayConnection(
            ReadTime(root, "connectedAt"),
            ReadTime(root, "lastActiveAt"),
            identity.ValueKind == JsonValueKind.Object && identity.TryGetProperty("sourceIp", out var ip) ? ip.GetString() : null,
            identity.ValueKind == JsonValueKind.Object && identity.TryGetProperty("userAgent", out var agent) ? agent.GetString() : null);
    }

    private static bool IsGone(HttpStatusCode status) => status == HttpStatusCode.Gone;

    // The service writes timestamps as ISO 8601 strings; epoch seconds are accepted too.
    private static DateTimeOffset? ReadTime(JsonElement root, string name) =>
        !root.TryGetProperty(name, out var value) ? null
        : value.ValueKind == JsonValueKind.Number ? DateTimeOffset.FromUnixTimeMilliseconds((long)(value.GetDouble() * 1000))
        : value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out var time) ? time
        : null;
}

public enum PostResult
{
    Delivered,

    /// <summary>410: the client is no longer connected.</summary>
    Gone,
}

/// <summary>What <c>GetConnection</c> tells about a live connection.</summary>
public sealed record ApiGatewayConnection(DateTimeOffset? ConnectedAt, DateTimeOffset? LastActiveAt, string? SourceIp, string? UserAgent);
