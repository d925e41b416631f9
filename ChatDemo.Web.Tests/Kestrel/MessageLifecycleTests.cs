using System.Text.Json;
using ChatDemo.Web.Chat;
using ChatDemo.Web.Tests.TestInfrastructure;

namespace ChatDemo.Web.Tests.Kestrel;

/// <summary>protocol.md section 10 (v1.1): edits, deletes, reactions and replies over real WebSockets.</summary>
public sealed class MessageLifecycleTests
{
    private static Task EditAsync(ChatSocket socket, long seq, string text, string? clientMessageId = null) =>
        socket.SendJsonAsync(new Dictionary<string, object?> { ["action"] = "editMessage", ["seq"] = seq, ["text"] = text, ["clientMessageId"] = clientMessageId }
            .Where(p => p.Value is not null).ToDictionary());

    private static Task DeleteAsync(ChatSocket socket, long seq, string clientMessageId) =>
        socket.SendJsonAsync(new { action = "deleteMessage", seq, clientMessageId });

    private static Task ReactAsync(ChatSocket socket, long seq, string emoji, string op, string clientMessageId) =>
        socket.SendJsonAsync(new { action = "react", seq, emoji, op, clientMessageId });

    private static async Task<long> SendAsync(ChatSocket socket, string clientMessageId, string text)
    {
        await socket.SendMessageAsync(clientMessageId, text);
        return (await socket.WaitForAsync("ack", a => a.Str("clientMessageId") == clientMessageId)).GetProperty("seq").GetInt64();
    }

    private static Task<JsonElement> AckAsync(ChatSocket socket, string clientMessageId) =>
        socket.WaitForAsync("updateAck", a => a.Str("clientMessageId") == clientMessageId);

    private static Task<JsonElement> ErrorAsync(ChatSocket socket, string clientMessageId) =>
        socket.WaitForAsync("error", e => e.TryGetProperty("clientMessageId", out var id) && id.GetString() == clientMessageId);

    private static Task<JsonElement> UpdatedAsync(ChatSocket socket, long seq, long version) =>
        socket.WaitForAsync("messageUpdated", m => m.GetProperty("seq").GetInt64() == seq && m.GetProperty("version").GetInt64() == version);

    private static string WithoutType(JsonElement frame) =>
        JsonSerializer.Serialize(frame.EnumerateObject().Where(p => p.Name != "type").ToDictionary(p => p.Name, p => p.Value));

    private static string Canonical(JsonElement element) => JsonSerializer.Serialize(element);

    [Fact]
    public async Task AnEditIsAcknowledgedAndItsWholeStateReachesEveryoneAndHistory()
    {
        await using var app = await ChatApp.StartAsync();
        var (_, alice) = await app.JoinAsync("Alice");
        await using var _ = alice;
        var (_, bob) = await app.JoinAsync("Bob");
        await using var __ = bob;
        var seq = await SendAsync(alice, "c-1", "helo");

        await EditAsync(alice, seq, "  hello\n", "e-1");

        var ack = await AckAsync(alice, "e-1");
        Assert.Equal("editMessage", ack.Str("action"));
        Assert.False(ack.GetProperty("duplicate").GetBoolean());
        var state = ack.GetProperty("message");
        Assert.Equal(("hello", 2L, 1L), (state.Str("text"), state.GetProperty("version").GetInt64(), state.GetProperty("revision").GetInt64()));
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$", state.Str("editedAt"));

        var atBob = await UpdatedAsync(bob, seq, 2);
        var atAlice = await UpdatedAsync(alice, seq, 2);
        Assert.Equal(Canonical(state), WithoutType(atBob));
        Assert.Equal(WithoutType(atBob), WithoutType(atAlice));

        var page = await app.GetJsonAsync("/api/rooms/lobby/messages");
        Assert.Equal(1, page.GetProperty("revision").GetInt64());
        Assert.Equal(Canonical(state), Canonical(Assert.Single(page.GetProperty("messages").EnumerateArray())));
        Assert.Equal(Canonical(state), Canonical(await app.GetJsonAsync($"/api/rooms/lobby/messages/{seq}")));
    }

    [Fact]
    public async Task ReactionsCarryCountsAndWhoAndARemovalTakesOneBack()
    {
        await using var app = await ChatApp.StartAsync();
        var (alice, aliceSocket) = await app.JoinAsync("Alice");
        await using var _ = aliceSocket;
        var (bob, bobSocket) = await app.JoinAsync("Bob");
        await using var __ = bobSocket;
        var seq = await SendAsync(aliceSocket, "c-1", "lunch?");

        await ReactAsync(bobSocket, seq, "👍", "add", "r-1");
        await AckAsync(bobSocket, "r-1");
        await ReactAsync(aliceSocket, seq, "👍", "add", "r-2");
        var both = (await AckAsync(aliceSocket, "r-2")).GetProperty("message");
        await ReactAsync(bobSocket, seq, "👍", "remove", "r-3");
        var one = (await AckAsync(bobSocket, "r-3")).GetProperty("message");

        var reaction = Assert.Single(both.GetProperty("reactions").EnumerateArray());
        Assert.Equal("👍", reaction.Str("emoji"));
        Assert.Equal(2, reaction.GetProperty("count").GetInt32());
        Assert.Equal([bob.UserId, alice.UserId], reaction.GetProperty("users").EnumerateArray().Select(u => u.Str("id")));
        Assert.Equal(["Bob", "Alice"], reaction.GetProperty("users").EnumerateArray().Select(u => u.Str("name")));
        var left = Assert.Single(one.GetProperty("reactions").EnumerateArray());
        Assert.Equal((1, alice.UserId), (left.GetProperty("count").GetInt32(), Assert.Single(left.GetProperty("users").EnumerateArray()).Str("id")));
        Assert.Equal(4, one.GetProperty("version").GetInt64());
        Assert.Equal(Canonical(one), WithoutType(await UpdatedAsync(aliceSocket, seq, 4)));
    }

    [Fact]
    public async Task ADeleteLeavesATombstoneAndAResendOfTheOriginalIsStillADuplicate()
    {
        await using var app = await ChatApp.StartAsync();
        var (_, alice) = await app.JoinAsync("Alice");
        await using var _ = alice;
        var (_, bob) = await app.JoinAsync("Bob");
        await using var __ = bob;
        var seq = await SendAsync(alice, "c-1", "my password is hunter2");
        await ReactAsync(bob, seq, "😱", "add", "r-1");
        await AckAsync(bob, "r-1");

        await DeleteAsync(alice, seq, "d-1");

        var tombstone = await UpdatedAsync(bob, seq, 3);
        Assert.True(tombstone.GetProperty("deleted").GetBoolean());
        Assert.Equal("", tombstone.Str("text"));
        Assert.False(tombstone.TryGetProperty("reactions", out var _reactions));
        Assert.Equal(seq, tombstone.GetProperty("seq").GetInt64());
        Assert.Equal("Alice", tombstone.GetProperty("sender").Str("name"));
        var stored = Assert.Single((await app.GetJsonAsync("/api/rooms/lobby/messages")).GetProperty("messages").EnumerateArray());
        Assert.Equal(WithoutType(tombstone), Canonical(stored));
        Assert.DoesNotContain("hunter2", Canonical(stored), StringComparison.Ordinal);

        await alice.SendMessageAsync("c-1", "my password is hunter2");
        var resent = await alice.WaitForAsync("ack", a => a.GetProperty("duplicate").GetBoolean());
        Assert.Equal(seq, resent.GetProperty("seq").GetInt64());
    }

    [Fact]
    public async Task AReplyCarriesItsTargetAndAnUnknownTargetIsRefused()
    {
        await using var app = await ChatApp.StartAsync();
        var (_, alice) = await app.JoinAsync("Alice");
        await using var _ = alice;
        var first = await SendAsync(alice, "c-1", "question");

        await alice.SendJsonAsync(new { action = "sendMessage", clientMessageId = "c-2", text = "answer", replyTo = first });
        await alice.SendJsonAsync(new { action = "sendMessage", clientMessageId = "c-3", text = "to nothing", replyTo = 99 });

        var reply = await alice.WaitForAsync("message", m => m.Str("clientMessageId") == "c-2");
        Assert.Equal(first, reply.GetProperty("replyTo").GetInt64());
        Assert.Equal(ErrorCodes.UnknownMessage, (await ErrorAsync(alice, "c-3")).Str("code"));
        Assert.Equal(2, (await app.GetJsonAsync("/api/rooms/lobby/messages")).GetProperty("messages").GetArrayLength());
    }

    [Fact]
    public async Task EveryRefusalHasItsOwnCodeAndChangesNothing()
    {
        // Room in the budget for the 20 reactions that fill a message, and for the refusals after.
        await using var app = await ChatApp.StartAsync(new Dictionary<string, string?> { ["Chat:Limits:SendBurst"] = "100" });
        var (_, alice) = await app.JoinAsync("Alice");
        await using var _ = alice;
        var (_, bob) = await app.JoinAsync("Bob");
        await using var __ = bob;
        var mine = await SendAsync(alice, "c-1", "mine");
        var gone = await SendAsync(alice, "c-2", "gone soon");
        await DeleteAsync(alice, gone, "d-0");
        await AckAsync(alice, "d-0");
        for (var i = 0; i < 20; i++)
        {
            await ReactAsync(bob, mine, char.ConvertFromUtf32(0x1F600 + i), "add", $"fill-{i}");
            await AckAsync(bob, $"fill-{i}");
        }
        var before = Canonical(await app.GetJsonAsync("/api/rooms/lobby/messages"));

        (Func<Task> Send, string ClientMessageId, string Code)[] refusals =
        [
            (() => EditAsync(bob, mine, "not yours", "x-1"), "x-1", ErrorCodes.NotAuthor),
            (() => DeleteAsync(bob, mine, "x-2"), "x-2", ErrorCodes.NotAuthor),
            (() => EditAsync(alice, 99, "nothing there", "x-3"), "x-3", ErrorCodes.UnknownMessage),
            (() => ReactAsync(bob, 99, "👍", "add", "x-4"), "x-4", ErrorCodes.UnknownMessage),
            (() => DeleteAsync(alice, 99, "x-5"), "x-5", ErrorCodes.UnknownMessage),
            (() => EditAsync(alice, gone, "back", "x-6"), "x-6", ErrorCodes.MessageDeleted),
            (() => ReactAsync(bob, gone, "👍", "add", "x-7"), "x-7", ErrorCodes.MessageDeleted),
            (() => ReactAsync(bob, mine, "🎉", "add", "x-8"), "x-8", ErrorCodes.TooManyReactions),
            (() => ReactAsync(bob, mine, "thumbs up", "add", "x-9"), "x-9", ErrorCodes.InvalidEmoji),
            (() => ReactAsync(bob, mine, "👍👎", "add", "x-10"), "x-10", ErrorCodes.InvalidEmoji),
            (() => bob.SendJsonAsync(new { action = "react", seq = 0, emoji = "👍", op = "add", clientMessageId = "x-11" }), "x-11", ErrorCodes.ValidationFailed),
            (() => bob.SendJsonAsync(new { action = "react", seq = mine, emoji = "👍", op = "flip", clientMessageId = "x-12" }), "x-12", ErrorCodes.ValidationFailed),
            (() => alice.SendJsonAsync(new { action = "editMessage", seq = mine, text = "", clientMessageId = "x-13" }), "x-13", ErrorCodes.ValidationFailed),
            (() => alice.SendJsonAsync(new { action = "editMessage", seq = "1", text = "x", clientMessageId = "x-14" }), "x-14", ErrorCodes.ValidationFailed),
        ];
        foreach (var (send, clientMessageId, code) in refusals)
        {
            await send();
            var socket = clientMessageId is "x-3" or "x-5" or "x-6" or "x-13" or "x-14" ? alice : bob;
            var error = await ErrorAsync(socket, clientMessageId);
            Assert.True(code == error.Str("code"), $"{clientMessageId}: expected {code}, got {error.Str("code")} ({error.Str("message")})");
            Assert.False(string.IsNullOrWhiteSpace(error.Str("message")));
        }

        Assert.Equal(before, Canonical(await app.GetJsonAsync("/api/rooms/lobby/messages")));
        // Nobody saw a state for any of them: the only messageUpdated frames are the 21 accepted changes.
        await alice.SendJsonAsync(new { action = "ping" });
        await alice.WaitForAsync("pong");
        Assert.Equal(21, (await alice.CollectAsync(TimeSpan.FromMilliseconds(200))).Count(f => f.Type() == "messageUpdated"));
    }

    [Fact]
    public async Task ResentChangesAreDuplicatesThatBroadcastNothing()
    {
        await using var app = await ChatApp.StartAsync();
        var (_, alice) = await app.JoinAsync("Alice");
        await using var _ = alice;
        var (_, bob) = await app.JoinAsync("Bob");
        await using var __ = bob;
        var seq = await SendAsync(alice, "c-1", "typo");

        foreach (var (id, send) in new (string, Func<string, Task>)[]
        {
            ("e", id => EditAsync(alice, seq, "fixed", id)),
            ("r", id => ReactAsync(alice, seq, "👍", "add", id)),
            ("u", id => ReactAsync(alice, seq, "👎", "remove", id)),
            ("d", id => DeleteAsync(alice, seq, id)),
        })
        {
            await send(id + "-1");
            var first = await AckAsync(alice, id + "-1");
            await send(id + "-2");
            var again = await AckAsync(alice, id + "-2");
            Assert.True(again.GetProperty("duplicate").GetBoolean(), id);
            Assert.Equal(Canonical(first.GetProperty("message")), Canonical(again.GetProperty("message")));
        }

        // fixed (2), 👍 (3), removing a reaction nobody made changes nothing, deleted (4): three states.
        await bob.SendJsonAsync(new { action = "ping" });
        await bob.WaitForAsync("pong");
        var updates = (await bob.CollectAsync(TimeSpan.FromMilliseconds(200))).Where(f => f.Type() == "messageUpdated").ToList();
        Assert.Equal([2L, 3L, 4L], updates.Select(u => u.GetProperty("version").GetInt64()));
        Assert.Equal(3, (await app.GetJsonAsync("/api/rooms/lobby/messages")).GetProperty("revision").GetInt64());
    }

    [Fact]
    public async Task ChangesSpendTheSameBudgetAsSends()
    {
        await using var app = await ChatApp.StartAsync(new Dictionary<string, string?>
        {
            ["Chat:Limits:SendBurst"] = "3",
            ["Chat:Limits:SendPerSecond"] = "1",
        });
        var (_, alice) = await app.JoinAsync("Alice");
        await using var _ = alice;
        // Back to back, so that no token can come back in between: the send and three changes.
        await alice.SendMessageAsync("c-1", "one");
        const long seq = 1;
        await EditAsync(alice, seq, "two", "e-1");
        await ReactAsync(alice, seq, "👍", "add", "r-1");
        await DeleteAsync(alice, seq, "d-1");

        await AckAsync(alice, "e-1");
        await AckAsync(alice, "r-1");
        Assert.Equal(ErrorCodes.RateLimited, (await ErrorAsync(alice, "d-1")).Str("code"));
        Assert.False((await app.GetJsonAsync($"/api/rooms/lobby/messages/{seq}")).TryGetProperty("deleted", out var _deleted));
    }

    [Fact]
    public async Task TwoConnectionsRacingEditsAndReactionsOnOneMessageEndInOneStateEveryClientShows()
    {
        await using var app = await ChatApp.StartAsync();
        var alice = await app.CreateSessionAsync("Alice");
        await using var alice1 = await app.ConnectAsync(alice);
        await using var alice2 = await app.ConnectAsync(alice);
        var (_, bob) = await app.JoinAsync("Bob");
        await using var _ = bob;
        var (_, carol) = await app.JoinAsync("Carol");
        await using var __ = carol;
        var seq = await SendAsync(alice1, "c-1", "draft");

        // Two of Alice's connections edit while Bob's reacts, all at once.
        var sends = new List<Task>();
        for (var i = 0; i < 6; i++)
        {
            var n = i;
            sends.Add(Task.Run(() => EditAsync(n % 2 == 0 ? alice1 : alice2, seq, $"edit {n}", $"e-{n}")));
            sends.Add(Task.Run(() => ReactAsync(bob, seq, char.ConvertFromUtf32(0x1F600 + n), "add", $"r-{n}")));
        }
        await Task.WhenAll(sends);
        for (var i = 0; i < 6; i++)
        {
            await AckAsync(i % 2 == 0 ? alice1 : alice2, $"e-{i}");
            await AckAsync(bob, $"r-{i}");
        }

        var stored = await app.GetJsonAsync($"/api/rooms/lobby/messages/{seq}");
        Assert.Equal(13, stored.GetProperty("version").GetInt64());
        Assert.Equal(6, stored.GetProperty("reactions").GetArrayLength());
        Assert.StartsWith("edit ", stored.Str("text"), StringComparison.Ordinal);
        foreach (var socket in new[] { alice1, alice2, bob, carol })
        {
            // Each client sees every version once, in order, and ends on the stored state.
            var updates = await socket.CollectAsync(TimeSpan.FromMilliseconds(300));
            var versions = updates.Where(f => f.Type() == "messageUpdated").Select(f => f.GetProperty("version").GetInt64()).ToList();
            Assert.Equal(Enumerable.Range(2, 12).Select(v => (long)v), versions);
            Assert.Equal(Canonical(stored), WithoutType(updates.Last(f => f.Type() == "messageUpdated")));
        }
    }

    [Fact]
    public async Task AClientThatWasAwayCatchesUpWithChangedSince()
    {
        await using var app = await ChatApp.StartAsync();
        var (_, alice) = await app.JoinAsync("Alice");
        await using var _ = alice;
        var (_, bob) = await app.JoinAsync("Bob");
        await using var __ = bob;
        var one = await SendAsync(alice, "c-1", "one");
        var two = await SendAsync(alice, "c-2", "two");
        await SendAsync(alice, "c-3", "three");
        await EditAsync(alice, one, "one, edited", "e-0");
        await AckAsync(alice, "e-0");
        // Carol loaded the room here, then went offline.
        var held = (await app.GetJsonAsync("/api/rooms/lobby/messages")).GetProperty("revision").GetInt64();

        await EditAsync(alice, one, "one, edited again", "e-1");
        await AckAsync(alice, "e-1");
        await ReactAsync(bob, one, "👍", "add", "r-1");
        await AckAsync(bob, "r-1");
        await DeleteAsync(alice, two, "d-1");
        var last = (await AckAsync(alice, "d-1")).GetProperty("message");

        var changed = await app.GetJsonAsync($"/api/rooms/lobby/messages?changedSince={held}");

        Assert.Equal(1, held);
        Assert.Equal(4, changed.GetProperty("revision").GetInt64());
        Assert.False(changed.GetProperty("hasMore").GetBoolean());
        var messages = changed.GetProperty("messages").EnumerateArray().ToArray();
        Assert.Equal([one, two], messages.Select(m => m.GetProperty("seq").GetInt64()));
        Assert.Equal(("one, edited again", 1), (messages[0].Str("text"), messages[0].GetProperty("reactions").GetArrayLength()));
        Assert.Equal(Canonical(last), Canonical(messages[1]));
        Assert.Empty((await app.GetJsonAsync("/api/rooms/lobby/messages?changedSince=4")).GetProperty("messages").EnumerateArray());
    }

    [Theory]
    [InlineData("/api/rooms/lobby/messages?changedSince=-1")]
    [InlineData("/api/rooms/lobby/messages?changedSince=x")]
    [InlineData("/api/rooms/lobby/messages?changedSince=")]
    [InlineData("/api/rooms/lobby/messages?changedSince=1&changedSince=2")]
    [InlineData("/api/rooms/lobby/messages?changedSince=1&after=0")]
    [InlineData("/api/rooms/lobby/messages?changedSince=1&before=9")]
    [InlineData("/api/rooms/lobby/messages?changedSince=1&limit=0")]
    [InlineData("/api/rooms/lobby/messages/0")]
    [InlineData("/api/rooms/lobby/messages/-1")]
    [InlineData("/api/rooms/lobby/messages/1.5")]
    [InlineData("/api/rooms/bad%20room/messages/1")]
    public async Task BadChangedSinceAndSeqParametersAre400(string path)
    {
        await using var app = await ChatApp.StartAsync();
        var response = await app.Http.GetAsync(path);
        await ProblemAssert.IsProblemAsync(response, 400);
    }

    [Fact]
    public async Task TheOpenApiDocumentDescribesChangedSinceAndTheSingleMessage()
    {
        await using var app = await ChatApp.StartAsync();
        var document = await app.GetJsonAsync("/swagger/v1/swagger.json");
        var paths = document.GetProperty("paths");

        var history = paths.GetProperty("/api/rooms/{room}/messages").GetProperty("get");
        var changedSince = Assert.Single(history.GetProperty("parameters").EnumerateArray(), p => p.Str("name") == "changedSince");
        Assert.Contains("revision", changedSince.Str("description"), StringComparison.Ordinal);
        var single = paths.GetProperty("/api/rooms/{room}/messages/{seq}").GetProperty("get");
        Assert.False(string.IsNullOrWhiteSpace(single.Str("summary")));
        Assert.True(single.GetProperty("responses").TryGetProperty("404", out var notFound));
        Assert.True(notFound.GetProperty("content").TryGetProperty("application/problem+json", out var _problem));

        // Every field of 10.1's state, deleted included, though the converter writes it from no property.
        var message = document.GetProperty("components").GetProperty("schemas").GetProperty("ChatMessage").GetProperty("properties");
        foreach (var field in new[] { "version", "revision", "replyTo", "editedAt", "deleted", "deletedAt", "reactions" })
            Assert.True(message.TryGetProperty(field, out _), $"the ChatMessage schema lacks {field}");
        Assert.Equal("boolean", message.GetProperty("deleted").Str("type"));
    }

    [Fact]
    public async Task AMessageThatIsNotThereIs404()
    {
        await using var app = await ChatApp.StartAsync();
        await ProblemAssert.IsProblemAsync(await app.Http.GetAsync("/api/rooms/lobby/messages/1"), 404);
    }
}
