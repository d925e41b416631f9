namespace ChatDemo.Web.Configuration;

/// <summary>
/// The <c>Chat</c> configuration section: the product's configuration contract, every setting
/// listed in README.md ("Configuration"). Environment variables use <c>__</c>, e.g. <c>Chat__Store</c>.
/// </summary>
public sealed class ChatOptions
{
    public const string SectionName = "Chat";

    /// <summary><c>Sqlite</c> (default) or <c>DynamoDb</c>.</summary>
    public string Store { get; set; } = StoreKinds.Sqlite;

    /// <summary><c>InProcess</c> (default) or <c>EventBridge</c>.</summary>
    public string FanOut { get; set; } = FanOutKinds.InProcess;

    public SqliteOptions Sqlite { get; set; } = new();

    public DynamoDbOptions DynamoDb { get; set; } = new();

    public EventBridgeOptions EventBridge { get; set; } = new();

    public ApiGatewayOptions ApiGateway { get; set; } = new();

    public SessionOptions Sessions { get; set; } = new();

    public AuthOptions Auth { get; set; } = new();

    /// <summary>
    /// Origins allowed to open <c>/ws</c> besides the page's own, separated by commas or
    /// white space (or a JSON array in appsettings).
    /// </summary>
    public string? AllowedOrigins { get; set; }

    /// <summary>What <c>/api/config</c> tells the page; unset means the same origin's <c>/ws</c>.</summary>
    public string? WebSocketUrl { get; set; }

    /// <summary>How long messages are kept, 1–3650 days.</summary>
    public int MessageRetentionDays { get; set; } = 30;

    public ConnectionLimitOptions Limits { get; set; } = new();

    /// <summary>Which reverse proxies' <c>X-Forwarded-*</c> headers are believed (self-hosting).</summary>
    public ForwardedHeadersSettings ForwardedHeaders { get; set; } = new();

    /// <summary>Per-client-address limits on the REST API.</summary>
    public RateLimitOptions RateLimits { get; set; } = new();
}

public static class StoreKinds
{
    public const string Sqlite = "Sqlite";
    public const string DynamoDb = "DynamoDb";
}

public static class FanOutKinds
{
    public const string InProcess = "InProcess";
    public const string EventBridge = "EventBridge";
}

public sealed class SqliteOptions
{
    /// <summary>Database file; unset means <c>data/chatdemo.db</c> under the content root.</summary>
    public string? Path { get; set; }
}

public sealed class DynamoDbOptions
{
    public string? ServiceUrl { get; set; }
    public string MessagesTable { get; set; } = "ChatMessages";
    public string ConnectionsTable { get; set; } = "ChatConnections";

    /// <summary>Rooms, members, invites' use counts, moderation and read positions (protocol v1.2).</summary>
    public string RoomsTable { get; set; } = "ChatRooms";
    public bool CreateTables { get; set; }

    /// <summary>
    /// How long one store operation (up to four DynamoDB requests, retries included) may take
    /// before it is abandoned. The SDK puts no deadline on async calls, and a send waits inside its
    /// room's lock: without one, a request that never gets an answer stalls the whole room.
    /// </summary>
    public int CallTimeoutSeconds { get; set; } = 10;
}

public sealed class EventBridgeOptions
{
    public string? BusName { get; set; }
    public string? ServiceUrl { get; set; }
}

public sealed class ApiGatewayOptions
{
    public string? ManagementEndpoint { get; set; }
}

public sealed class SessionOptions
{
    /// <summary>Secret for guest-session tokens (at least 32 characters). Required outside Development.</summary>
    public string? SigningKey { get; set; }

    /// <summary>How long a guest session lasts, in hours (24–720).</summary>
    public int LifetimeHours { get; set; } = 24;
}

/// <summary>The limits of Kestrel mode (docs/protocol.md section 5, "Limits"; the send budget per user and room since 11.7); on AWS, API Gateway's own apply.</summary>
public sealed class ConnectionLimitOptions
{
    /// <summary>Most frames waiting to be written to one connection before it is dropped.</summary>
    public int SendQueueFrames { get; set; } = 1000;

    /// <summary>Most bytes waiting to be written to one connection before it is dropped.</summary>
    public int SendQueueBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Token-bucket size for <c>sendMessage</c>.</summary>
    public int SendBurst { get; set; } = 20;

    /// <summary>Token-bucket refill per second for <c>sendMessage</c>.</summary>
    public int SendPerSecond { get; set; } = 10;

    /// <summary><c>rate_limited</c> errors within <see cref="FloodWindowSeconds"/> that close the connection (1008).</summary>
    public int FloodStrikes { get; set; } = 50;

    public int FloodWindowSeconds { get; set; } = 10;

    /// <summary>Largest accepted client frame in bytes; larger closes with 1009.</summary>
    public int MaxFrameBytes { get; set; } = 32 * 1024;

    /// <summary>Most concurrently open WebSocket connections; further upgrades get 503.</summary>
    public int MaxConnections { get; set; } = 20_000;
}
