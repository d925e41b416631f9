using Amazon.DynamoDBv2;
using ChatDemo.Web.Chat;

namespace ChatDemo.Web.Storage.DynamoDb;

/// <summary>
/// The AWS store: messages and connections in two DynamoDB tables (<see cref="DynamoDbTables"/>),
/// correct without transactions (docs/dynamodb.md). Message expiry is DynamoDB's TTL, so this
/// store deletes nothing on a timer. Every operation has a deadline (<see cref="DynamoDbDeadline"/>):
/// past it a send is answered with an <c>internal</c> error frame, which clients answer by re-sending.
/// </summary>
public sealed class DynamoDbChatStore(
    IAmazonDynamoDB client, DynamoDbTableNames tables, ILogger<DynamoDbChatStore> logger, TimeSpan? callTimeout = null, TimeProvider? time = null)
    : IChatStore, IMessageChangeStore
{
    public static readonly TimeSpan DefaultCallTimeout = DynamoDbDeadline.Default;

    private readonly DynamoDbMessageLog _messages = new(client, tables.Messages);
    private readonly DynamoDbMessageChanges _changes = new(client, tables.Messages, time ?? TimeProvider.System);
    private readonly DynamoDbConnectionTable _connections = new(client, tables.Connections, logger);
    private readonly DynamoDbDeadline _deadline = new(callTimeout ?? DefaultCallTimeout);

    public async Task<IReadOnlyList<AppendResult>> AppendMessagesAsync(IReadOnlyList<NewMessage> messages, CancellationToken cancellationToken)
    {
        var results = new AppendResult[messages.Count];
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            results[i] = await WithDeadline(token => _messages.AppendAsync(message, token), cancellationToken);
        }
        return results;
    }

    // The revision is settled before the page is read, so every change up to it is in the page
    // (docs/dynamodb.md, "Settling").
    public Task<MessagePage> GetMessagesAsync(string room, HistoryQuery query, CancellationToken cancellationToken) =>
        WithDeadline(async token =>
        {
            var revision = await _changes.SettleAsync(room, token);
            return await _messages.GetPageAsync(room, query, token) with { Revision = revision };
        }, cancellationToken);

    public Task<ChangeOutcome> ChangeMessageAsync(string room, long seq, MessageChange change, ChatUser by, DateTimeOffset at, CancellationToken cancellationToken) =>
        WithDeadline(token => _changes.ChangeAsync(room, seq, change, by, at, token), cancellationToken);

    public Task<ChatMessage?> GetMessageAsync(string room, long seq, CancellationToken cancellationToken) =>
        WithDeadline(token => _changes.GetMessageAsync(room, seq, token), cancellationToken);

    public Task<MessagePage> GetChangedSinceAsync(string room, long revision, int limit, CancellationToken cancellationToken) =>
        WithDeadline(token => _changes.GetChangedSinceAsync(room, revision, limit, token), cancellationToken);

    public Task<bool> AddConnectionAsync(ChatConnection connection, CancellationToken cancellationToken) =>
        WithDeadline(token => _connections.AddAsync(connection, token), cancellationToken);

    public Task<RemovedConnection?> RemoveConnectionAsync(string connectionId, CancellationToken cancellationToken) =>
        WithDeadline(token => _connections.RemoveAsync(connectionId, token), cancellationToken);

    public Task<ChatConnection?> GetConnectionAsync(string connectionId, CancellationToken cancellationToken) =>
        WithDeadline(token => _connections.GetAsync(connectionId, token), cancellationToken);

    public Task<IReadOnlyList<PresentUser>> GetPresenceAsync(string room, CancellationToken cancellationToken) =>
        WithDeadline(token => _connections.GetPresenceAsync(room, token), cancellationToken);

    public Task<IReadOnlyList<ChatConnection>> GetUserConnectionsAsync(string room, string userId, CancellationToken cancellationToken) =>
        WithDeadline(token => _connections.GetUserConnectionsAsync(room, userId, token), cancellationToken);

    // No deadline: a start-up sweep of many stale connections may rightly take longer, and it
    // holds no room lock.
    public Task<IReadOnlyList<RemovedConnection>> RemoveStaleConnectionsAsync(DateTimeOffset connectedBefore, CancellationToken cancellationToken) =>
        _connections.RemoveStaleAsync(connectedBefore, cancellationToken);

    public Task CheckHealthAsync(CancellationToken cancellationToken) =>
        _deadline.RunAsync(token => Task.WhenAll(_messages.CheckHealthAsync(token), _connections.CheckHealthAsync(token)), cancellationToken);

    private Task<T> WithDeadline<T>(Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken) =>
        _deadline.RunAsync(operation, cancellationToken);
}
