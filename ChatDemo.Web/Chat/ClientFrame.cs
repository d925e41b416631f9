using System.Text.Json;
using System.Text.Unicode;

namespace ChatDemo.Web.Chat;

/// <summary>A client → server frame after parsing and validation (protocol.md section 3).</summary>
public abstract record ClientFrame
{
    public sealed record SendMessage(string ClientMessageId, string Text) : ClientFrame;

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
                    return new Rejected(ErrorCodes.UnknownAction, "frame needs a string 'action': sendMessage, typing or ping", ValidClientMessageId(root));

                return action.ValueEquals("sendMessage") ? ParseSendMessage(root)
                    : action.ValueEquals("typing") ? new Typing()
                    : action.ValueEquals("ping") ? new Ping()
                    : new Rejected(ErrorCodes.UnknownAction, "unknown action; expected sendMessage, typing or ping", ValidClientMessageId(root));
            }
            catch (InvalidOperationException)
            {
                // Found by fuzzing: a property name escaping a lone surrogate ({"\ud800":1}) makes
                // every property lookup throw, which used to drop the connection without a close.
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

        return new SendMessage(clientMessageId, text);
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
}
