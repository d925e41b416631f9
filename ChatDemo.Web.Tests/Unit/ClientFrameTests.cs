using System.Text;
using ChatDemo.Web.Chat;

namespace ChatDemo.Web.Tests.Unit;

public sealed class ClientFrameTests
{
    private static ClientFrame Parse(string json) => ClientFrame.Parse(Encoding.UTF8.GetBytes(json));

    private static ClientFrame.Rejected AssertRejected(ClientFrame frame, string code, string? clientMessageId)
    {
        var rejected = Assert.IsType<ClientFrame.Rejected>(frame);
        Assert.Equal(code, rejected.Code);
        Assert.Equal(clientMessageId, rejected.ClientMessageId);
        Assert.False(string.IsNullOrWhiteSpace(rejected.Message));
        return rejected;
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("[{\"action\":\"ping\"}]")]
    [InlineData("\"ping\"")]
    [InlineData("42")]
    [InlineData("null")]
    [InlineData("{\"action\":\"ping\"")]
    [InlineData("{\"action\":\"ping\"} {}")]
    [InlineData("{\"action\":\"ping\",}")]
    public void FramesThatAreNotOneJsonObjectAreInvalidJson(string frame) =>
        AssertRejected(Parse(frame), ErrorCodes.InvalidJson, null);

    [Fact]
    public void InvalidUtf8IsInvalidJson()
    {
        AssertRejected(ClientFrame.Parse([0xFF, 0xFE, 0x7B, 0x7D]), ErrorCodes.InvalidJson, null);
        var insideString = Encoding.UTF8.GetBytes("{\"action\":\"sendMessage\",\"clientMessageId\":\"c-1\",\"text\":\"a_b\"}");
        insideString[Array.IndexOf(insideString, (byte)'_')] = 0xC3; // a lead byte with no continuation
        AssertRejected(ClientFrame.Parse(insideString), ErrorCodes.InvalidJson, null);
    }

    [Fact]
    public void DeeplyNestedJsonIsInvalidJsonNotACrash() =>
        AssertRejected(Parse(string.Concat(Enumerable.Repeat("{\"a\":", 200)) + "1" + new string('}', 200)), ErrorCodes.InvalidJson, null);

    [Theory]
    [InlineData("{}", null)]
    [InlineData("{\"action\":42}", null)]
    [InlineData("{\"action\":null}", null)]
    [InlineData("{\"action\":[\"ping\"]}", null)]
    [InlineData("{\"action\":\"dance\"}", null)]
    [InlineData("{\"action\":\"SendMessage\"}", null)]
    [InlineData("{\"action\":\"dance\",\"clientMessageId\":\"c-1\"}", "c-1")]
    [InlineData("{\"clientMessageId\":\"c-2\",\"text\":\"hi\"}", "c-2")]
    [InlineData("{\"action\":\"dance\",\"clientMessageId\":\"bad id\"}", null)]
    public void MissingNonStringOrUnknownActionsAreUnknownAction(string frame, string? echoed) =>
        AssertRejected(Parse(frame), ErrorCodes.UnknownAction, echoed);

    [Theory]
    [InlineData("{\"action\":\"sendMessage\",\"text\":\"hi\"}", null)]
    [InlineData("{\"action\":\"sendMessage\",\"clientMessageId\":\"\",\"text\":\"hi\"}", null)]
    [InlineData("{\"action\":\"sendMessage\",\"clientMessageId\":\"has space\",\"text\":\"hi\"}", null)]
    [InlineData("{\"action\":\"sendMessage\",\"clientMessageId\":\"x\\u00e9\",\"text\":\"hi\"}", null)]
    [InlineData("{\"action\":\"sendMessage\",\"clientMessageId\":17,\"text\":\"hi\"}", null)]
    [InlineData("{\"action\":\"sendMessage\",\"clientMessageId\":\"\\ud800\",\"text\":\"hi\"}", null)]
    [InlineData("{\"action\":\"sendMessage\",\"clientMessageId\":\"c-1\"}", "c-1")]
    [InlineData("{\"action\":\"sendMessage\",\"clientMessageId\":\"c-1\",\"text\":null}", "c-1")]
    [InlineData("{\"action\":\"sendMessage\",\"clientMessageId\":\"c-1\",\"text\":42}", "c-1")]
    [InlineData("{\"action\":\"sendMessage\",\"clientMessageId\":\"c-1\",\"text\":\"\"}", "c-1")]
    [InlineData("{\"action\":\"sendMessage\",\"clientMessageId\":\"c-1\",\"text\":\" \\n\\t \"}", "c-1")]
    [InlineData("{\"action\":\"sendMessage\",\"clientMessageId\":\"c-1\",\"text\":\"a\\rb\"}", "c-1")]
    [InlineData("{\"action\":\"sendMessage\",\"clientMessageId\":\"c-1\",\"text\":\"a\\u007fb\"}", "c-1")]
    [InlineData("{\"action\":\"sendMessage\",\"clientMessageId\":\"c-1\",\"text\":\"a\\u0000b\"}", "c-1")]
    [InlineData("{\"action\":\"sendMessage\",\"clientMessageId\":\"c-1\",\"text\":\"a\\ud800b\"}", "c-1")]
    [InlineData("{\"action\":\"sendMessage\",\"clientMessageId\":\"c-1\",\"text\":\"\\udc00\"}", "c-1")]
    public void SendMessageWithAMissingOrOutOfBoundsFieldIsValidationFailed(string frame, string? echoed) =>
        AssertRejected(Parse(frame), ErrorCodes.ValidationFailed, echoed);

    [Fact]
    public void TextOf2001CodePointsIsValidationFailedAnd2000IsAccepted()
    {
        var emoji = char.ConvertFromUtf32(0x1F600);
        var ok = Parse($"{{\"action\":\"sendMessage\",\"clientMessageId\":\"c-1\",\"text\":\"{string.Concat(Enumerable.Repeat(emoji, 2000))}\"}}");
        Assert.Equal(2000, Assert.IsType<ClientFrame.SendMessage>(ok).Text.EnumerateRunes().Count());
        AssertRejected(Parse($"{{\"action\":\"sendMessage\",\"clientMessageId\":\"c-1\",\"text\":\"{string.Concat(Enumerable.Repeat(emoji, 2001))}\"}}"),
            ErrorCodes.ValidationFailed, "c-1");
    }

    [Fact]
    public void SendMessageIsParsedTrimmedAndIgnoresUnknownProperties()
    {
        var frame = Parse("{\"action\":\"sendMessage\",\"clientMessageId\":\"c-1\",\"text\":\"  hi\\nthere\\t \",\"sender\":{\"id\":\"u_evil\"},\"x\":1}");
        Assert.Equal(new ClientFrame.SendMessage("c-1", "hi\nthere"), frame);
    }

    [Fact]
    public void TypingAndPingAreRecognisedWithExtraProperties()
    {
        Assert.IsType<ClientFrame.Typing>(Parse("{\"action\":\"typing\",\"room\":\"other\"}"));
        Assert.IsType<ClientFrame.Ping>(Parse("{\"action\":\"ping\"}"));
    }
}
