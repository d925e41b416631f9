using System.Text.Json;
using ChatDemo.Web.Tests.TestInfrastructure;

namespace ChatDemo.Web.Tests.Kestrel;

public sealed class SendingMessagesTests
{
    private static readonly string TimeFormat = @"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$";

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
        Assert.Equal("lobby", ack.Str("room"));
        Assert.Equal("c-1", ack.GetProperty("clientMessageId").GetString());
        Assert.Equal(1, ack.GetProperty("seq").GetInt64());
        Assert.StartsWith("m_", ack.Str("id"));
        Assert.Matches(TimeFormat, ack.Str("sentAt"));
        Assert.False(ack.GetProperty("duplicate").GetBoolean());

        var received = await bobSocket.WaitForAsync("message");
        Assert.Equal("lobby", received.Str("room"));
        Assert.Equal("c-1", received.Str("clientMessageId"));
        Assert.Equal("hello", received.GetProperty("text").GetString());
        Assert.Equal(alice.UserId, received.GetProperty("sender").GetProperty("id").GetString());
        Assert.Equal("Alice", received.GetProperty("sender").GetProperty("name").GetString());
        Assert.Equal(ack.GetProperty("id").GetString(), received.GetProperty("id").GetString());
        Assert.Equal(ack.Str("sentAt"), received.Str("sentAt"));
        Assert.Matches(TimeFormat, received.GetProperty("sentAt").GetString());

        var own = await aliceSocket.WaitForAsync("message");
        Assert.Equal(received.ToString(), own.ToString());

        // History holds the same message: the frame's fields without "type".
        var history = await app.GetJsonAsync("/api/rooms/lobby/messages");
        var stored = Assert.Single(history.GetProperty("messages").EnumerateArray());
        var frameWithoutType = received.EnumerateObject().Where(p => p.Name != "type").ToDictionary(p => p.Name, p => p.Value.ToString());
        Assert.Equal(frameWithoutType, stored.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ToString()));
    }

    [Fact]
    public async Task NewlinesAndTabsInsideATextAreKept()
    {
        await using var app = await ChatApp.StartAsync();
        var (_, alice) = await app.JoinAsync("Alice");
        await using var _ = alice;
        await alice.SendMessageAsync("c-1", "\n\tline 1\n\tline 2\t\n");
        Assert.Equal("line 1\n\tline 2", (await alice.WaitForAsync("message")).Str("text"));
    }

    [Fact]
    public async Task TheSenderComesFromTheTokenNeverFromTheFrame()
    {
        await using var app = await ChatApp.StartAsync();
        var (alice, socket) = await app.JoinAsync("Alice");
        await using var _ = socket;
        await socket.SendJsonAsync(new
        {
            action = "sendMessage", clientMessageId = "c-1", text = "hi",
            sender = new { id = "u_mallory", name = "Mallory" }, userId = "u_mallory", name = "Mallory", room = "other", seq = 99,
        });
        var message = await socket.WaitForAsync("message");
        Assert.Equal(alice.UserId, message.GetProperty("sender").Str("id"));
        Assert.Equal("Alice", message.GetProperty("sender").Str("name"));
        Assert.Equal("lobby", message.Str("room"));
        Assert.Equal(1, message.GetProperty("seq").GetInt64());
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
        await alice.SendMessageAsync("c-2", "marker");
        var third = await alice.WaitForAsync("ack");

        Assert.True(second.GetProperty("duplicate").GetBoolean());
        Assert.Equal(first.GetProperty("id").GetString(), second.GetProperty("id").GetString());
        Assert.Equal(first.GetProperty("seq").GetInt64(), second.GetProperty("seq").GetInt64());
        Assert.Equal(first.Str("sentAt"), second.Str("sentAt"));
        Assert.Equal(2, third.GetProperty("seq").GetInt64());

        // The marker is broadcast after anything the resend could have caused.
        await bob.WaitForAsync("message", m => m.Str("clientMessageId") == "c-2");
        var bobFrames = await bob.CollectAsync(TimeSpan.Zero);
        Assert.Single(bobFrames, f => f.Type() == "message");
        Assert.Equal(2, (await alice.CollectAsync(TimeSpan.Zero)).Count(f => f.Type() == "message"));
        var history = await app.GetJsonAsync("/api/rooms/lobby/messages");
        Assert.Equal(2, history.GetProperty("messages").GetArrayLength());
    }

    [Fact]
    public async Task ResendingAfterAReconnectIsAnsweredAsADuplicate()
    {
        await using var app = await ChatApp.StartAsync();
        var alice = await app.CreateSessionAsync("Alice");
        var (_, bob) = await app.JoinAsync("Bob");
        await using var _ = bob;

        JsonElement first;
        await using (var socket = await app.ConnectAsync(alice))
        {
            await socket.SendMessageAsync("c-1", "before the reconnect");
            first = await socket.WaitForAsync("ack");
        }
        await using var again = await app.ConnectAsync(alice);
        await again.SendMessageAsync("c-1", "before the reconnect");
        var resent = await again.WaitForAsync("ack");
        Assert.True(resent.GetProperty("duplicate").GetBoolean());
        Assert.Equal(first.Str("id"), resent.Str("id"));
        Assert.Equal(first.GetProperty("seq").GetInt64(), resent.GetProperty("seq").GetInt64());

        await again.SendMessageAsync("c-2", "marker");
        await bob.WaitForAsync("message", m => m.Str("clientMessageId") == "c-2");
        Assert.Single(await bob.CollectAsync(TimeSpan.Zero), f => f.Type() == "message");
        Assert.Equal(2, (await app.GetJsonAsync("/api/rooms/lobby/messages")).GetProperty("messages").GetArrayLength());
    }

    [Fact]
    public async Task TheSameClientMessageIdFromAnotherUserOrInAnotherRoomIsANewMessage()
    {
        await using var app = await ChatApp.StartAsync();
        var alice = await app.CreateSessionAsync("Alice");
        await using var aliceLobby = await app.ConnectAsync(alice);
        await using var aliceKitchen = await app.ConnectAsync(alice, "kitchen");
        var (_, bob) = await app.JoinAsync("Bob");
        await using var _ = bob;

        await aliceLobby.SendMessageAsync("c-1", "from alice");
        Assert.False((await aliceLobby.WaitForAsync("ack")).GetProperty("duplicate").GetBoolean());
        await bob.SendMessageAsync("c-1", "from bob");
        var bobAck = await bob.WaitForAsync("ack");
        Assert.False(bobAck.GetProperty("duplicate").GetBoolean());
        Assert.Equal(2, bobAck.GetProperty("seq").GetInt64());
        await aliceKitchen.SendMessageAsync("c-1", "from alice in the kitchen");
        var kitchenAck = await aliceKitchen.WaitForAsync("ack");
        Assert.False(kitchenAck.GetProperty("duplicate").GetBoolean());
        Assert.Equal(1, kitchenAck.GetProperty("seq").GetInt64());
    }

    [Fact]
    public async Task EachRoomNumbersItsMessagesFromOneWithoutGaps()
    {
        await using var app = await ChatApp.StartAsync();
        var (_, lobby) = await app.JoinAsync("Alice");
        await using var _ = lobby;
        var (_, kitchen) = await app.JoinAsync("Bob", "kitchen");
        await using var __ = kitchen;

        for (var i = 1; i <= 3; i++)
        {
            await lobby.SendMessageAsync($"l-{i}", $"lobby {i}");
            Assert.Equal(i, (await lobby.WaitForAsync("ack")).GetProperty("seq").GetInt64());
        }
        await kitchen.SendMessageAsync("k-1", "kitchen 1");
        Assert.Equal(1, (await kitchen.WaitForAsync("ack")).GetProperty("seq").GetInt64());
        await lobby.SendMessageAsync("l-4", "lobby 4");
        Assert.Equal(4, (await lobby.WaitForAsync("ack")).GetProperty("seq").GetInt64());
        // Rooms are case-sensitive: "Kitchen" is another room with its own numbering.
        var (_, upper) = await app.JoinAsync("Carol", "Kitchen");
        await using var ___ = upper;
        await upper.SendMessageAsync("K-1", "other room");
        Assert.Equal(1, (await upper.WaitForAsync("ack")).GetProperty("seq").GetInt64());
    }

    [Fact]
    public async Task EveryMemberSeesConcurrentSendersMessagesInSeqOrder()
    {
        await using var app = await ChatApp.StartAsync();
        const int senders = 4, perSender = 15;
        var sockets = new List<ChatSocket>();
        try
        {
            for (var s = 0; s < senders; s++) sockets.Add((await app.JoinAsync($"User{s}")).Socket);
            var (_, listener) = await app.JoinAsync("Listener");
            sockets.Add(listener);

            await Task.WhenAll(sockets.Take(senders).Select((socket, s) => Task.Run(async () =>
            {
                for (var i = 0; i < perSender; i++) await socket.SendMessageAsync($"s{s}-{i}", $"sender {s} message {i}");
            })));

            foreach (var socket in sockets)
            {
                var seqs = new List<long>();
                for (var n = 0; n < senders * perSender; n++)
                    seqs.Add((await socket.WaitForAsync("message", timeout: TimeSpan.FromSeconds(30))).GetProperty("seq").GetInt64());
                Assert.Equal(Enumerable.Range(1, senders * perSender).Select(i => (long)i), seqs);
            }
            var history = await app.GetJsonAsync("/api/rooms/lobby/messages?limit=100");
            Assert.Equal(Enumerable.Range(1, senders * perSender).Select(i => (long)i),
                history.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("seq").GetInt64()));
        }
        finally
        {
            foreach (var socket in sockets) await socket.DisposeAsync();
        }
    }

    [Fact]
    public async Task AnAckedMessageIsAlreadyInHistory()
    {
        await using var app = await ChatApp.StartAsync();
        var (_, alice) = await app.JoinAsync("Alice");
        await using var _ = alice;
        for (var i = 1; i <= 5; i++)
        {
            await alice.SendMessageAsync($"c-{i}", $"message {i}");
            var ack = await alice.WaitForAsync("ack");
            var page = await app.GetJsonAsync($"/api/rooms/lobby/messages?after={i - 1}");
            Assert.Equal(ack.Str("id"), Assert.Single(page.GetProperty("messages").EnumerateArray()).Str("id"));
        }
    }
}
