using ChatDemo.Web.Chat;

namespace ChatDemo.Web.Tests.Unit;

public sealed class EmojiTests
{
    public static TheoryData<string, string> SingleEmoji => new()
    {
        { "\U0001F44D", "thumbs up" },
        { "\U0001F600", "grinning face" },
        { "\u2764", "heart, text presentation" },
        { "\u2764\uFE0F", "heart with the emoji presentation selector" },
        { "\u2705", "check mark (BMP, emoji presentation)" },
        { "\u00A9\uFE0F", "copyright sign as emoji" },
        { "\U0001F44D\U0001F3FD", "thumbs up, medium skin tone" },
        { "\U0001F1EB\U0001F1F7", "flag of France (two regional indicators)" },
        { "\U0001F1FA\U0001F1F8", "flag of the United States" },
        { "1\uFE0F\u20E3", "keycap 1" },
        { "#\u20E3", "keycap # without the selector" },
        { "*\uFE0F\u20E3", "keycap *" },
        { "\U0001F3F4\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067\U000E007F", "flag of England (tag sequence)" },
        { "\U0001F469\u200D\U0001F4BB", "woman technologist (ZWJ)" },
        { "\U0001F468\u200D\U0001F469\u200D\U0001F467\u200D\U0001F466", "family of four (ZWJ)" },
        { "\U0001F9D1\U0001F3FD\u200D\U0001F4BB", "technologist with skin tone (ZWJ + modifier)" },
        { "\U0001F3F3\uFE0F\u200D\U0001F308", "rainbow flag (ZWJ with selector)" },
        { "\u2764\uFE0F\u200D\U0001F525", "heart on fire" },
        { "\U0001FAF1\U0001F3FB\u200D\U0001FAF2\U0001F3FF", "handshake with two skin tones" },
        { "\U0001FAE8", "shaking face (Unicode 15)" },
    };

    [Theory]
    [MemberData(nameof(SingleEmoji))]
    public void ASingleEmojiIsAccepted(string emoji, string what) =>
        Assert.True(Emoji.IsSingle(emoji), what);

    public static TheoryData<string?, string> NotSingleEmoji => new()
    {
        { null, "missing" },
        { "", "empty" },
        { "a", "a letter" },
        { "1", "a digit alone" },
        { "#", "a keycap base alone" },
        { "!", "punctuation" },
        { "\u2192", "an arrow that is not an emoji" },
        { "\U0001F44D\U0001F44D", "two emoji" },
        { "\U0001F44D ", "an emoji and a space" },
        { "\U0001F44Dx", "an emoji with text" },
        { "x\U0001F44D", "text with an emoji" },
        { "\U0001F3FD", "a lone skin-tone modifier" },
        { "\u200D", "a lone zero-width joiner" },
        { "\U0001F44D\u200D", "an emoji with a trailing joiner" },
        { "\U0001F1EB", "a lone regional indicator" },
        { "\U0001F1EB\U0001F1F7\U0001F1E9", "three regional indicators (a flag and a half)" },
        { "\uFE0F", "a lone variation selector" },
        { "\ud83d", "a lone surrogate" },
        { "\U0001F3F4\U000E0067\U000E0062", "a tag sequence without its cancel tag" },
        { "e\u0301", "a letter with a combining accent (one grapheme, no emoji)" },
        { new string('a', 65), "over 64 UTF-16 units" },
        { string.Concat(Enumerable.Repeat("\U0001F468\u200D", 21)) + "\U0001F468", "a joiner chain over 64 units" },
    };

    [Theory]
    [MemberData(nameof(NotSingleEmoji))]
    public void AnythingButOneEmojiIsRefused(string? value, string what) =>
        Assert.False(Emoji.IsSingle(value), what);
}
