using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ChatDemo.Web.Chat;

namespace ChatDemo.Web.Tests.Reliability;

/// <summary>
/// protocol.md sections 1–3 restated independently of the server's code (regular expressions and
/// a plain reading of the JSON), to judge what <see cref="ClientFrame.Parse"/> and
/// <see cref="ChatRules"/> answered. Each check returns null when the answer is right, else why not.
/// </summary>
public static partial class FrameOracle
{
    public static readonly string[] DocumentedErrorCodes =
    [
        "invalid_json", "unknown_action", "validation_failed", "rate_limited", "internal",
        // v1.1 (protocol.md 10.5)
        "invalid_emoji", "unknown_message", "not_author", "message_deleted", "too_many_reactions",
    ];

    [GeneratedRegex(@"\A[1-9][0-9]{0,15}\z")]
    private static partial Regex PositiveInteger();

    [GeneratedRegex(@"\A[A-Za-z0-9_-]{1,64}\z")]
    private static partial Regex Identifier();

    public static string? CheckFrame(byte[] frame)
    {
        ClientFrame parsed;
        try
        {
            parsed = ClientFrame.Parse(frame);
        }
        catch (Exception e)
        {
            return $"Parse threw {e.GetType().Name}: {e.Message}";
        }

        if (parsed is ClientFrame.Rejected rejected)
        {
            if (!DocumentedErrorCodes.Contains(rejected.Code)) return $"undocumented code {rejected.Code}";
            if (string.IsNullOrWhiteSpace(rejected.Message)) return "error without a message";
            if (rejected.ClientMessageId is { } echoed && !Identifier().IsMatch(echoed)) return $"echoed an invalid clientMessageId '{echoed}'";
            using var error = JsonDocument.Parse(ServerFrames.Error(rejected.Code, rejected.Message, rejected.ClientMessageId));
        }
        if (parsed is ClientFrame.SendMessage send)
        {
            // What is stored goes out in message frames: it must come back exactly.
            var message = new ChatMessage("r", 1, "m_1", send.ClientMessageId, new ChatUser("u_1", "A"), send.Text, DateTimeOffset.UnixEpoch);
            using var written = JsonDocument.Parse(ServerFrames.Message(message));
            if (written.RootElement.GetProperty("text").GetString() != send.Text) return "the text does not round-trip through a message frame";
        }

        var expected = Expected(frame);
        if (expected is null) return null; // invalid UTF-8 or duplicate keys: any documented answer will do
        var actual = parsed switch
        {
            ClientFrame.Rejected r => $"{r.Code}|{r.ClientMessageId}",
            ClientFrame.SendMessage s => $"sendMessage|{s.ClientMessageId}|{s.Text}|{s.ReplyTo}",
            ClientFrame.ChangeMessage c => $"{c.Change.Action}|{c.ClientMessageId}|{c.Seq}|{Describe(c.Change)}",
            ClientFrame.Typing => "typing",
            ClientFrame.Ping => "ping",
            _ => parsed.GetType().Name,
        };
        if (expected == AnyReaction) return actual.StartsWith("react|", StringComparison.Ordinal) || actual.StartsWith("invalid_emoji|", StringComparison.Ordinal)
            ? null : $"expected a reaction or invalid_emoji, got {Show(actual)}";
        return actual == expected ? null : $"expected {Show(expected)}, got {Show(actual)}";
    }

    private static string Describe(MessageChange change) => change switch
    {
        MessageChange.Edit e => e.Text,
        MessageChange.React r => $"{(r.Add ? "add" : "remove")}|{r.Emoji}",
        _ => "",
    };

    // One grapheme that may or may not be an emoji: the oracle does not restate Unicode's emoji
    // data, so either answer is accepted (Unit/EmojiTests pins which).
    private const string AnyReaction = "react or invalid_emoji";

    private static string Show(string s) => s.Length > 120 ? s[..120] + "…" : s;

    private static string? Expected(byte[] frame)
    {
        if (!IsValidUtf8(frame)) return null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(frame, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException)
        {
            return "invalid_json|";
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return "invalid_json|";
            var names = new List<string>();
            foreach (var property in root.EnumerateObject())
            {
                try
                {
                    names.Add(property.Name);
                }
                catch (InvalidOperationException)
                {
                    return null; // a name escaping a lone surrogate: no UTF-16 form to compare
                }
            }
            if (names.Count != names.Distinct(StringComparer.Ordinal).Count()) return null;
            var id = root.TryGetProperty("clientMessageId", out var idElement) && idElement.ValueKind == JsonValueKind.String
                ? Utf16OrNull(idElement) : null;
            // Every error echoes a valid clientMessageId (protocol.md section 4).
            var echo = id is not null && Identifier().IsMatch(id) ? id : "";
            if (!root.TryGetProperty("action", out var action) || action.ValueKind != JsonValueKind.String) return $"unknown_action|{echo}";
            var actionName = Utf16OrNull(action);
            if (actionName is null) return null; // no Unicode form: invalid_json and unknown_action both fit
            switch (actionName)
            {
                case "ping": return "ping";
                case "typing": return "typing";
                case "sendMessage": break;
                case "editMessage" or "deleteMessage" or "react": return ExpectedChange(root, actionName, id, echo);
                default: return $"unknown_action|{echo}";
            }
            if (echo.Length == 0) return "validation_failed|";
            if (!root.TryGetProperty("text", out var textElement) || textElement.ValueKind != JsonValueKind.String) return $"validation_failed|{id}";
            var text = Utf16OrNull(textElement);
            if (text is null || !IsValidText(text, out var trimmed)) return $"validation_failed|{id}";
            if (!root.TryGetProperty("replyTo", out var replyTo)) return $"sendMessage|{id}|{trimmed}|";
            return Seq(replyTo) is { } target ? $"sendMessage|{id}|{trimmed}|{target}" : $"validation_failed|{id}";
        }
    }

    /// <summary>protocol.md 10.2: an optional valid clientMessageId, a seq, then the action's fields.</summary>
    private static string ExpectedChange(JsonElement root, string action, string? id, string echo)
    {
        if (root.TryGetProperty("clientMessageId", out _) && echo.Length == 0) return "validation_failed|";
        if (!root.TryGetProperty("seq", out var seqElement) || Seq(seqElement) is not { } seq) return $"validation_failed|{echo}";
        switch (action)
        {
            case "deleteMessage":
                return $"deleteMessage|{echo}|{seq}|";
            case "editMessage":
                if (!root.TryGetProperty("text", out var textElement) || textElement.ValueKind != JsonValueKind.String) return $"validation_failed|{echo}";
                var text = Utf16OrNull(textElement);
                return text is not null && IsValidText(text, out var trimmed) ? $"editMessage|{echo}|{seq}|{trimmed}" : $"validation_failed|{echo}";
            default:
                if (!root.TryGetProperty("op", out var op) || op.ValueKind != JsonValueKind.String || Utf16OrNull(op) is not ("add" or "remove"))
                    return $"validation_failed|{echo}";
                var emoji = root.TryGetProperty("emoji", out var emojiElement) && emojiElement.ValueKind == JsonValueKind.String ? Utf16OrNull(emojiElement) : null;
                // Certainly not one emoji: missing, empty, over 64 units, or more than one grapheme.
                if (emoji is null || emoji.Length is 0 or > 64 || new StringInfo(emoji).LengthInTextElements != 1) return $"invalid_emoji|{echo}";
                return AnyReaction;
        }
    }

    /// <summary>A seq: a JSON integer written plainly, 1 to 2^53 − 1.</summary>
    private static long? Seq(JsonElement element) =>
        element.ValueKind == JsonValueKind.Number && PositiveInteger().IsMatch(element.GetRawText())
            && long.Parse(element.GetRawText(), CultureInfo.InvariantCulture) is var value and <= (1L << 53) - 1 ? value : null;

    private static string? Utf16OrNull(JsonElement element)
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

    private static bool IsValidUtf8(byte[] bytes) => System.Text.Unicode.Utf8.IsValid(bytes);

    /// <summary>
    /// Text: 1–2000 code points after trimming white space; <c>\n</c> and <c>\t</c> the only control
    /// characters anywhere, even in the white space that trimming removes (docs/kestrel-tests.md).
    /// </summary>
    public static bool IsValidText(string raw, out string trimmed)
    {
        trimmed = raw.Trim();
        if (raw.Any(c => char.IsControl(c) && c is not ('\n' or '\t'))) return false;
        if (!IsWellFormed(trimmed)) return false;
        var codePoints = 0;
        for (var i = 0; i < trimmed.Length; i += char.IsSurrogatePair(trimmed, i) ? 2 : 1)
        {
            codePoints++;
            var cp = char.ConvertToUtf32(trimmed, i);
            if ((cp < 0x20 || cp is >= 0x7F and <= 0x9F) && cp is not ('\n' or '\t')) return false;
        }
        return codePoints is >= 1 and <= 2000;
    }

    /// <summary>Name: 1–32 letters (with their marks), digits, spaces and <c>-_.'</c> after trimming; no control character anywhere.</summary>
    public static bool IsValidName(string raw, out string trimmed)
    {
        trimmed = raw.Trim();
        if (raw.Any(char.IsControl)) return false;
        if (!IsWellFormed(trimmed)) return false;
        var codePoints = 0;
        for (var i = 0; i < trimmed.Length; i += char.IsSurrogatePair(trimmed, i) ? 2 : 1)
        {
            codePoints++;
            var cp = char.ConvertToUtf32(trimmed, i);
            if (cp is ' ' or '-' or '_' or '.' or '\'') continue;
            var category = CharUnicodeInfo.GetUnicodeCategory(cp);
            if (category is not (UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.NonSpacingMark
                or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.DecimalDigitNumber)) return false;
        }
        return codePoints is >= 1 and <= 32;
    }

    private static bool IsWellFormed(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])) i++;
            else if (char.IsSurrogate(s[i])) return false;
        }
        return true;
    }

    /// <summary>Checks every rule of <see cref="ChatRules"/> on one string.</summary>
    public static string? CheckRules(string input)
    {
        try
        {
            if (ChatRules.IsValidRoom(input) != Identifier().IsMatch(input)) return "IsValidRoom disagrees with the protocol";
            if (ChatRules.IsValidClientMessageId(input) != Identifier().IsMatch(input)) return "IsValidClientMessageId disagrees with the protocol";

            var nameOk = ChatRules.TryNormalizeName(input, out var name, out var nameError);
            var expectNameOk = IsValidName(input, out var expectedName);
            if (nameOk != expectNameOk) return $"TryNormalizeName said {nameOk}, protocol says {expectNameOk}";
            if (nameOk && name != expectedName) return "TryNormalizeName kept something other than the trimmed name";
            if (!nameOk && string.IsNullOrWhiteSpace(nameError)) return "TryNormalizeName failed without a message";

            var textOk = ChatRules.TryNormalizeText(input, out var text, out var textError);
            var expectTextOk = IsValidText(input, out var expectedText);
            if (textOk != expectTextOk) return $"TryNormalizeText said {textOk}, protocol says {expectTextOk}";
            if (textOk && text != expectedText) return "TryNormalizeText kept something other than the trimmed text";
            if (!textOk && string.IsNullOrWhiteSpace(textError)) return "TryNormalizeText failed without a message";
            return null;
        }
        catch (Exception e)
        {
            return $"threw {e.GetType().Name}: {e.Message}";
        }
    }

    public static string Describe(byte[] frame) =>
        Encoding.UTF8.GetString(frame.AsSpan(0, Math.Min(frame.Length, 200))).Replace("\0", "\\0", StringComparison.Ordinal);
}
