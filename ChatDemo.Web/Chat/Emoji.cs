using System.Globalization;
using System.Text;

namespace ChatDemo.Web.Chat;

/// <summary>
/// What a reaction may be (protocol.md 10.5): exactly one emoji, that is one extended grapheme
/// cluster (UAX #29, which <see cref="StringInfo"/> follows) shaped as one of Unicode's emoji
/// sequences (UTS #51): a single emoji, one with a skin-tone modifier, a flag, a keycap, a tag
/// sequence, or a zero-width-joiner sequence of those.
/// </summary>
public static class Emoji
{
    /// <summary>Longer than any emoji sequence Unicode defines (the longest are about 14 UTF-16 units).</summary>
    public const int MaxLength = 64;

    private const int VariationSelector16 = 0xFE0F;
    private const int ZeroWidthJoiner = 0x200D;
    private const int CombiningKeycap = 0x20E3;
    private const int BlackFlag = 0x1F3F4;
    private const int CancelTag = 0xE007F;

    public static bool IsSingle(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > MaxLength) return false;
        // One user-perceived character: "👍👍", "👍x" and "a" followed by a joiner are several.
        if (new StringInfo(value).LengthInTextElements != 1) return false;

        var runes = new List<int>(8);
        foreach (var rune in value.EnumerateRunes())
        {
            // A lone surrogate enumerates as U+FFFD, which is no emoji; refuse it outright anyway.
            if (rune == Rune.ReplacementChar) return false;
            runes.Add(rune.Value);
        }

        if (IsRegionalIndicator(runes[0])) return runes.Count == 2 && IsRegionalIndicator(runes[1]);
        if (IsKeycapBase(runes[0])) return IsKeycap(runes);
        if (runes[0] == BlackFlag && runes.Count > 1 && IsTag(runes[1])) return IsTagSequence(runes);
        return IsZwjSequence(runes);
    }

    // 0-9 # * then an optional U+FE0F then U+20E3.
    private static bool IsKeycap(List<int> runes) =>
        (runes.Count == 2 && runes[1] == CombiningKeycap)
        || (runes.Count == 3 && runes[1] == VariationSelector16 && runes[2] == CombiningKeycap);

    // 🏴 + tag characters + cancel tag: the subdivision flags (England, Scotland, Wales).
    private static bool IsTagSequence(List<int> runes)
    {
        if (runes[^1] != CancelTag || runes.Count < 3) return false;
        for (var i = 1; i < runes.Count - 1; i++)
        {
            if (!IsTag(runes[i])) return false;
        }
        return true;
    }

    // element (ZWJ element)*, element = emoji [U+FE0F] [skin-tone modifier] [U+FE0F].
    private static bool IsZwjSequence(List<int> runes)
    {
        var i = 0;
        while (true)
        {
            if (i >= runes.Count || !IsEmojiBase(runes[i])) return false;
            i++;
            if (i < runes.Count && runes[i] == VariationSelector16) i++;
            if (i < runes.Count && IsSkinTone(runes[i])) i++;
            if (i < runes.Count && runes[i] == VariationSelector16) i++;
            if (i == runes.Count) return true;
            if (runes[i] != ZeroWidthJoiner) return false;
            i++;
        }
    }

    private static bool IsRegionalIndicator(int c) => c is >= 0x1F1E6 and <= 0x1F1FF;

    private static bool IsSkinTone(int c) => c is >= 0x1F3FB and <= 0x1F3FF;

    private static bool IsTag(int c) => c is >= 0xE0020 and <= 0xE007E;

    private static bool IsKeycapBase(int c) => c is (>= '0' and <= '9') or '#' or '*';

    /// <summary>
    /// A code point that is an emoji by itself. Outside the Basic Multilingual Plane the emoji
    /// blocks are taken whole (Unicode reserves their unassigned code points for emoji), so newer
    /// emoji than this table work; inside it, where most symbols are not emoji, the code points
    /// of Unicode's emoji data (Emoji=Yes) are listed one by one. Skin-tone modifiers, regional
    /// indicators and keycap bases are emoji only in the sequences above.
    /// </summary>
    private static bool IsEmojiBase(int c)
    {
        if (c > 0xFFFF)
        {
            if (IsSkinTone(c) || IsRegionalIndicator(c)) return false;
            return c is 0x1F004 or 0x1F0CF or 0x1F170 or 0x1F171 or 0x1F17E or 0x1F17F or 0x1F18E
                or (>= 0x1F191 and <= 0x1F19A) or 0x1F201 or 0x1F202 or 0x1F21A or 0x1F22F
                or (>= 0x1F232 and <= 0x1F23A) or 0x1F250 or 0x1F251
                or (>= 0x1F300 and <= 0x1F64F) // symbols and pictographs, emoticons
                or (>= 0x1F680 and <= 0x1F6FF) // transport and map
                or (>= 0x1F7E0 and <= 0x1F7FF) // coloured circles and squares
                or (>= 0x1F90C and <= 0x1F93A) or (>= 0x1F93C and <= 0x1F945)
                or (>= 0x1F947 and <= 0x1FAFF); // supplemental symbols and pictographs, extended-A
        }
        var index = Array.BinarySearch(BmpStarts, c);
        if (index < 0) index = ~index - 1;
        return index >= 0 && c <= BmpEnds[index];
    }

    // Emoji=Yes ranges of the Basic Multilingual Plane (Unicode emoji-data.txt), keycap bases excluded.
    private static readonly (int Start, int End)[] BmpRanges =
    [
        (0x00A9, 0x00A9), (0x00AE, 0x00AE), (0x203C, 0x203C), (0x2049, 0x2049), (0x2122, 0x2122),
        (0x2139, 0x2139), (0x2194, 0x2199), (0x21A9, 0x21AA), (0x231A, 0x231B), (0x2328, 0x2328),
        (0x23CF, 0x23CF), (0x23E9, 0x23F3), (0x23F8, 0x23FA), (0x24C2, 0x24C2), (0x25AA, 0x25AB),
        (0x25B6, 0x25B6), (0x25C0, 0x25C0), (0x25FB, 0x25FE), (0x2600, 0x2604), (0x260E, 0x260E),
        (0x2611, 0x2611), (0x2614, 0x2615), (0x2618, 0x2618), (0x261D, 0x261D), (0x2620, 0x2620),
        (0x2622, 0x2623), (0x2626, 0x2626), (0x262A, 0x262A), (0x262E, 0x262F), (0x2638, 0x263A),
        (0x2640, 0x2640), (0x2642, 0x2642), (0x2648, 0x2653), (0x265F, 0x2660), (0x2663, 0x2663),
        (0x2665, 0x2666), (0x2668, 0x2668), (0x267B, 0x267B), (0x267E, 0x267F), (0x2692, 0x2697),
        (0x2699, 0x2699), (0x269B, 0x269C), (0x26A0, 0x26A1), (0x26A7, 0x26A7), (0x26AA, 0x26AB),
        (0x26B0, 0x26B1), (0x26BD, 0x26BE), (0x26C4, 0x26C5), (0x26C8, 0x26C8), (0x26CE, 0x26CF),
        (0x26D1, 0x26D1), (0x26D3, 0x26D4), (0x26E9, 0x26EA), (0x26F0, 0x26F5), (0x26F7, 0x26FA),
        (0x26FD, 0x26FD), (0x2702, 0x2702), (0x2705, 0x2705), (0x2708, 0x270D), (0x270F, 0x270F),
        (0x2712, 0x2712), (0x2714, 0x2714), (0x2716, 0x2716), (0x271D, 0x271D), (0x2721, 0x2721),
        (0x2728, 0x2728), (0x2733, 0x2734), (0x2744, 0x2744), (0x2747, 0x2747), (0x274C, 0x274C),
        (0x274E, 0x274E), (0x2753, 0x2755), (0x2757, 0x2757), (0x2763, 0x2764), (0x2795, 0x2797),
        (0x27A1, 0x27A1), (0x27B0, 0x27B0), (0x27BF, 0x27BF), (0x2934, 0x2935), (0x2B05, 0x2B07),
        (0x2B1B, 0x2B1C), (0x2B50, 0x2B50), (0x2B55, 0x2B55), (0x3030, 0x3030), (0x303D, 0x303D),
        (0x3297, 0x3297), (0x3299, 0x3299),
    ];

    private static readonly int[] BmpStarts = BmpRanges.Select(r => r.Start).ToArray();
    private static readonly int[] BmpEnds = BmpRanges.Select(r => r.End).ToArray();
}
