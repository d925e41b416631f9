using System.Text.Json;
using System.Text.Unicode;

namespace ChatDemo.Web.Chat;

/// <summary>A client → server frame after parsing and validation (protocol.md section 3).</summary>
public abstract record ClientFrame
{
    /// <summary><c>sendMessage</c>; <paramref name="ReplyTo"/> (v1.1) is the seq of the message it replies to.</summary>
    public sealed record SendMessage(string ClientMessageId, string Text, long? ReplyTo = null) : ClientFrame;

    /// <summary>
    /// v1.1: <c>editMessage</c>, <c>deleteMessage</c> or <c>react</c> on message <paramref name="Seq"/> of the
    /// connection's room; <paramref name="ClientMessageId"/> is an optional correlation id, echoed in the answer.
    /// </summary>
    public sealed record ChangeMessage(long Seq, MessageChange Change, string? ClientMessageId) : ClientFrame;

    public sealed record Typing : ClientFrame;

    public sealed record Ping : ClientFrame;

    /// <summary>A frame that gets an <c>error</c> answer; <paramref name="ClientMessageId"/> is echoed when valid.</summary>
    public sealed record Rejected(string Code, string Message, string? ClientMessageId = null) : ClientFrame;

    /// <summary>Parses one text frame. Never throws: every input maps to a frame or a rejection.</summary>
    public static ClientFrame Parse(ReadOnlySpan<byte> utf8)
    {
        // JSON text is UTF-8 (RFC 8259); the reader would only notice bad bytes inside strings, later.
        if (!Utf8.IsValid(utf8))
            return new Rejected(ErrorCodes.InvalidJson, "frame must be one JSON object in UTF-8");

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8.ToArray(), ParseOptions);
        }
        catch (JsonException)
        {
            return new Rejected(ErrorCodes.InvalidJson, "frame must be one JSON object");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return new Rejected(ErrorCodes.InvalidJson, "frame must be one JSON object");
            try
            {
                if (!root.TryGetProperty("action", out var action) || action.ValueKind != JsonValueKind.String)
                    return new Rejected(ErrorCodes.UnknownAction, $"frame needs a string 'action': {Actions}", ValidClientMessageId(root));

                return action.ValueEquals("sendMessage") ? ParseSendMessage(root)
                    : action.ValueEquals("typing") ? new Typing()
                    : action.ValueEquals("ping") ? new Ping()
                    : action.ValueEquals("editMessage") ? ParseChange(root, ChangeAction.Edit)
                    : action.ValueEquals("deleteMessage") ? ParseChange(root, ChangeAction.Delete)
                    : action.ValueEquals("react") ? ParseChange(root, ChangeAction.React)
                    : new Rejected(ErrorCodes.UnknownAction, $"unknown action; expected {Actions}", ValidClientMessageId(root));
            }
            catch (InvalidOperationException)
            {
                // A property name escaping a lone surrogate ({"\ud800":1}) makes every property
                // lookup throw; like every bad frame it gets an error frame and the connection stays.
                return new Rejected(ErrorCodes.InvalidJson, "frame has a property name that is not valid Unicode");
            }
        }
    }

    /// <summary>The frame's <c>clientMessageId</c> when it is a valid one: every error echoes it (protocol.md section 4).</summary>
    private static string? ValidClientMessageId(JsonElement root)
    {
        if (!root.TryGetProperty("clientMessageId", out var idElement) || idElement.ValueKind != JsonValueKind.String) return null;
        var candidate = TryGetString(idElement);
        return ChatRules.IsValidClientMessageId(candidate) ? candidate : null;
    }

    private static readonly JsonDocumentOptions ParseOptions = new() { MaxDepth = 64 };

    private const string Actions = "sendMessage, editMessage, deleteMessage, react, typing or ping";

    /// <summary>The largest seq a JSON number can carry exactly in every client (2^53 − 1).</summary>
    public const long MaxSeq = (1L << 53) - 1;

    private static ClientFrame ParseSendMessage(JsonElement root)
    {
        var clientMessageId = ValidClientMessageId(root);
        if (clientMessageId is null)
            return new Rejected(ErrorCodes.ValidationFailed, $"clientMessageId must be {ChatRules.IdentifierChars}");

        if (!root.TryGetProperty("text", out var textElement) || textElement.ValueKind != JsonValueKind.String)
            return new Rejected(ErrorCodes.ValidationFailed, "text must be a string of 1-2000 characters", clientMessageId);
        var raw = TryGetString(textElement);
        if (raw is null)
            return new Rejected(ErrorCodes.ValidationFailed, "text must be valid Unicode", clientMessageId);
        if (!ChatRules.TryNormalizeText(raw, out var text, out var error))
            return new Rejected(ErrorCodes.ValidationFailed, error, clientMessageId);

        long? replyTo = null;
        if (root.TryGetProperty("replyTo", out var replyElement))
        {
            if (!TryGetSeq(replyElement, out var target))
                return new Rejected(ErrorCodes.ValidationFailed, $"replyTo must be the seq of a message: an integer from 1 to {MaxSeq}", clientMessageId);
            replyTo = target;
        }
        return new SendMessage(clientMessageId, text, replyTo);
    }

    private enum ChangeAction
    {
        Edit,
        Delete,
        React,
    }

    /// <summary>
    /// The fields every change shares (protocol.md 10.2): an optional valid <c>clientMessageId</c>
    /// and the message's <c>seq</c>; then the action's own fields.
    /// </summary>
    private static ClientFrame ParseChange(JsonElement root, ChangeAction action)
    {
        string? clientMessageId = null;
        if (root.TryGetProperty("clientMessageId", out _))
        {
            clientMessageId = ValidClientMessageId(root);
            if (clientMessageId is null)
                return new Rejected(ErrorCodes.ValidationFailed, "clientMessageId, when given, must be 1-64 characters of A-Z a-z 0-9 _ -");
        }
        if (!root.TryGetProperty("seq", out var seqElement) || !TryGetSeq(seqElement, out var seq))
            return new Rejected(ErrorCodes.ValidationFailed, $"seq must be the seq of a message: an integer from 1 to {MaxSeq}", clientMessageId);
        return action switch
        {
            ChangeAction.Edit => ParseEdit(root, seq, clientMessageId),
            ChangeAction.Delete => new ChangeMessage(seq, new MessageChange.Delete(), clientMessageId),
            _ => ParseReact(root, seq, clientMessageId),
        };
    }

    private static ClientFrame ParseEdit(JsonElement root, long seq, string? clientMessageId)
    {
        if (!root.TryGetProperty("text", out var textElement) || textElement.ValueKind != JsonValueKind.String)
            return new Rejected(ErrorCodes.ValidationFailed, "text must be a string of 1-2000 characters", clientMessageId);
        if (TryGetString(textElement) is not { } raw)
            return new Rejected(ErrorCodes.ValidationFailed, "text must be valid Unicode", clientMessageId);
        if (!ChatRules.TryNormalizeText(raw, out var text, out var error))
            return new Rejected(ErrorCodes.ValidationFailed, error, clientMessageId);
        return new ChangeMessage(seq, new MessageChange.Edit(text), clientMessageId);
    }

    private static ClientFrame ParseReact(JsonElement root, long seq, string? clientMessageId)
    {
        if (!root.TryGetProperty("op", out var opElement) || opElement.ValueKind != JsonValueKind.String
            || !(opElement.ValueEquals("add") || opElement.ValueEquals("remove")))
            return new Rejected(ErrorCodes.ValidationFailed, "op must be \"add\" or \"remove\"", clientMessageId);
        var emoji = root.TryGetProperty("emoji", out var emojiElement) && emojiElement.ValueKind == JsonValueKind.String
            ? TryGetString(emojiElement)
            : null;
        if (emoji is null || !Emoji.IsSingle(emoji))
            return new Rejected(ErrorCodes.InvalidEmoji, "emoji must be exactly one emoji (one character, such as 👍, 👍🏽, 🇫🇷 or 👩‍💻)", clientMessageId);
        return new ChangeMessage(seq, new MessageChange.React(emoji, Add: opElement.ValueEquals("add")), clientMessageId);
    }

    private static bool TryGetSeq(JsonElement element, out long seq)
    {
        seq = 0;
        return element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out seq) && seq is >= 1 and <= MaxSeq;
    }

    // A JSON string may escape a lone surrogate ("\ud800"), which cannot become a .NET string.
    private static string? TryGetString(JsonElement element)
    {
        try
        {
            return element.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}

/// <summary>The <c>code</c> values of <c>error</c> frames.</summary>
public static class ErrorCodes
{
    public const string InvalidJson = "invalid_json";
    public const string UnknownAction = "unknown_action";
    public const string ValidationFailed = "validation_failed";
    public const string RateLimited = "rate_limited";
    public const string Internal = "internal";

    // v1.1, message lifecycle (protocol.md 10.5).
    public const string InvalidEmoji = "invalid_emoji";
    public const string UnknownMessage = "unknown_message";
    public const string NotAuthor = "not_author";
    public const string MessageDeleted = "message_deleted";
    public const string TooManyReactions = "too_many_reactions";

    // v1.2, rooms (protocol.md 11.6).
    public const string Muted = "muted";
}
