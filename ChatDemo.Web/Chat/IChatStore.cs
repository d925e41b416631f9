using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ChatDemo.Web.Chat;

/// <summary>
/// Where chat state lives: messages with per-room sequence numbers, and live connections.
/// One contract, two engines (SQLite, DynamoDB), one shared contract test suite. The core asks
/// for the narrow port it uses (<see cref="IMessageStore"/>, <see cref="IConnectionStore"/>), so a
/// test's fake implements only that; the whole store is what the health check and the engines see.
/// </summary>
public interface IChatStore : IMessageStore, IConnectionStore
{
    /// <summary>Throws when the store cannot be reached.</summary>
    Task CheckHealthAsync(CancellationToken cancellationToken);
}

/// <summary>A room's messages: appending under the next <c>seq</c>, reading history.</summary>
public interface IMessageStore
{
    /// <summary>
    /// Stores each message under the room's next <c>seq</c>, in the order given, unless the same
    /// sender already sent <see cref="NewMessage.ClientMessageId"/> in that room (earlier in the
    /// same list included): then nothing is written for it and the original is returned with
    /// <see cref="AppendResult.Duplicate"/> set. One result per message, in order; returns only
    /// once they are durable. SQLite writes them in one transaction: all or none. DynamoDB, which has no
    /// transactions here, writes them one by one: when it throws, the messages before the
    /// failing one are stored, and their senders' resends are answered as duplicates.
    /// </summary>
    Task<IReadOnlyList<AppendResult>> AppendMessagesAsync(IReadOnlyList<NewMessage> messages, CancellationToken cancellationToken);

    /// <summary>A page of a room's history in ascending <c>seq</c> (protocol.md section 6).</summary>
    Task<MessagePage> GetMessagesAsync(string room, HistoryQuery query, CancellationToken cancellationToken);
}

/// <summary>Live connections and the presence they add up to.</summary>
public interface IConnectionStore
{
    /// <summary>Records a connection; true when it is the user's first in the room (they came online).</summary>
    Task<bool> AddConnectionAsync(ChatConnection connection, CancellationToken cancellationToken);

    /// <summary>Forgets a connection; null when it was not known (already removed).</summary>
    Task<RemovedConnection?> RemoveConnectionAsync(string connectionId, CancellationToken cancellationToken);

    Task<ChatConnection?> GetConnectionAsync(string connectionId, CancellationToken cancellationToken);

    /// <summary>Users with at least one connection in the room, each listed once.</summary>
    Task<IReadOnlyList<PresentUser>> GetPresenceAsync(string room, CancellationToken cancellationToken);

    /// <summary>
    /// The user's recorded connections to the room, oldest first: the ones a kick, ban or removal
    /// closes where no process holds the sockets (AWS mode, protocol.md 11.8).
    /// </summary>
    Task<IReadOnlyList<ChatConnection>> GetUserConnectionsAsync(string room, string userId, CancellationToken cancellationToken);

    /// <summary>
    /// Removes connections recorded before <paramref name="connectedBefore"/>: ones whose
    /// disconnect never arrived (a crash, or API Gateway's 2-hour limit).
    /// </summary>
    Task<IReadOnlyList<RemovedConnection>> RemoveStaleConnectionsAsync(DateTimeOffset connectedBefore, CancellationToken cancellationToken);
}

public sealed record NewMessage(
    string Room,
    string Id,
    string ClientMessageId,
    ChatUser Sender,
    string Text,
    DateTimeOffset SentAt,
    DateTimeOffset ExpiresAt)
{
    /// <summary>The seq this message replies to; checked to exist before it is appended.</summary>
    public long? ReplyTo { get; init; }
}

public sealed record AppendResult(ChatMessage Message, bool Duplicate);

/// <summary>At most one of <see cref="After"/> and <see cref="Before"/>.</summary>
public sealed record HistoryQuery(long? After, long? Before, int Limit);

public sealed record MessagePage(IReadOnlyList<ChatMessage> Messages, bool HasMore)
{
    /// <summary>Every change up to this room revision is reflected in <see cref="Messages"/> (protocol.md 10.7).</summary>
    public long Revision { get; init; }
}

/// <summary>A connection that was removed, and whether it was its user's last in the room.</summary>
public sealed record RemovedConnection(ChatConnection Connection, bool WasLastOfUser);

public static class ChatStoreExtensions
{
    /// <summary>
    /// Registers the store an engine builds, observed (<see cref="InstrumentedChatStore"/>: a span and
    /// a duration per call, alike for both engines), as the whole store and as each narrow port.
    /// </summary>
    public static IServiceCollection AddChatStore(this IServiceCollection services, Func<IServiceProvider, IChatStore> create)
    {
        services.TryAddSingleton<StoreCallObserver>();
        services.AddSingleton<IChatStore>(sp => new InstrumentedChatStore(create(sp), sp.GetRequiredService<StoreCallObserver>()));
        services.AddSingleton<IMessageStore>(sp => sp.GetRequiredService<IChatStore>());
        services.AddSingleton<IConnectionStore>(sp => sp.GetRequiredService<IChatStore>());
        return services;
    }

    /// <summary>One message: <see cref="IMessageStore.AppendMessagesAsync"/> with a list of one.</summary>
    public static async Task<AppendResult> AppendMessageAsync(this IMessageStore store, NewMessage message, CancellationToken cancellationToken) =>
        (await store.AppendMessagesAsync([message], cancellationToken))[0];
}
