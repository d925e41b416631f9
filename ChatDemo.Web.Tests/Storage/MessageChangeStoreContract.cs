using ChatDemo.Web.Chat;
using ChatDemo.Web.Storage;

namespace ChatDemo.Web.Tests.Storage;

/// <summary>
/// The contract of <see cref="IMessageChangeStore"/> (protocol.md section 10), one suite for every
/// engine; each subclass supplies a fresh store per test on a real engine and reads a deleted
/// message's text from the engine itself.
/// </summary>
public abstract class MessageChangeStoreContract : IAsyncLifetime
{
    protected static readonly DateTimeOffset T0 = new(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);
    protected static readonly ChatUser Alice = new("u_alice", "Alice");
    protected static readonly ChatUser Bob = new("u_bob", "Bob");

    private IChatStore? _store;

    protected IChatStore Store => _store ?? throw new InvalidOperationException("The store is created in InitializeAsync.");

    protected IMessageChangeStore Changes => (IMessageChangeStore)Store;

    protected abstract Task<IChatStore> CreateStoreAsync();

    /// <summary>Every stored copy of a message's text, read from the engine itself (row, item, claim).</summary>
    protected abstract Task<IReadOnlyList<string>> ReadStoredTextsAsync(string room, long seq);

    public async Task InitializeAsync() => _store = await CreateStoreAsync();

    public virtual async Task DisposeAsync()
    {
        if (_store is IAsyncDisposable disposable) await disposable.DisposeAsync();
    }

    protected async Task<ChatMessage> SendAsync(string room, ChatUser sender, string clientMessageId, string text = "hi", long? replyTo = null)
    {
        var result = await Store.AppendMessageAsync(NewMessage(room, sender, clientMessageId, text, replyTo), default);
        return result.Message;
    }

    private static NewMessage NewMessage(string room, ChatUser sender, string clientMessageId, string text, long? replyTo = null) =>
        new(room, Ids.NewMessageId(), clientMessageId, sender, text, T0, T0.AddDays(30)) { ReplyTo = replyTo };

    protected Task<ChangeOutcome> ChangeAsync(string room, long seq, MessageChange change, ChatUser by, int second = 1) =>
        Changes.ChangeMessageAsync(room, seq, change, by, T0.AddSeconds(second), default);

    protected async Task<ChatMessage> ChangedAsync(string room, long seq, MessageChange change, ChatUser by, int second = 1) =>
        Assert.IsType<ChangeOutcome.Changed>(await ChangeAsync(room, seq, change, by, second)).Next;

    private async Task<long> RevisionAsync(string room) =>
        (await Store.GetMessagesAsync(room, new HistoryQuery(null, null, 1), default)).Revision;

    [Fact]
    public async Task AnEditIsStoredAtTheNextVersionUnderTheRoomsNextRevision()
    {
        var sent = await SendAsync("lobby", Alice, "c-1", "helo");

        var edited = await ChangedAsync("lobby", sent.Seq, new MessageChange.Edit("hello"), Alice);

        Assert.Equal(sent with { Text = "hello", EditedAt = T0.AddSeconds(1), Version = 2, Revision = 1 }, edited);
        Assert.Equal(edited, await Changes.GetMessageAsync("lobby", sent.Seq, default));
        var page = await Store.GetMessagesAsync("lobby", new HistoryQuery(null, null, 50), default);
        Assert.Equal([edited], page.Messages);
        Assert.Equal(1, page.Revision);
    }

    [Fact]
    public async Task ARoomNobodyChangedIsAtRevisionZeroAndUnknownMessagesAreNotFound()
    {
        await SendAsync("lobby", Alice, "c-1");

        Assert.Equal(0, await RevisionAsync("lobby"));
        Assert.Equal(0, await RevisionAsync("empty"));
        Assert.Null(await Changes.GetMessageAsync("lobby", 2, default));
        Assert.Null(await Changes.GetMessageAsync("empty", 1, default));
    }

    [Fact]
    public async Task RefusalsAndResendsWriteNothing()
    {
        var sent = await SendAsync("lobby", Alice, "c-1");
        var reacted = await ChangedAsync("lobby", sent.Seq, new MessageChange.React("👍", Add: true), Bob);

        var unknown = Assert.IsType<ChangeOutcome.Refused>(await ChangeAsync("lobby", 99, new MessageChange.Edit("x"), Alice));
        var notAuthor = Assert.IsType<ChangeOutcome.Refused>(await ChangeAsync("lobby", sent.Seq, new MessageChange.Edit("x"), Bob));
        var again = Assert.IsType<ChangeOutcome.Unchanged>(await ChangeAsync("lobby", sent.Seq, new MessageChange.React("👍", Add: true), Bob));

        Assert.Equal(ErrorCodes.UnknownMessage, unknown.Code);
        Assert.Equal(ErrorCodes.NotAuthor, notAuthor.Code);
        Assert.Equal(reacted, again.Current);
        Assert.Equal(reacted, await Changes.GetMessageAsync("lobby", sent.Seq, default));
        Assert.Equal(1, await RevisionAsync("lobby"));
    }

    [Fact]
    public async Task ADeleteRemovesTheTextFromStorageAndKeepsATombstone()
    {
        var sent = await SendAsync("lobby", Alice, "c-1", "a secret");
        await ChangedAsync("lobby", sent.Seq, new MessageChange.React("👍", Add: true), Bob);
        await ChangedAsync("lobby", sent.Seq, new MessageChange.Edit("a bigger secret"), Alice);

        var tombstone = await ChangedAsync("lobby", sent.Seq, new MessageChange.Delete(), Alice, second: 2);

        Assert.Equal(sent with { Text = "", DeletedAt = T0.AddSeconds(2), Version = 4, Revision = 3 }, tombstone);
        Assert.Equal(tombstone, await Changes.GetMessageAsync("lobby", sent.Seq, default));
        Assert.All(await ReadStoredTextsAsync("lobby", sent.Seq), text => Assert.Equal("", text));
        Assert.IsType<ChangeOutcome.Unchanged>(await ChangeAsync("lobby", sent.Seq, new MessageChange.Delete(), Alice));
    }

    [Fact]
    public async Task AModeratorDeletesAnyonesMessageAndOthersAreNotTheAuthor()
    {
        var sent = await SendAsync("lobby", Alice, "c-1", "spam");

        var refused = Assert.IsType<ChangeOutcome.Refused>(await ChangeAsync("lobby", sent.Seq, new MessageChange.Delete(), Bob));
        Assert.Equal(ErrorCodes.NotAuthor, refused.Code);

        var tombstone = await ChangedAsync("lobby", sent.Seq, new MessageChange.Delete { ByModerator = true }, Bob, second: 2);
        Assert.Equal(sent with { Text = "", DeletedAt = T0.AddSeconds(2), Version = 2, Revision = 1 }, tombstone);
        Assert.All(await ReadStoredTextsAsync("lobby", sent.Seq), text => Assert.Equal("", text));
    }

    [Fact]
    public async Task ResendingADeletedMessagesSendIsStillADuplicate()
    {
        var sent = await SendAsync("lobby", Alice, "c-1", "oops");
        await ChangedAsync("lobby", sent.Seq, new MessageChange.Delete(), Alice);

        var resend = await Store.AppendMessageAsync(NewMessage("lobby", Alice, "c-1", "oops"), default);

        Assert.True(resend.Duplicate);
        Assert.Equal(sent.Seq, resend.Message.Seq);
        Assert.Equal(sent.Id, resend.Message.Id);
        Assert.Single((await Store.GetMessagesAsync("lobby", new HistoryQuery(null, null, 50), default)).Messages);
    }

    [Fact]
    public async Task AReplyKeepsItsTargetsSeq()
    {
        var first = await SendAsync("lobby", Alice, "c-1");

        var reply = await SendAsync("lobby", Bob, "c-2", "re", replyTo: first.Seq);

        Assert.Equal(first.Seq, reply.ReplyTo);
        Assert.Equal(first.Seq, (await Changes.GetMessageAsync("lobby", reply.Seq, default))!.ReplyTo);
        Assert.Equal([null, first.Seq], (await Store.GetMessagesAsync("lobby", new HistoryQuery(null, null, 50), default)).Messages.Select(m => m.ReplyTo));
    }

    [Fact]
    public async Task ChangedSinceListsEachChangedMessageOnceInItsLatestStateByRevision()
    {
        var one = await SendAsync("lobby", Alice, "c-1");
        var two = await SendAsync("lobby", Alice, "c-2");
        await SendAsync("lobby", Alice, "c-3"); // never changed
        await ChangedAsync("lobby", one.Seq, new MessageChange.Edit("one, edited"), Alice);        // revision 1
        await ChangedAsync("lobby", two.Seq, new MessageChange.React("🎉", Add: true), Bob);       // 2
        var oneLatest = await ChangedAsync("lobby", one.Seq, new MessageChange.React("👍", Add: true), Bob); // 3
        var twoLatest = await ChangedAsync("lobby", two.Seq, new MessageChange.Delete(), Alice);    // 4

        var all = await Changes.GetChangedSinceAsync("lobby", 0, 50, default);
        var sinceThree = await Changes.GetChangedSinceAsync("lobby", 3, 50, default);
        var none = await Changes.GetChangedSinceAsync("lobby", 4, 50, default);

        Assert.Equal([oneLatest, twoLatest], all.Messages);
        Assert.Equal((4L, false), (all.Revision, all.HasMore));
        Assert.Equal([twoLatest], sinceThree.Messages);
        Assert.Equal(4, sinceThree.Revision);
        Assert.Empty(none.Messages);
        Assert.Equal((4L, false), (none.Revision, none.HasMore));
    }

    [Fact]
    public async Task ChangedSincePagesAreCompleteUpToTheirRevision()
    {
        for (var i = 1; i <= 3; i++) await SendAsync("lobby", Alice, $"c-{i}");
        for (var i = 1; i <= 3; i++) await ChangedAsync("lobby", i, new MessageChange.Edit($"edited {i}"), Alice);

        var revision = 0L;
        var seen = new List<long>();
        MessagePage page;
        do
        {
            page = await Changes.GetChangedSinceAsync("lobby", revision, 1, default);
            Assert.True(page.Revision > revision, "each page moves on");
            seen.AddRange(page.Messages.Select(m => m.Seq));
            revision = page.Revision;
        } while (page.HasMore);

        Assert.Equal([1, 2, 3], seen);
        Assert.Equal(3, revision);
    }

    [Fact]
    public async Task TwelveConcurrentReactionsToOneMessageAreAllKeptEachWithItsOwnVersion()
    {
        var sent = await SendAsync("lobby", Alice, "c-1");
        var users = Enumerable.Range(0, 12).Select(i => new ChatUser($"u_{i}", $"User {i}")).ToArray();

        // Straight at the store, without the app's room lock: the store alone must keep them apart.
        var outcomes = await Task.WhenAll(users.Select(u => Task.Run(() => ChangedAsync("lobby", sent.Seq, new MessageChange.React("👍", Add: true), u))));

        Assert.Equal(Enumerable.Range(2, 12).Select(v => (long)v), outcomes.Select(m => m.Version).Order());
        Assert.Equal(12, outcomes.Select(m => m.Revision).Distinct().Count());
        var final = (await Changes.GetMessageAsync("lobby", sent.Seq, default))!;
        Assert.Equal(13, final.Version);
        Assert.Equal(users.Select(u => u.Id).Order(), Assert.Single(final.Reactions.Items).Users.Select(u => u.Id).Order());
        Assert.Equal(final, outcomes.MaxBy(m => m.Version));
    }

    [Fact]
    public async Task AnEditRacingReactionsLosesNothing()
    {
        var sent = await SendAsync("lobby", Alice, "c-1", "first");

        var changes = new List<Task<ChatMessage>> { Task.Run(() => ChangedAsync("lobby", sent.Seq, new MessageChange.Edit("second"), Alice)) };
        for (var i = 0; i < 5; i++)
        {
            var emoji = char.ConvertFromUtf32(0x1F600 + i);
            changes.Add(Task.Run(() => ChangedAsync("lobby", sent.Seq, new MessageChange.React(emoji, Add: true), Bob)));
        }
        await Task.WhenAll(changes);

        var final = (await Changes.GetMessageAsync("lobby", sent.Seq, default))!;
        Assert.Equal("second", final.Text);
        Assert.Equal(5, final.Reactions.Total);
        Assert.Equal(7, final.Version);
        Assert.Equal([final], (await Changes.GetChangedSinceAsync("lobby", 0, 50, default)).Messages);
    }
}
