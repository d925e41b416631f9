using System.Text.Json;
using System.Text.Json.Serialization;

namespace ChatDemo.Web.Chat;

/// <summary>A user as the server knows them: from a verified session token, never from a frame.</summary>
public sealed record ChatUser(string Id, string Name);

/// <summary>
/// A stored chat message in its current state (protocol.md 10.1); in JSON, the <c>message</c>
/// frame's fields without <c>type</c>. The v1 fields never change except <see cref="Text"/>; the
/// lifecycle fields keep their defaults until something happens.
/// </summary>
[JsonConverter(typeof(ChatMessageJsonConverter))]
public sealed record ChatMessage(
    string Room,
    long Seq,
    string Id,
    string ClientMessageId,
    ChatUser Sender,
    string Text,
    DateTimeOffset SentAt)
{
    /// <summary>1 when sent, one higher with every accepted change.</summary>
    public long Version { get; init; } = 1;

    /// <summary>The room revision of the latest change; 0 for a message never changed.</summary>
    public long Revision { get; init; }

    /// <summary>The seq of the message this one replies to, in the same room.</summary>
    public long? ReplyTo { get; init; }

    public DateTimeOffset? EditedAt { get; init; }

    /// <summary>Set on a tombstone, whose text is empty.</summary>
    public DateTimeOffset? DeletedAt { get; init; }

    public ReactionSet Reactions { get; init; } = ReactionSet.Empty;

    /// <summary>On the wire this is <c>"deleted": true</c> beside <c>deletedAt</c>.</summary>
    [JsonIgnore]
    public bool IsDeleted => DeletedAt is not null;
}

/// <summary>One live connection in one room (protocol.md section 2).</summary>
public sealed record ChatConnection(
    string ConnectionId,
    string Room,
    ChatUser User,
    DateTimeOffset ConnectedAt)
{
    /// <summary>
    /// v1.2: the connection's session is an administrator's (protocol.md 11.4), who acts as an owner
    /// in every room; kept with the connection so that every frame of it is judged alike.
    /// </summary>
    public bool Admin { get; init; }
}

/// <summary>A user online in a room, since their earliest open connection.</summary>
public sealed record PresentUser(string Id, string Name, DateTimeOffset OnlineSince);

/// <summary>
/// A message in JSON (history pages) is the <c>message</c> frame's fields without <c>type</c>,
/// written by the same code as the frame. Messages are never read from JSON.
/// </summary>
public sealed class ChatMessageJsonConverter : JsonConverter<ChatMessage>
{
    public override ChatMessage Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("Messages are written to JSON, never read from it.");

    public override void Write(Utf8JsonWriter writer, ChatMessage value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        ServerFrames.WriteMessageFields(writer, value);
        writer.WriteEndObject();
    }
}
