using System.Text;
using ChatDemo.Web.Chat;

namespace ChatDemo.Web.Tests.Unit;

/// <summary>protocol.md 10.2 and 10.5: the v1.1 frames as the parser reads them.</summary>
public sealed class ChangeFrameTests
{
    private static ClientFrame Parse(string json) => ClientFrame.Parse(Encoding.UTF8.GetBytes(json));

    private static void AssertRejected(string json, string code, string? clientMessageId)
    {
        var rejected = Assert.IsType<ClientFrame.Rejected>(Parse(json));
        Assert.Equal(code, rejected.Code);
        Assert.Equal(clientMessageId, rejected.ClientMessageId);
        Assert.False(string.IsNullOrWhiteSpace(rejected.Message));
    }

    [Fact]
    public void EachChangeActionParsesWithItsFields()
    {
        Assert.Equal(new ClientFrame.ChangeMessage(42, new MessageChange.Edit("fixed"), "e-1"),
            Parse("""{"action":"editMessage","seq":42,"text":"  fixed\n","clientMessageId":"e-1"}"""));
        Assert.Equal(new ClientFrame.ChangeMessage(7, new MessageChange.Delete(), null),
            Parse("""{"action":"deleteMessage","seq":7}"""));
        Assert.Equal(new ClientFrame.ChangeMessage(3, new MessageChange.React("👍🏽", Add: true), "r-1"),
            Parse("""{"action":"react","seq":3,"emoji":"👍🏽","op":"add","clientMessageId":"r-1"}"""));
        Assert.Equal(new ClientFrame.ChangeMessage(3, new MessageChange.React("🇫🇷", Add: false), null),
            Parse("""{"action":"react","seq":3,"emoji":"\ud83c\uddeb\ud83c\uddf7","op":"remove","extra":[1]}"""));
    }

    [Fact]
    public void ASendMayReplyToASeq()
    {
        Assert.Equal(new ClientFrame.SendMessage("c-1", "re", 41), Parse("""{"action":"sendMessage","clientMessageId":"c-1","text":"re","replyTo":41}"""));
        Assert.Equal(new ClientFrame.SendMessage("c-1", "plain"), Parse("""{"action":"sendMessage","clientMessageId":"c-1","text":"plain"}"""));
    }

    [Theory]
    [InlineData("""{"action":"editMessage","text":"x","clientMessageId":"e-1"}""")]
    [InlineData("""{"action":"editMessage","seq":0,"text":"x","clientMessageId":"e-1"}""")]
    [InlineData("""{"action":"editMessage","seq":-1,"text":"x","clientMessageId":"e-1"}""")]
    [InlineData("""{"action":"editMessage","seq":1.5,"text":"x","clientMessageId":"e-1"}""")]
    [InlineData("""{"action":"editMessage","seq":1e2,"text":"x","clientMessageId":"e-1"}""")]
    [InlineData("""{"action":"editMessage","seq":"1","text":"x","clientMessageId":"e-1"}""")]
    [InlineData("""{"action":"editMessage","seq":9007199254740992,"text":"x","clientMessageId":"e-1"}""")]
    [InlineData("""{"action":"editMessage","seq":1,"clientMessageId":"e-1"}""")]
    [InlineData("""{"action":"editMessage","seq":1,"text":"   ","clientMessageId":"e-1"}""")]
    [InlineData("""{"action":"editMessage","seq":1,"text":"a\rb","clientMessageId":"e-1"}""")]
    [InlineData("""{"action":"editMessage","seq":1,"text":7,"clientMessageId":"e-1"}""")]
    [InlineData("""{"action":"deleteMessage","seq":null,"clientMessageId":"e-1"}""")]
    [InlineData("""{"action":"react","seq":1,"emoji":"👍","clientMessageId":"e-1"}""")]
    [InlineData("""{"action":"react","seq":1,"emoji":"👍","op":"toggle","clientMessageId":"e-1"}""")]
    [InlineData("""{"action":"react","seq":1,"emoji":"👍","op":"ADD","clientMessageId":"e-1"}""")]
    [InlineData("""{"action":"sendMessage","clientMessageId":"e-1","text":"x","replyTo":0}""")]
    [InlineData("""{"action":"sendMessage","clientMessageId":"e-1","text":"x","replyTo":"4"}""")]
    [InlineData("""{"action":"sendMessage","clientMessageId":"e-1","text":"x","replyTo":null}""")]
    public void BadFieldsAreValidationFailedEchoingTheClientMessageId(string json) =>
        AssertRejected(json, ErrorCodes.ValidationFailed, "e-1");

    [Theory]
    [InlineData("""{"action":"editMessage","seq":1,"text":"x","clientMessageId":"bad id"}""")]
    [InlineData("""{"action":"deleteMessage","seq":1,"clientMessageId":""}""")]
    [InlineData("""{"action":"react","seq":1,"emoji":"👍","op":"add","clientMessageId":42}""")]
    public void AClientMessageIdThatIsGivenMustBeValid(string json) =>
        AssertRejected(json, ErrorCodes.ValidationFailed, null);

    [Theory]
    [InlineData("""{"action":"react","seq":1,"op":"add","clientMessageId":"r-1"}""")]
    [InlineData("""{"action":"react","seq":1,"emoji":"","op":"add","clientMessageId":"r-1"}""")]
    [InlineData("""{"action":"react","seq":1,"emoji":"ok","op":"add","clientMessageId":"r-1"}""")]
    [InlineData("""{"action":"react","seq":1,"emoji":"👍👍","op":"add","clientMessageId":"r-1"}""")]
    [InlineData("""{"action":"react","seq":1,"emoji":"\ud83d","op":"add","clientMessageId":"r-1"}""")]
    [InlineData("""{"action":"react","seq":1,"emoji":["👍"],"op":"add","clientMessageId":"r-1"}""")]
    public void AnythingButOneEmojiIsInvalidEmoji(string json) =>
        AssertRejected(json, ErrorCodes.InvalidEmoji, "r-1");
}
