using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using ChatDemo.Web.Tests.TestInfrastructure;

namespace ChatDemo.Web.Tests.Kestrel;

/// <summary>protocol.md section 3: every bad frame gets an error to its sender only; nothing is stored, nobody else sees anything.</summary>
public sealed class FrameValidationTests(SharedChatApp shared) : IClassFixture<SharedChatApp>
{
    private ChatApp App => shared.App;

    /// <summary>Sends the bad frame, checks the error, then proves the connection is open and nothing leaked or was stored.</summary>
    private async Task AssertRejectedAsync(Func<ChatSocket, Task> sendBadFrame, string code, string? echoedClientMessageId)
    {
        var room = Frames.NewRoom();
        var (_, alice) = await App.JoinAsync("Alice", room);
        await using var aliceScope = alice;
        var (_, bob) = await App.JoinAsync("Bob", room);
        await using var bobScope = bob;

        await sendBadFrame(alice);
        var error = await alice.WaitForAsync("error");
        Assert.Equal(code, error.Str("code"));
        Assert.False(string.IsNullOrWhiteSpace(error.Str("message")));
        if (echoedClientMessageId is null) Assert.False(error.TryGetProperty("clientMessageId", out _), error.ToString());
        else Assert.Equal(echoedClientMessageId, error.Str("clientMessageId"));

        // Still open, and the bad frame used no seq: the next message is the room's first.
        await alice.SendMessageAsync("after-bad-frame", "still here");
        Assert.Equal(1, (await alice.WaitForAsync("ack")).GetProperty("seq").GetInt64());
        await bob.WaitForAsync("message", m => m.Str("clientMessageId") == "after-bad-frame");
        var bobSaw = await bob.CollectAsync(TimeSpan.Zero);
        Assert.All(bobSaw, f => Assert.Equal("presence", f.Type()));
        Assert.DoesNotContain(await alice.CollectAsync(TimeSpan.Zero), f => f.Type() == "error");

        var history = await App.GetJsonAsync($"/api/rooms/{room}/messages");
        var stored = Assert.Single(history.GetProperty("messages").EnumerateArray());
        Assert.Equal("after-bad-frame", stored.Str("clientMessageId"));
    }

    private Task AssertRejectedAsync(string frame, string code, string? echoed = null) =>
        AssertRejectedAsync(socket => socket.SendTextAsync(frame), code, echoed);

    [Theory]
    [InlineData("not json")]
    [InlineData("")]
    [InlineData("[{\"action\":\"ping\"}]")]
    [InlineData("[]")]
    [InlineData("\"ping\"")]
    [InlineData("42")]
    [InlineData("null")]
    [InlineData("{\"action\":\"sendMessage\",\"clientMessageId\":\"c-1\",\"text\":\"trunc")]
    [InlineData("{\"action\":\"ping\"}{\"action\":\"ping\"}")]
    public Task AFrameThatIsNotOneJsonObjectIsInvalidJson(string frame) => AssertRejectedAsync(frame, "invalid_json");

    [Fact]
    public Task DeeplyNestedJsonIsInvalidJson() =>
        AssertRejectedAsync("{\"action\":\"ping\",\"x\":" + string.Concat(Enumerable.Repeat("[", 5000)) + string.Concat(Enumerable.Repeat("]", 5000)) + "}",
            "invalid_json");

    [Fact]
    public Task InvalidUtf8InABinaryFrameIsInvalidJson() =>
        AssertRejectedAsync(socket => socket.SendBytesAsync([0x7B, 0xFF, 0xFE, 0x7D], WebSocketMessageType.Binary), "invalid_json", null);

    [Fact]
    public Task ABinaryFrameIsInvalidJsonEvenWhenItHoldsJson() =>
        AssertRejectedAsync(socket => socket.SendBytesAsync("{\"action\":\"ping\"}"u8.ToArray(), WebSocketMessageType.Binary), "invalid_json", null);

    [Theory]
    [InlineData("{}", null)]
    [InlineData("{\"text\":\"hi\"}", null)]
    [InlineData("{\"action\":42}", null)]
    [InlineData("{\"action\":null}", null)]
    [InlineData("{\"action\":true,\"clientMessageId\":\"c-9\"}", "c-9")]
    [InlineData("{\"action\":\"dance\"}", null)]
    [InlineData("{\"action\":\"SENDMESSAGE\",\"clientMessageId\":\"c-8\",\"text\":\"hi\"}", "c-8")]
    [InlineData("{\"action\":\"$default\"}", null)]
    public Task AMissingNonStringOrUnknownActionIsUnknownAction(string frame, string? echoed) =>
        AssertRejectedAsync(frame, "unknown_action", echoed);

    [Theory]
    [InlineData("{\"action\":\"sendMessage\",\"text\":\"hi\"}", null)]
    [InlineData("{\"action\":\"sendMessage\",\"clientMessageId\":\"\",\"text\":\"hi\"}", null)]
    [InlineData("{\"action\":\"sendMessage\",\"clientMessageId\":\"with space\",\"text\":\"hi\"}", null)]
    [InlineData("{\"action\":\"sendMessage\",\"clientMessageId\":\"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-a\",\"text\":\"hi\"}", null)]
    [InlineData("{\"action\":\"sendMessage\",\"clientMessageId\":7,\"text\":\"hi\"}", null)]
    [InlineData("{\"action\":\"sendMessage\",\"clientMessageId\":\"c-1\"}", "c-1")]
    [InlineData("{\"action\":\"sendMessage\",\"clientMessageId\":\"c-1\",\"text\":17}", "c-1")]
    [InlineData("{\"action\":\"sendMessage\",\"clientMessageId\":\"c-1\",\"text\":\"\"}", "c-1")]
    [InlineData("{\"action\":\"sendMessage\",\"clientMessageId\":\"c-1\",\"text\":\"  \\n\\t  \"}", "c-1")]
    [InlineData("{\"action\":\"sendMessage\",\"clientMessageId\":\"c-1\",\"text\":\"a\\rb\"}", "c-1")]
    [InlineData("{\"action\":\"sendMessage\",\"clientMessageId\":\"c-1\",\"text\":\"hi\\r\"}", "c-1")]
    [InlineData("{\"action\":\"sendMessage\",\"clientMessageId\":\"c-1\",\"text\":\"a\\u007fb\"}", "c-1")]
    [InlineData("{\"action\":\"sendMessage\",\"clientMessageId\":\"c-1\",\"text\":\"a\\u0000b\"}", "c-1")]
    [InlineData("{\"action\":\"sendMessage\",\"clientMessageId\":\"c-1\",\"text\":\"a\\u001bb\"}", "c-1")]
    [InlineData("{\"action\":\"sendMessage\",\"clientMessageId\":\"c-1\",\"text\":\"a\\ud800b\"}", "c-1")]
    [InlineData("{\"action\":\"sendMessage\",\"clientMessageId\":\"c-1\",\"text\":\"\\udc00\"}", "c-1")]
    public Task ASendMessageWithAMissingOrBadFieldIsValidationFailed(string frame, string? echoed) =>
        AssertRejectedAsync(frame, "validation_failed", echoed);

    [Fact]
    public Task AText2001CodePointsLongIsValidationFailed() =>
        AssertRejectedAsync(JsonSerializer.Serialize(new
        {
            action = "sendMessage",
            clientMessageId = "c-long",
            text = string.Concat(Enumerable.Repeat(char.ConvertFromUtf32(0x1F600), 2001)),
        }), "validation_failed", "c-long");

    [Fact]
    public async Task AText2000CodePointsLongIsAccepted()
    {
        var (_, alice) = await App.JoinAsync("Alice", Frames.NewRoom());
        await using var _ = alice;
        var text = string.Concat(Enumerable.Repeat(char.ConvertFromUtf32(0x1F600), 2000));
        await alice.SendMessageAsync("c-2000", text);
        await alice.WaitForAsync("ack");
        Assert.Equal(text, (await alice.WaitForAsync("message")).Str("text"));
    }

    [Fact]
    public async Task InvalidUtf8InATextFrameNeverReachesTheRoom()
    {
        // RFC 6455 section 8.1 requires failing the connection on a text frame that is not UTF-8
        // (close 1007, which the client may see as a reset); .NET's WebSocket does so before the
        // chat logic sees the frame. Either that or an invalid_json error is acceptable; a stored
        // or broadcast message is not.
        var room = Frames.NewRoom();
        var (_, alice) = await App.JoinAsync("Alice", room);
        await using var _ = alice;
        var (_, bob) = await App.JoinAsync("Bob", room);
        await using var __ = bob;
        var frame = Encoding.UTF8.GetBytes("{\"action\":\"sendMessage\",\"clientMessageId\":\"c-1\",\"text\":\"a_b\"}");
        frame[Array.IndexOf(frame, (byte)'_')] = 0xFF;

        await alice.SendBytesAsync(frame);
        var error = alice.WaitForAsync("error");
        await Task.WhenAny(error, alice.Closed).WaitAsync(ChatSocket.DefaultTimeout);
        if (error.IsCompletedSuccessfully) Assert.Equal("invalid_json", (await error).Str("code"));
        else Assert.Equal(WebSocketCloseStatus.InvalidPayloadData, await alice.Closed);

        await bob.SendMessageAsync("b-1", "marker");
        await bob.WaitForAsync("ack");
        var history = await App.GetJsonAsync($"/api/rooms/{room}/messages");
        Assert.Equal("b-1", Assert.Single(history.GetProperty("messages").EnumerateArray()).Str("clientMessageId"));
    }
}
