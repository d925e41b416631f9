using ChatDemo.Web.Chat;

namespace ChatDemo.Web.Tests.Storage;

/// <summary>
/// The store contract (IChatStore), one suite for every engine: each subclass supplies a fresh,
/// empty store per test on a real engine.
/// </summary>
public abstract class ChatStoreContract : IAsyncLifetime
{
    protected static readonly DateTimeOffset T0 = new(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);
    protected static readonly ChatUser Alice = new("u_alice", "Alice");
    protected static readonly ChatUser Bob = new("u_bob", "Bob");

    private IChatStore? _store;

    protected IChatStore Store => _store ?? throw new InvalidOperationException("The store is created in InitializeAsync.");

    /// <summary>A fresh, empty store on the real engine.</summary>
    protected abstract Task<IChatStore> CreateStoreAsync();

    /// <summary>The expiry stored with a message, read from the engine itself (not through IChatStore).</summary>
    protected abstract Task<DateTimeOffset?> ReadStoredMessageExpiryAsync(string room, long seq);

    /// <summary>
    /// The room's recorded connections, oldest first, read from the engine's tables: the app never
    /// lists a room's connections (delivery goes through the fan-out), so the port has no such call.
    /// </summary>
    protected abstract Task<IReadOnlyList<ChatConnection>> ReadRoomConnectionsAsync(string room);

    public async Task InitializeAsync() => _store = await CreateStoreAsync();

    public virtual async Task DisposeAsync()
    {
        if (_store is IAsyncDisposable disposable) await disposable.DisposeAsync();
    }

    protected static NewMessage Message(string room, ChatUser sender, string clientMessageId, string text = "hi", int minute = 0)
    {
        var sentAt = T0.AddMinutes(minute).AddTicks(1234567);
        return new NewMessage(room, Ids.NewMessageId(), clientMessageId, sender, text, sentAt, sentAt.AddDays(30));
    }

    protected static ChatConnection Connection(string id, string room, ChatUser user, int minute = 0) =>
        new(id, room, user, T0.AddMinutes(minute));

    protected async Task<long[]> AppendManyAsync(string room, int count)
    {
        var seqs = new long[count];
        for (var i = 0; i < count; i++) seqs[i] = (await Store.AppendMessageAsync(Message(room, Alice, $"c-{i}"), default)).Message.Seq;
        return seqs;
    }

    private static long[] Seqs(MessagePage page) => page.Messages.Select(m => m.Seq).ToArray();

    // ---- seq and idempotency

    [Fact]
    public async Task AppendingNumbersARoomsMessagesFromOneAndReturnsWhatWasStored()
    {
        var sent = Message("lobby", Alice, "c-1", "hello");

        var result = await Store.AppendMessageAsync(sent, default);

        Assert.False(result.Duplicate);
        Assert.Equal(1, result.Message.Seq);
        Assert.Equal(sent.Id, result.Message.Id);
        Assert.Equal(ChatTime.Truncate(sent.SentAt), result.Message.SentAt);
        var stored = Assert.Single((await Store.GetMessagesAsync("lobby", new HistoryQuery(null, null, 50), default)).Messages);
        Assert.Equal(result.Message, stored);
    }

    [Fact]
    public async Task ABatchIsNumberedInOrderAndKnowsItsOwnDuplicates()
    {
        var earlier = await Store.AppendMessageAsync(Message("lobby", Alice, "c-0"), default);

        var results = await Store.AppendMessagesAsync(
        [
            Message("lobby", Alice, "c-1", "one"),
            Message("lobby", Bob, "c-1", "same id, other sender"),
            Message("lobby", Alice, "c-0", "resend of an earlier one"),
            Message("lobby", Alice, "c-1", "resend within the batch"),
            Message("lobby-2", Alice, "c-1", "other room"),
        ], default);

        Assert.Equal([false, false, true, true, false], results.Select(r => r.Duplicate));
        Assert.Equal([2L, 3L, 1L, 2L, 1L], results.Select(r => r.Message.Seq));
        Assert.Equal(earlier.Message, results[2].Message);
        Assert.Equal("one", results[3].Message.Text);
        var stored = await Store.GetMessagesAsync("lobby", new HistoryQuery(null, null, 50), default);
        Assert.Equal(new long[] { 1, 2, 3 }, Seqs(stored));
    }

    [Fact]
    public async Task EachRoomHasItsOwnSequence()
    {
        await Store.AppendMessageAsync(Message("lobby", Alice, "c-1"), default);
        await Store.AppendMessageAsync(Message("lobby", Alice, "c-2"), default);

        var other = await Store.AppendMessageAsync(Message("lobby-2", Alice, "c-1"), default);

        Assert.Equal(1, other.Message.Seq);
        Assert.Equal(2, (await Store.GetMessagesAsync("lobby", new HistoryQuery(null, null, 50), default)).Messages.Count);
    }

    [Fact]
    public async Task EightConcurrentSendersOfFiftyMessagesGetExactlySeqsOneToFourHundred()
    {
        var senders = Enumerable.Range(0, 8).Select(s => Task.Run(async () =>
        {
            var user = new ChatUser($"u_{s}", $"User {s}");
            var seqs = new List<long>();
            for (var i = 0; i < 50; i++) seqs.Add((await Store.AppendMessageAsync(Message("busy", user, $"c-{i}"), default)).Message.Seq);
            return seqs;
        })).ToArray();

        var perSender = await Task.WhenAll(senders);

        Assert.All(perSender, seqs => Assert.Equal(seqs.Order(), seqs));
        Assert.Equal(Enumerable.Range(1, 400).Select(i => (long)i), perSender.SelectMany(s => s).Order());
        var stored = new List<long>();
        for (long after = 0; ;)
        {
            var page = await Store.GetMessagesAsync("busy", new HistoryQuery(after, null, 100), default);
            stored.AddRange(Seqs(page));
            if (!page.HasMore) break;
            after = stored[^1];
        }
        Assert.Equal(Enumerable.Range(1, 400).Select(i => (long)i), stored);
    }

    [Fact]
    public async Task ResendingAClientMessageIdReturnsTheOriginalAndStoresNothing()
    {
        var first = await Store.AppendMessageAsync(Message("lobby", Alice, "c-1", "original"), default);

        var again = await Store.AppendMessageAsync(Message("lobby", Alice, "c-1", "changed", minute: 5), default);

        Assert.True(again.Duplicate);
        Assert.Equal(first.Message, again.Message);
        var stored = Assert.Single((await Store.GetMessagesAsync("lobby", new HistoryQuery(null, null, 50), default)).Messages);
        Assert.Equal("original", stored.Text);
        Assert.Equal(2, (await Store.AppendMessageAsync(Message("lobby", Alice, "c-2"), default)).Message.Seq);
    }

    [Fact]
    public async Task ConcurrentDuplicateRetriesStoreOneMessageAndAllGetTheOriginal()
    {
        var retries = Enumerable.Range(0, 12)
            .Select(i => Task.Run(() => Store.AppendMessageAsync(Message("lobby", Alice, "c-1", $"attempt {i}"), default)))
            .ToArray();

        var results = await Task.WhenAll(retries);

        Assert.Single(results, r => !r.Duplicate);
        Assert.Single(results.Select(r => r.Message).Distinct());
        var stored = Assert.Single((await Store.GetMessagesAsync("lobby", new HistoryQuery(null, null, 50), default)).Messages);
        Assert.Equal(results[0].Message, stored);
    }

    [Fact]
    public async Task TheSameClientMessageIdFromAnotherSenderOrRoomIsANewMessage()
    {
        var alice = await Store.AppendMessageAsync(Message("lobby", Alice, "c-1"), default);
        var bob = await Store.AppendMessageAsync(Message("lobby", Bob, "c-1"), default);
        var elsewhere = await Store.AppendMessageAsync(Message("other", Alice, "c-1"), default);

        Assert.False(bob.Duplicate);
        Assert.False(elsewhere.Duplicate);
        Assert.Equal([1L, 2L], [alice.Message.Seq, bob.Message.Seq]);
        Assert.Equal(1, elsewhere.Message.Seq);
    }

    // ---- paging (protocol.md section 6)

    [Fact]
    public async Task AnUnknownRoomHasAnEmptyHistoryInEveryDirection()
    {
        foreach (var query in new[] { new HistoryQuery(null, null, 50), new HistoryQuery(0, null, 50), new HistoryQuery(null, 10, 50) })
        {
            var page = await Store.GetMessagesAsync("nobody-here", query, default);
            Assert.Empty(page.Messages);
            Assert.False(page.HasMore);
        }
    }

    [Fact]
    public async Task WithoutBoundsAPageHoldsTheNewestMessagesInAscendingOrder()
    {
        await AppendManyAsync("lobby", 7);

        var newest = await Store.GetMessagesAsync("lobby", new HistoryQuery(null, null, 3), default);
        var all = await Store.GetMessagesAsync("lobby", new HistoryQuery(null, null, 7), default);
        var more = await Store.GetMessagesAsync("lobby", new HistoryQuery(null, null, 8), default);

        Assert.Equal([5L, 6L, 7L], Seqs(newest));
        Assert.True(newest.HasMore);
        Assert.Equal(Enumerable.Range(1, 7).Select(i => (long)i), Seqs(all));
        Assert.False(all.HasMore);
        Assert.False(more.HasMore);
    }

    [Fact]
    public async Task AfterReturnsTheOldestMessagesAboveTheBound()
    {
        await AppendManyAsync("lobby", 7);

        var fromStart = await Store.GetMessagesAsync("lobby", new HistoryQuery(0, null, 3), default);
        var middle = await Store.GetMessagesAsync("lobby", new HistoryQuery(3, null, 3), default);
        var exactRest = await Store.GetMessagesAsync("lobby", new HistoryQuery(4, null, 3), default);
        var atEnd = await Store.GetMessagesAsync("lobby", new HistoryQuery(7, null, 3), default);
        var beyond = await Store.GetMessagesAsync("lobby", new HistoryQuery(1000, null, 3), default);

        Assert.Equal([1L, 2L, 3L], Seqs(fromStart));
        Assert.True(fromStart.HasMore);
        Assert.Equal([4L, 5L, 6L], Seqs(middle));
        Assert.True(middle.HasMore);
        Assert.Equal([5L, 6L, 7L], Seqs(exactRest));
        Assert.False(exactRest.HasMore);
        Assert.Empty(atEnd.Messages);
        Assert.False(atEnd.HasMore);
        Assert.Empty(beyond.Messages);
        Assert.False(beyond.HasMore);
    }

    [Fact]
    public async Task BeforeReturnsTheNewestMessagesBelowTheBound()
    {
        await AppendManyAsync("lobby", 7);

        var below = await Store.GetMessagesAsync("lobby", new HistoryQuery(null, 6, 3), default);
        var exactRest = await Store.GetMessagesAsync("lobby", new HistoryQuery(null, 4, 3), default);
        var first = await Store.GetMessagesAsync("lobby", new HistoryQuery(null, 2, 3), default);
        var none = await Store.GetMessagesAsync("lobby", new HistoryQuery(null, 1, 3), default);
        var zero = await Store.GetMessagesAsync("lobby", new HistoryQuery(null, 0, 3), default);
        var aboveAll = await Store.GetMessagesAsync("lobby", new HistoryQuery(null, 1000, 2), default);

        Assert.Equal([3L, 4L, 5L], Seqs(below));
        Assert.True(below.HasMore);
        Assert.Equal([1L, 2L, 3L], Seqs(exactRest));
        Assert.False(exactRest.HasMore);
        Assert.Equal([1L], Seqs(first));
        Assert.False(first.HasMore);
        Assert.Empty(none.Messages);
        Assert.False(none.HasMore);
        Assert.Empty(zero.Messages);
        Assert.False(zero.HasMore);
        Assert.Equal([6L, 7L], Seqs(aboveAll));
        Assert.True(aboveAll.HasMore);
    }

    [Fact]
    public async Task ALimitOfOneAndOfAHundredPageExactly()
    {
        await AppendManyAsync("lobby", 101);

        var one = await Store.GetMessagesAsync("lobby", new HistoryQuery(null, null, 1), default);
        var hundred = await Store.GetMessagesAsync("lobby", new HistoryQuery(0, null, 100), default);
        var last = await Store.GetMessagesAsync("lobby", new HistoryQuery(100, null, 100), default);

        Assert.Equal([101L], Seqs(one));
        Assert.True(one.HasMore);
        Assert.Equal(Enumerable.Range(1, 100).Select(i => (long)i), Seqs(hundred));
        Assert.True(hundred.HasMore);
        Assert.Equal([101L], Seqs(last));
        Assert.False(last.HasMore);
    }

    [Fact]
    public async Task MessagesAreStoredWithTheirRetentionExpiry()
    {
        var sent = Message("lobby", Alice, "c-1");
        var result = await Store.AppendMessageAsync(sent, default);

        var expiry = await ReadStoredMessageExpiryAsync("lobby", result.Message.Seq);

        Assert.NotNull(expiry);
        Assert.InRange(expiry.Value, sent.ExpiresAt.AddSeconds(-1), sent.ExpiresAt);
    }

    // ---- connections and presence

    [Fact]
    public async Task AnAdministratorsConnectionKeepsItsFlag()
    {
        var connection = Connection("c_1", "lobby", Alice) with { Admin = true };

        await Store.AddConnectionAsync(connection, default);

        Assert.Equal(connection, await Store.GetConnectionAsync("c_1", default));
        Assert.Equal(connection, (await Store.RemoveConnectionAsync("c_1", default))?.Connection);
    }

    [Fact]
    public async Task AConnectionCanBeFoundListedAndRemovedOnce()
    {
        var connection = Connection("c_1", "lobby", Alice);

        Assert.True(await Store.AddConnectionAsync(connection, default));
        Assert.Equal(connection, await Store.GetConnectionAsync("c_1", default));
        Assert.Equal([connection], await ReadRoomConnectionsAsync("lobby"));

        var removed = await Store.RemoveConnectionAsync("c_1", default);

        Assert.Equal(new RemovedConnection(connection, WasLastOfUser: true), removed);
        Assert.Null(await Store.GetConnectionAsync("c_1", default));
        Assert.Empty(await ReadRoomConnectionsAsync("lobby"));
        Assert.Null(await Store.RemoveConnectionAsync("c_1", default));
    }

    [Fact]
    public async Task AddingTheSameConnectionTwiceReportsTheUserFirstOnlyOnce()
    {
        var connection = Connection("c_1", "lobby", Alice);

        Assert.True(await Store.AddConnectionAsync(connection, default));
        Assert.False(await Store.AddConnectionAsync(connection, default));
        Assert.Single(await ReadRoomConnectionsAsync("lobby"));
    }

    [Fact]
    public async Task UnknownConnectionsAreNotFound()
    {
        Assert.Null(await Store.GetConnectionAsync("c_nope", default));
        Assert.Null(await Store.RemoveConnectionAsync("c_nope", default));
        Assert.Empty(await ReadRoomConnectionsAsync("lobby"));
        Assert.Empty(await Store.GetPresenceAsync("lobby", default));
    }

    [Fact]
    public async Task RoomConnectionsListOnlyThatRoomOldestFirst()
    {
        var late = Connection("c_a", "lobby", Alice, minute: 2);
        var early = Connection("c_b", "lobby", Bob, minute: 1);
        await Store.AddConnectionAsync(late, default);
        await Store.AddConnectionAsync(early, default);
        await Store.AddConnectionAsync(Connection("c_c", "lobby-2", Alice), default);

        Assert.Equal([early, late], await ReadRoomConnectionsAsync("lobby"));
    }

    [Fact]
    public async Task AUsersConnectionsToARoomAreFoundOldestFirstAndNobodyElses()
    {
        var late = Connection("c_a2", "lobby", Alice, minute: 2);
        var early = Connection("c_a1", "lobby", Alice, minute: 1);
        await Store.AddConnectionAsync(late, default);
        await Store.AddConnectionAsync(early, default);
        await Store.AddConnectionAsync(Connection("c_b", "lobby", Bob), default);
        await Store.AddConnectionAsync(Connection("c_a3", "lobby-2", Alice), default);

        Assert.Equal([early, late], await Store.GetUserConnectionsAsync("lobby", Alice.Id, default));
        Assert.Equal(["c_b"], (await Store.GetUserConnectionsAsync("lobby", Bob.Id, default)).Select(c => c.ConnectionId));

        await Store.RemoveConnectionAsync("c_a1", default);
        Assert.Equal([late], await Store.GetUserConnectionsAsync("lobby", Alice.Id, default));
        await Store.RemoveConnectionAsync("c_a2", default);
        Assert.Empty(await Store.GetUserConnectionsAsync("lobby", Alice.Id, default));
        Assert.Empty(await Store.GetUserConnectionsAsync("nobody-here", Alice.Id, default));
    }

    [Fact]
    public async Task AUserWithTwoConnectionsIsOnlineOnTheFirstListedOnceAndOfflineOnTheLast()
    {
        Assert.True(await Store.AddConnectionAsync(Connection("c_1", "lobby", Alice, minute: 1), default));
        Assert.False(await Store.AddConnectionAsync(Connection("c_2", "lobby", Alice, minute: 3), default));
        Assert.True(await Store.AddConnectionAsync(Connection("c_3", "lobby", Bob, minute: 2), default));
        Assert.True(await Store.AddConnectionAsync(Connection("c_4", "lobby-2", Alice, minute: 4), default));

        Assert.Equal(
            [new PresentUser(Alice.Id, Alice.Name, T0.AddMinutes(1)), new PresentUser(Bob.Id, Bob.Name, T0.AddMinutes(2))],
            await Store.GetPresenceAsync("lobby", default));

        Assert.False((await Store.RemoveConnectionAsync("c_1", default))!.WasLastOfUser);
        Assert.Equal(
            [new PresentUser(Bob.Id, Bob.Name, T0.AddMinutes(2)), new PresentUser(Alice.Id, Alice.Name, T0.AddMinutes(3))],
            await Store.GetPresenceAsync("lobby", default));
        Assert.True((await Store.RemoveConnectionAsync("c_2", default))!.WasLastOfUser);
        Assert.Equal([Bob.Id], (await Store.GetPresenceAsync("lobby", default)).Select(u => u.Id));
        Assert.Equal([Alice.Id], (await Store.GetPresenceAsync("lobby-2", default)).Select(u => u.Id));
    }

    [Fact]
    public async Task ConcurrentConnectsOfOneUserReportExactlyOneFirst()
    {
        var adds = Enumerable.Range(0, 8)
            .Select(i => Task.Run(() => Store.AddConnectionAsync(Connection($"c_{i}", "lobby", Alice, minute: i), default)))
            .ToArray();

        var firsts = await Task.WhenAll(adds);

        Assert.Single(firsts, first => first);
        Assert.Equal(8, (await ReadRoomConnectionsAsync("lobby")).Count);
        Assert.Equal([new PresentUser(Alice.Id, Alice.Name, T0)], await Store.GetPresenceAsync("lobby", default));
    }

    [Fact]
    public async Task ConcurrentDisconnectsOfOneUserReportExactlyOneLast()
    {
        for (var i = 0; i < 8; i++) await Store.AddConnectionAsync(Connection($"c_{i}", "lobby", Alice, minute: i), default);

        var removals = await Task.WhenAll(Enumerable.Range(0, 8)
            .Select(i => Task.Run(() => Store.RemoveConnectionAsync($"c_{i}", default))));

        Assert.All(removals, Assert.NotNull);
        Assert.Single(removals, r => r!.WasLastOfUser);
        Assert.Empty(await Store.GetPresenceAsync("lobby", default));
        Assert.True(await Store.AddConnectionAsync(Connection("c_again", "lobby", Alice), default));
    }

    [Fact]
    public async Task RemovingStaleConnectionsForgetsOnlyOlderOnesAndSaysWhoWentOffline()
    {
        await Store.AddConnectionAsync(Connection("c_old1", "lobby", Alice, minute: 0), default);
        await Store.AddConnectionAsync(Connection("c_old2", "lobby", Bob, minute: 1), default);
        await Store.AddConnectionAsync(Connection("c_new", "lobby", Bob, minute: 10), default);

        var removed = await Store.RemoveStaleConnectionsAsync(T0.AddMinutes(5), default);

        Assert.Equal(["c_old1", "c_old2"], removed.Select(r => r.Connection.ConnectionId).Order());
        Assert.True(removed.Single(r => r.Connection.ConnectionId == "c_old1").WasLastOfUser);
        Assert.False(removed.Single(r => r.Connection.ConnectionId == "c_old2").WasLastOfUser);
        Assert.Equal(["c_new"], (await ReadRoomConnectionsAsync("lobby")).Select(c => c.ConnectionId));
        Assert.Empty(await Store.RemoveStaleConnectionsAsync(T0.AddMinutes(5), default));
    }

    [Fact]
    public async Task AHealthyStoreAnswersTheHealthCheck() => await Store.CheckHealthAsync(default);
}
