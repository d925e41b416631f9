using ChatDemo.Web.Tests.TestInfrastructure;

namespace ChatDemo.Web.Tests.Kestrel;

public sealed class SendingMessagesTests
{
    [Fact]
    public async Task SendingAMessageAcksTheSenderAndBroadcastsToTheRoom()
    {
        await using var app = await ChatApp.StartAsync();
        var (alice, aliceSocket) = await app.JoinAsync("Alice");
        await using var _ = aliceSocket;
        var (_, bobSocket) = await app.JoinAsync("Bob");
        await using var __ = bobSocket;

        await aliceSocket.SendMessageAsync("c-1", "  hello\n");

        var ack = await aliceSocket.WaitForAsync("ack");
        Assert.Equal("c-1", ack.GetProperty("clientMessageId").GetString());
        Assert.Equal(1, ack.GetProperty("seq").GetInt64());
        Assert.False(ack.GetProperty("duplicate").GetBoolean());

        var received = await bobSocket.WaitForAsync("message");
        Assert.Equal("hello", received.GetProperty("text").GetString());
        Assert.Equal(alice.UserId, received.GetProperty("sender").GetProperty("id").GetString());
        Assert.Equal("Alice", received.GetProperty("sender").GetProperty("name").GetString());
        Assert.Equal(ack.GetProperty("id").GetString(), received.GetProperty("id").GetString());
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$", received.GetProperty("sentAt").GetString());

        var own = await aliceSocket.WaitForAsync("message");
        Assert.Equal(1, own.GetProperty("seq").GetInt64());

        var history = await app.GetJsonAsync("/api/rooms/lobby/messages");
        Assert.Single(history.GetProperty("messages").EnumerateArray());
    }

    [Fact]
    public async Task ResendingTheSameClientMessageIdStoresAndBroadcastsNothingNew()
    {
        await using var app = await ChatApp.StartAsync();
        var (_, alice) = await app.JoinAsync("Alice");
        await using var _ = alice;
        var (_, bob) = await app.JoinAsync("Bob");
        await using var __ = bob;

        await alice.SendMessageAsync("c-1", "once");
        var first = await alice.WaitForAsync("ack");
        await alice.SendMessageAsync("c-1", "once");
        var second = await alice.WaitForAsync("ack");

        Assert.True(second.GetProperty("duplicate").GetBoolean());
        Assert.Equal(first.GetProperty("id").GetString(), second.GetProperty("id").GetString());
        Assert.Equal(first.GetProperty("seq").GetInt64(), second.GetProperty("seq").GetInt64());
        var bobFrames = await bob.CollectAsync(TimeSpan.FromMilliseconds(500));
        Assert.Single(bobFrames, f => f.GetProperty("type").GetString() == "message");
        var history = await app.GetJsonAsync("/api/rooms/lobby/messages");
        Assert.Single(history.GetProperty("messages").EnumerateArray());
    }
}
