namespace ChatDemo.Web.Chat;

/// <summary>
/// Any store, observed: each call is a <c>store {operation}</c> span and a
/// <c>chatdemo.store.duration</c> measurement tagged with the operation, for both engines alike.
/// </summary>
public sealed class InstrumentedChatStore(IChatStore inner, StoreCallObserver observer) : IChatStore
{
    public Task<IReadOnlyList<AppendResult>> AppendMessagesAsync(IReadOnlyList<NewMessage> messages, CancellationToken cancellationToken) =>
        Observe("append_messages", messages.Count > 0 ? messages[0].Room : null, () => inner.AppendMessagesAsync(messages, cancellationToken));

    public Task<MessagePage> GetMessagesAsync(string room, HistoryQuery query, CancellationToken cancellationToken) =>
        Observe("get_messages", room, () => inner.GetMessagesAsync(room, query, cancellationToken));

    public Task<bool> AddConnectionAsync(ChatConnection connection, CancellationToken cancellationToken) =>
        Observe("add_connection", connection.Room, () => inner.AddConnectionAsync(connection, cancellationToken));

    public Task<RemovedConnection?> RemoveConnectionAsync(string connectionId, CancellationToken cancellationToken) =>
        Observe("remove_connection", null, () => inner.RemoveConnectionAsync(connectionId, cancellationToken));

    public Task<ChatConnection?> GetConnectionAsync(string connectionId, CancellationToken cancellationToken) =>
        Observe("get_connection", null, () => inner.GetConnectionAsync(connectionId, cancellationToken));

    public Task<IReadOnlyList<PresentUser>> GetPresenceAsync(string room, CancellationToken cancellationToken) =>
        Observe("get_presence", room, () => inner.GetPresenceAsync(room, cancellationToken));

    public Task<IReadOnlyList<ChatConnection>> GetUserConnectionsAsync(string room, string userId, CancellationToken cancellationToken) =>
        Observe("get_user_connections", room, () => inner.GetUserConnectionsAsync(room, userId, cancellationToken));

    public Task<IReadOnlyList<RemovedConnection>> RemoveStaleConnectionsAsync(DateTimeOffset connectedBefore, CancellationToken cancellationToken) =>
        Observe("remove_stale_connections", null, () => inner.RemoveStaleConnectionsAsync(connectedBefore, cancellationToken));

    public Task CheckHealthAsync(CancellationToken cancellationToken) =>
        Observe("check_health", null, async () =>
        {
            await inner.CheckHealthAsync(cancellationToken);
            return true;
        });

    private Task<T> Observe<T>(string operation, string? room, Func<Task<T>> call) => observer.ObserveAsync(operation, room, call);
}
