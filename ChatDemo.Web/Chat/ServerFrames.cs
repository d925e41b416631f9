using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ChatDemo.Web.Chat;

/// <summary>
/// Server → client frames (protocol.md section 4), written straight to UTF-8 once per event so
/// that one buffer is shared by every recipient.
/// </summary>
public static class ServerFrames
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Message(ChatMessage message) => Write(message, static (w, m) =>
    {
        w.WriteString("type", "message");
        WriteMessageFields(w, m);
    });

    /// <summary>
    /// The fields of a message's state (protocol.md 10.1), shared by the <c>message</c> and
    /// <c>messageUpdated</c> frames, <c>updateAck</c> and history. A field added by v1.1 is written
    /// only when it says something, so a message nobody changed is exactly the v1 object.
    /// </summary>
    public static void WriteMessageFields(Utf8JsonWriter w, ChatMessage m)
    {
        w.WriteString("room", m.Room);
        w.WriteNumber("seq", m.Seq);
        w.WriteString("id", m.Id);
        w.WriteString("clientMessageId", m.ClientMessageId);
        w.WriteStartObject("sender");
        w.WriteString("id", m.Sender.Id);
        w.WriteString("name", m.Sender.Name);
        w.WriteEndObject();
        w.WriteString("text", m.Text);
        w.WriteString("sentAt", ChatTime.ToWire(m.SentAt));
        if (m.Version > 1) w.WriteNumber("version", m.Version);
        if (m.Revision > 0) w.WriteNumber("revision", m.Revision);
        if (m.ReplyTo is { } replyTo) w.WriteNumber("replyTo", replyTo);
        if (m.EditedAt is { } editedAt) w.WriteString("editedAt", ChatTime.ToWire(editedAt));
        if (m.DeletedAt is { } deletedAt)
        {
            w.WriteBoolean("deleted", true);
            w.WriteString("deletedAt", ChatTime.ToWire(deletedAt));
        }
        if (!m.Reactions.IsEmpty)
        {
            w.WriteStartArray("reactions");
            foreach (var reaction in m.Reactions.Items)
            {
                w.WriteStartObject();
                w.WriteString("emoji", reaction.Emoji);
                w.WriteNumber("count", reaction.Users.Count);
                w.WriteStartArray("users");
                foreach (var user in reaction.Users)
                {
                    w.WriteStartObject();
                    w.WriteString("id", user.Id);
                    w.WriteString("name", user.Name);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
    }

    /// <summary>v1.1: a message's whole state after an accepted change, to the whole room.</summary>
    public static byte[] MessageUpdated(ChatMessage message) => Write(message, static (w, m) =>
    {
        w.WriteString("type", "messageUpdated");
        WriteMessageFields(w, m);
    });

    /// <summary>v1.1: the answer to a change request, with the message's state after it.</summary>
    public static byte[] UpdateAck(string action, string? clientMessageId, bool duplicate, ChatMessage message) =>
        Write((action, clientMessageId, duplicate, message), static (w, a) =>
        {
            w.WriteString("type", "updateAck");
            w.WriteString("action", a.action);
            if (a.clientMessageId is not null) w.WriteString("clientMessageId", a.clientMessageId);
            w.WriteBoolean("duplicate", a.duplicate);
            w.WriteStartObject("message");
            WriteMessageFields(w, a.message);
            w.WriteEndObject();
        });

    public static byte[] Ack(ChatMessage message, bool duplicate) => Write((message, duplicate), static (w, a) =>
    {
        w.WriteString("type", "ack");
        w.WriteString("room", a.message.Room);
        w.WriteString("clientMessageId", a.message.ClientMessageId);
        w.WriteString("id", a.message.Id);
        w.WriteNumber("seq", a.message.Seq);
        w.WriteString("sentAt", ChatTime.ToWire(a.message.SentAt));
        w.WriteBoolean("duplicate", a.duplicate);
    });

    public static byte[] Presence(string room, ChatUser user, bool online, DateTimeOffset at) => Write((room, user, online, at), static (w, p) =>
    {
        w.WriteString("type", "presence");
        w.WriteString("room", p.room);
        WriteUser(w, p.user);
        w.WriteString("status", p.online ? "online" : "offline");
        w.WriteString("at", ChatTime.ToWire(p.at));
    });

    public static byte[] Typing(string room, ChatUser user) => Write((room, user), static (w, t) =>
    {
        w.WriteString("type", "typing");
        w.WriteString("room", t.room);
        WriteUser(w, t.user);
    });

    public static readonly byte[] Pong = "{\"type\":\"pong\"}"u8.ToArray();

    public static byte[] Error(string code, string message, string? clientMessageId = null) => Write((code, message, clientMessageId), static (w, e) =>
    {
        w.WriteString("type", "error");
        w.WriteString("code", e.code);
        w.WriteString("message", e.message);
        if (e.clientMessageId is not null) w.WriteString("clientMessageId", e.clientMessageId);
    });

    /// <summary>v1.2: the <c>error</c> refusing a muted user's frame, with <c>until</c> (protocol.md 11.6).</summary>
    public static byte[] Muted(DateTimeOffset until, string? clientMessageId) => Write((until, clientMessageId), static (w, e) =>
    {
        w.WriteString("type", "error");
        w.WriteString("code", ErrorCodes.Muted);
        w.WriteString("message", $"you are muted in this room until {ChatTime.ToWire(e.until)}; this was not stored");
        if (e.clientMessageId is not null) w.WriteString("clientMessageId", e.clientMessageId);
        w.WriteString("until", ChatTime.ToWire(e.until));
    });

    public static void WriteUser(Utf8JsonWriter w, ChatUser user)
    {
        w.WriteStartObject("user");
        w.WriteString("id", user.Id);
        w.WriteString("name", user.Name);
        w.WriteEndObject();
    }

    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;

    /// <summary>One frame: an object written by <paramref name="body"/>, as UTF-8 bytes of its own.</summary>
    public static byte[] Write<T>(T state, Action<Utf8JsonWriter, T> body)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(512);
        buffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            body(writer, state);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
