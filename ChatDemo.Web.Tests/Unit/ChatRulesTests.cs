using ChatDemo.Web.Chat;

namespace ChatDemo.Web.Tests.Unit;

public sealed class ChatRulesTests
{
    private static readonly string AstralLetter = char.ConvertFromUtf32(0x1D400); // MATHEMATICAL BOLD CAPITAL A, a letter
    private static readonly string Emoji = char.ConvertFromUtf32(0x1F600);

    public static TheoryData<string, string> AcceptedNames => new()
    {
        { "Alice", "Alice" },
        { "  Alice  ", "Alice" },
        { "\u00A0Bob\u3000", "Bob" },
        { "Jean-Luc O'Brien_2.0", "Jean-Luc O'Brien_2.0" },
        { "Zoë", "Zoë" },
        { "Jose\u0301", "Jose\u0301" },
        { "李小龙", "李小龙" },
        { "R2D2", "R2D2" },
        { new string('a', 32), new string('a', 32) },
        { string.Concat(Enumerable.Repeat(AstralLetter, 32)), string.Concat(Enumerable.Repeat(AstralLetter, 32)) },
    };

    [Theory]
    [MemberData(nameof(AcceptedNames))]
    public void ValidNamesAreAcceptedTrimmed(string raw, string expected)
    {
        Assert.True(ChatRules.TryNormalizeName(raw, out var name, out var error), error);
        Assert.Equal(expected, name);
    }

    public static TheoryData<string?> RejectedNames => new()
    {
        null, "", "   ", new string('a', 33), string.Concat(Enumerable.Repeat(AstralLetter, 33)),
        "Alice\n", "Ali\r\nce", "\tAlice", "Al\u0000ice", "Alice\u007F", "Alice\u0085", "Alice\u0007",
        "Alice" + Emoji, "<script>", "a@b", "Alice!", "Al\u200Bice",
    };

    [Theory]
    [MemberData(nameof(RejectedNames))]
    public void InvalidNamesAreRejectedWithAReason(string? raw)
    {
        Assert.False(ChatRules.TryNormalizeName(raw, out _, out var error));
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Theory]
    [InlineData("lobby")]
    [InlineData("Lobby_2-b")]
    [InlineData("a")]
    [InlineData("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")]
    public void ValidRoomsAndClientMessageIdsAreAccepted(string value)
    {
        Assert.True(ChatRules.IsValidRoom(value));
        Assert.True(ChatRules.IsValidClientMessageId(value));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("lob by")]
    [InlineData("lobby!")]
    [InlineData("lobby/x")]
    [InlineData("café")]
    [InlineData("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-a")]
    public void InvalidRoomsAndClientMessageIdsAreRejected(string? value)
    {
        Assert.False(ChatRules.IsValidRoom(value));
        Assert.False(ChatRules.IsValidClientMessageId(value));
    }

    public static TheoryData<string, string> AcceptedTexts => new()
    {
        { "hi", "hi" },
        { "  hi \n\t ", "hi" },
        { "line 1\nline 2\tcolumn", "line 1\nline 2\tcolumn" },
        { new string('a', 2000), new string('a', 2000) },
        { " " + string.Concat(Enumerable.Repeat(Emoji, 2000)) + " ", string.Concat(Enumerable.Repeat(Emoji, 2000)) },
    };

    [Theory]
    [MemberData(nameof(AcceptedTexts))]
    public void ValidTextsAreAcceptedTrimmed(string raw, string expected)
    {
        Assert.True(ChatRules.TryNormalizeText(raw, out var text, out var error), error);
        Assert.Equal(expected, text);
    }

    public static TheoryData<string> RejectedTexts => new()
    {
        "", "   \n\t ", new string('a', 2001), string.Concat(Enumerable.Repeat(Emoji, 2001)),
        "a\rb", "hi\r", "\r\nhi", "a\u007Fb", "a\u0000b", "a\u0085b", "a\u001Bb",
    };

    [Theory]
    [MemberData(nameof(RejectedTexts))]
    public void InvalidTextsAreRejectedWithAReason(string raw)
    {
        Assert.False(ChatRules.TryNormalizeText(raw, out _, out var error));
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    // Not theory data: the test runner would replace a lone surrogate with U+FFFD on its way in.
    [Fact]
    public void TextsAndNamesWithLoneSurrogatesAreRejected()
    {
        foreach (var raw in new[] { "a\uD800b", "\uDC00", "a\uDE00\uD83D", "hi\uD83D" })
        {
            Assert.False(ChatRules.TryNormalizeText(raw, out _, out var error), raw);
            Assert.False(string.IsNullOrWhiteSpace(error));
            Assert.False(ChatRules.TryNormalizeName(raw, out _, out _), raw);
        }
    }
}
