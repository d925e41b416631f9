using System.Text.Json;

namespace ChatDemo.Web.Tests.TestInfrastructure;

/// <summary>
/// A message as a client holds it: the whole state of protocol.md 10.1 (a v1 <c>message</c> is
/// the same object with every v1.1 field absent). <see cref="State"/> is that object in a
/// canonical form (properties in ordinal order, <c>type</c> left out), so two holders of one
/// state compare equal whether it came from a <c>message</c>, a <c>messageUpdated</c>, an
/// <c>updateAck</c> or a history page.
/// </summary>
public sealed record ViewMessage(long Seq, string Id, string ClientMessageId, string SenderId, string SenderName, string Text, long Version, string State)
{
    public static ViewMessage From(JsonElement m) => new(
        m.GetProperty("seq").GetInt64(),
        m.GetProperty("id").GetString()!,
        m.GetProperty("clientMessageId").GetString()!,
        m.GetProperty("sender").GetProperty("id").GetString()!,
        m.GetProperty("sender").GetProperty("name").GetString()!,
        m.GetProperty("text").GetString()!,
        m.TryGetProperty("version", out var version) ? version.GetInt64() : 1,
        Canonical(m));

    /// <summary>The room revision of the latest change (10.4); 0 when the message never changed.</summary>
    public long Revision => Read(s => s.TryGetProperty("revision", out var r) ? r.GetInt64() : 0);

    public bool Deleted => Read(s => s.TryGetProperty("deleted", out var d) && d.GetBoolean());

    public long? ReplyTo => Read(s => s.TryGetProperty("replyTo", out var r) ? r.GetInt64() : (long?)null);

    public bool Edited => Read(s => s.TryGetProperty("editedAt", out _));

    /// <summary>Each emoji with the ids of the users who reacted with it, in the state's order.</summary>
    public IReadOnlyList<(string Emoji, IReadOnlyList<string> UserIds)> Reactions => Read(ReadReactions);

    private static IReadOnlyList<(string Emoji, IReadOnlyList<string> UserIds)> ReadReactions(JsonElement state)
    {
        var reactions = new List<(string Emoji, IReadOnlyList<string> UserIds)>();
        if (!state.TryGetProperty("reactions", out var all)) return reactions;
        foreach (var reaction in all.EnumerateArray())
        {
            var users = reaction.GetProperty("users").EnumerateArray().Select(u => u.GetProperty("id").GetString()!).ToList();
            reactions.Add((reaction.GetProperty("emoji").GetString()!, users));
        }
        return reactions;
    }

    private T Read<T>(Func<JsonElement, T> read)
    {
        using var document = JsonDocument.Parse(State);
        return read(document.RootElement);
    }

    /// <summary>The object with its properties sorted (recursively) and without <c>type</c>; arrays keep their order, which is part of the state.</summary>
    public static string Canonical(JsonElement message)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, message, topLevel: true);
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void Write(Utf8JsonWriter writer, JsonElement element, bool topLevel)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    if (topLevel && property.Name == "type") continue;
                    writer.WritePropertyName(property.Name);
                    Write(writer, property.Value, topLevel: false);
                }
                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray()) Write(writer, item, topLevel: false);
                writer.WriteEndArray();
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }
}
