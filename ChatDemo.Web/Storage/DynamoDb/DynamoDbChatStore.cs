using Amazon.DynamoDBv2;
using ChatDemo.Web.Chat;

namespace ChatDemo.Web.Storage.DynamoDb;

/// <summary>
/// The AWS store: messages and connections in two DynamoDB tables (<see cref="DynamoDbTables"/>),
/// correct without transactions (docs/dynamodb.md). Message expiry is DynamoDB's TTL, so this
/// store deletes nothing on a timer.
/// </summary>
public sealed class DynamoDbChatStore(IAmazonDynamoDB client, DynamoDbTableNames tables, ILogger<DynamoDbChatStore> logger) : IChatStore
{
    private readonly DynamoDbMessageLog _messages = new(client, tables.Messages);
    private readonly DynamoDbConnectionTable _connections = new(client, tables.Connections, logger);

    public Task<AppendResult> AppendMessageAsync(NewMessage message, CancellationToken cancellationToken) =>
        _messages.AppendAsync(message, cancellationToken);

    public Task<MessagePage> GetMessagesAsync(string room, HistoryQuery query, CancellationToken cancellationToken) =>
        _messages.GetPageAsync(room, query, cancellationToken);

    public Task<bool> AddConnectionAsync(ChatConnection connection, CancellationToken cancellationToken) =>
        _connections.AddAsync(connection, cancellationToken);

    public Task<RemovedConnection?> RemoveConnectionAsync(string connectionId, CancellationToken cancellationToken) =>
        _connections.RemoveAsync(connectionId, cancellationToken);

    public Task<ChatConnection?> GetConnectionAsync(string connectionId, CancellationToken cancellationToken) =>
        _connections.GetAsync(connectionId, cancellationToken);

    public Task<IReadOnlyList<ChatConnection>> GetRoomConnectionsAsync(string room, CancellationToken cancellationToken) =>
        _connections.ListRoomAsync(room, cancellationToken);

    public Task<IReadOnlyList<PresentUser>> GetPresenceAsync(string room, CancellationToken cancellationToken) =>
        _connections.GetPresenceAsync(room, cancellationToken);

    public Task<IReadOnlyList<RemovedConnection>> RemoveStaleConnectionsAsync(DateTimeOffset connectedBefore, CancellationToken cancellationToken) =>
        _connections.RemoveStaleAsync(connectedBefore, cancellationToken);

    public Task CheckHealthAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(_messages.CheckHealthAsync(cancellationToken), _connections.CheckHealthAsync(cancellationToken));
}
