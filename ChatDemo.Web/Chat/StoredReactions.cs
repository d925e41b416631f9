using System.Text.Encodings.Web;
using System.Text.Json;

namespace ChatDemo.Web.Chat;

/// <summary>
/// A message's reactions as both stores keep them: one compact JSON string,
/// <c>[{"e":"👍","u":[["u_…","Bob"],…]}…]</c>, replaced whole with each version (the state is
/// written whole, so there is nothing to gain from a finer shape). Here, below both engines, so
/// that it is written once.
/// </summary>
public static class StoredReactions
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Null for no reactions, so that a message nobody reacted to stores nothing extra.</summary>
    public static string? Encode(ReactionSet reactions)
    {
        if (reactions.IsEmpty) return null;
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, WriterOptions))
        {
            w.WriteStartArray();
            foreach (var reaction in reactions.Items)
            {
                w.WriteStartObject();
                w.WriteString("e", reaction.Emoji);
                w.WriteStartArray("u");
                foreach (var user in reaction.Users)
                {
                    w.WriteStartArray();
                    w.WriteStringValue(user.Id);
                    w.WriteStringValue(user.Name);
                    w.WriteEndArray();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    public static ReactionSet Decode(string? stored)
    {
        if (string.IsNullOrEmpty(stored)) return ReactionSet.Empty;
        using var document = JsonDocument.Parse(stored);
        return ReactionSet.From(document.RootElement.EnumerateArray().Select(r => new Reaction(
            r.GetProperty("e").GetString()!,
            r.GetProperty("u").EnumerateArray().Select(u => new ChatUser(u[0].GetString()!, u[1].GetString()!)).ToList())));
    }
}
