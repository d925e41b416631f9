using Amazon.DynamoDBv2.Model;
using ChatDemo.Web.Chat;
using static ChatDemo.Web.Storage.DynamoDb.DynamoDbValues;
using M = ChatDemo.Web.Storage.DynamoDb.DynamoDbTables.Messages;

namespace ChatDemo.Web.Storage.DynamoDb;

/// <summary>
/// A message's state as the attributes of an item, written once for the send path (message and
/// claim items) and the change path. Optional state is stored only when present, so a message
/// nobody changed is the same item as before protocol v1.1.
/// </summary>
internal static class DynamoDbMessageItem
{
    /// <summary>The message's attributes without its key.</summary>
    public static Dictionary<string, AttributeValue> Attributes(ChatMessage m, long expiresAtSeconds)
    {
        var item = new Dictionary<string, AttributeValue>
        {
            [M.Id] = new() { S = m.Id },
            [M.ClientMessageId] = new() { S = m.ClientMessageId },
            [M.SenderId] = new() { S = m.Sender.Id },
            [M.SenderName] = new() { S = m.Sender.Name },
            [M.Text] = new() { S = m.Text },
            [M.SentAt] = Number(m.SentAt.ToUnixTimeMilliseconds()),
            [DynamoDbTables.TimeToLiveAttribute] = Number(expiresAtSeconds),
        };
        if (m.Version > 1) item[M.Version] = Number(m.Version);
        if (m.Revision > 0) item[M.Revision] = Number(m.Revision);
        if (m.ReplyTo is { } replyTo) item[M.ReplyTo] = Number(replyTo);
        if (m.EditedAt is { } editedAt) item[M.EditedAt] = Number(editedAt.ToUnixTimeMilliseconds());
        if (m.DeletedAt is { } deletedAt) item[M.DeletedAt] = Number(deletedAt.ToUnixTimeMilliseconds());
        if (StoredReactions.Encode(m.Reactions) is { } reactions) item[M.Reactions] = new() { S = reactions };
        return item;
    }

    /// <summary>The whole item of a message: its key (room, seq) and its attributes.</summary>
    public static Dictionary<string, AttributeValue> Item(ChatMessage m, long expiresAtSeconds)
    {
        var item = Attributes(m, expiresAtSeconds);
        item[M.PartitionKey] = new() { S = m.Room };
        item[M.SortKey] = Number(m.Seq);
        return item;
    }

    /// <summary>A message read from an item; <paramref name="room"/> and <paramref name="seq"/> where the key is not the message's (a claim).</summary>
    public static ChatMessage Read(Dictionary<string, AttributeValue> item, string? room = null, long? seq = null) =>
        new(room ?? item[M.PartitionKey].S, seq ?? Long(item[M.SortKey]), item[M.Id].S, item[M.ClientMessageId].S,
            new ChatUser(item[M.SenderId].S, item[M.SenderName].S), item[M.Text].S, FromUnixMs(item[M.SentAt]))
        {
            Version = item.TryGetValue(M.Version, out var version) ? Long(version) : 1,
            Revision = item.TryGetValue(M.Revision, out var revision) ? Long(revision) : 0,
            ReplyTo = item.TryGetValue(M.ReplyTo, out var replyTo) ? Long(replyTo) : null,
            EditedAt = item.TryGetValue(M.EditedAt, out var editedAt) ? FromUnixMs(editedAt) : null,
            DeletedAt = item.TryGetValue(M.DeletedAt, out var deletedAt) ? FromUnixMs(deletedAt) : null,
            Reactions = StoredReactions.Decode(item.TryGetValue(M.Reactions, out var reactions) ? reactions.S : null),
        };

    public static long ExpiresAtSeconds(Dictionary<string, AttributeValue> item) => Long(item[DynamoDbTables.TimeToLiveAttribute]);

    public static Dictionary<string, AttributeValue> Key(string partition, long seq) => new()
    {
        [M.PartitionKey] = new AttributeValue { S = partition },
        [M.SortKey] = Number(seq),
    };

    private static DateTimeOffset FromUnixMs(AttributeValue value) => DateTimeOffset.FromUnixTimeMilliseconds(Long(value));
}
