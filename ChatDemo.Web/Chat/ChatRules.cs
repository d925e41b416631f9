using System.Globalization;
using System.Text;

namespace ChatDemo.Web.Chat;

/// <summary>The input rules of docs/protocol.md (sections 1–3), in one place for REST, WebSocket and AWS routes alike.</summary>
public static class ChatRules
{
    public const int MaxNameLength = 32;
    public const int MaxRoomLength = 64;
    public const int MaxClientMessageIdLength = 64;
    public const int MaxTextLength = 2000;
    public const int DefaultHistoryLimit = 50;
    public const int MaxHistoryLimit = 100;

    /// <summary>The room rule as every refusal and API description states it.</summary>
    public const string RoomRule = $"room must be {IdentifierChars}";

    /// <summary>What a room and a clientMessageId are made of.</summary>
    public const string IdentifierChars = "1-64 characters of A-Z a-z 0-9 _ -";

    /// <summary>Room: 1–64 of <c>A-Z a-z 0-9 _ -</c>, case-sensitive (<see cref="RoomRule"/>).</summary>
    public static bool IsValidRoom(string? room) => IsIdentifier(room, MaxRoomLength);

    /// <summary>clientMessageId: 1–64 of <c>A-Z a-z 0-9 _ -</c>.</summary>
    public static bool IsValidClientMessageId(string? id) => IsIdentifier(id, MaxClientMessageIdLength);

    private static bool IsIdentifier(string? value, int maxLength)
    {
        if (string.IsNullOrEmpty(value) || value.Length > maxLength) return false;
        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-')) return false;
        }
        return true;
    }

    /// <summary>
    /// A display name after trimming: 1–32 characters of Unicode letters (with their combining
    /// marks), digits, spaces and <c>-_.'</c>. Returns the trimmed name, or an error message.
    /// </summary>
    public static bool TryNormalizeName(string? raw, out string name, out string error)
    {
        // Control characters are refused wherever they are, even where trimming would remove them:
        // "Alice\n" is a bad input, not a name with a typo.
        name = "";
        error = "";
        if ((raw ?? "").Any(char.IsControl))
        {
            error = "name must not contain control characters";
            return false;
        }
        name = (raw ?? "").Trim();
        if (name.Length == 0)
        {
            error = "name must not be empty";
            return false;
        }
        var length = 0;
        foreach (var rune in name.EnumerateRunes())
        {
            length++;
            if (!IsNameRune(rune))
            {
                error = "name may contain only letters, digits, spaces and - _ . '";
                return false;
            }
        }
        if (length > MaxNameLength)
        {
            error = $"name must be 1-{MaxNameLength} characters";
            return false;
        }
        return true;
    }

    /// <summary>One character a display name may contain: a letter (with its combining marks), a digit, a space or one of <c>-_.'</c>.</summary>
    public static bool IsNameRune(Rune rune)
    {
        if (rune.Value is ' ' or '-' or '_' or '.' or '\'') return true;
        return Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
                or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark
                or UnicodeCategory.DecimalDigitNumber => true,
            _ => false,
        };
    }

    /// <summary>
    /// Message text: 1–2000 code points after trimming surrounding white space; <c>\n</c> and
    /// <c>\t</c> allowed, every other control character (including <c>\r</c> and DEL) not.
    /// </summary>
    public static bool TryNormalizeText(string raw, out string text, out string error)
    {
        text = "";
        error = "";
        if (!IsWellFormed(raw))
        {
            error = "text must be valid Unicode";
            return false;
        }
        // Checked before trimming: a trailing "\r" is a forbidden control character, not white space to drop.
        foreach (var rune in raw.EnumerateRunes())
        {
            if (Rune.IsControl(rune) && rune.Value is not ('\n' or '\t'))
            {
                error = "text must not contain control characters other than newline and tab";
                return false;
            }
        }
        text = raw.Trim();
        var length = 0;
        foreach (var _ in text.EnumerateRunes()) length++;
        if (length is 0 or > MaxTextLength)
        {
            error = $"text must be 1-{MaxTextLength} characters";
            return false;
        }
        return true;
    }

    private static bool IsWellFormed(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            if (!char.IsSurrogate(s[i])) continue;
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                i++;
                continue;
            }
            return false;
        }
        return true;
    }
}
