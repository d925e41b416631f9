using ChatDemo.Web.Chat;
using ChatDemo.Web.Configuration;
using ChatDemo.Web.Storage.Sqlite;
using ChatDemo.Web.Tests.TestInfrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ChatDemo.Web.Tests.Unit;

/// <summary>protocol.md section 5, "Retention", under Kestrel: an hourly sweep over the real SQLite store.</summary>
public sealed class RetentionSweeperTests : IAsyncLifetime
{
    private readonly TempFolder _folder = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero));
    private SqliteChatStore _store = null!;

    public async Task InitializeAsync()
    {
        _store = new SqliteChatStore(_folder.File("chat.db"));
        await _store.InitializeAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        _folder.Dispose();
    }

    private Task<AppendResult> AppendAsync(string clientMessageId, TimeSpan keptFor)
    {
        var now = _time.GetUtcNow();
        return _store.AppendMessageAsync(new NewMessage("lobby", Ids.NewMessageId(), clientMessageId, new ChatUser("u_a", "Alice"), "hi", now, now + keptFor),
            CancellationToken.None);
    }

    private async Task<string[]> StoredAsync() =>
        (await _store.GetMessagesAsync("lobby", new HistoryQuery(0, null, 100), CancellationToken.None)).Messages.Select(m => m.ClientMessageId).ToArray();

    [Fact]
    public async Task TheHourlySweepDeletesExpiredMessagesAndSeqIsNeverReused()
    {
        await AppendAsync("short", TimeSpan.FromDays(1));
        await AppendAsync("long", TimeSpan.FromDays(30));
        var sweeper = new RetentionSweeper(_store, _time, Options.Create(new ChatOptions()), NullLogger<RetentionSweeper>.Instance);
        await sweeper.StartAsync(CancellationToken.None);
        try
        {
            Assert.Equal(["short", "long"], await StoredAsync());
            _time.Advance(TimeSpan.FromDays(1) + RetentionSweeper.Interval);
            await Poll.WaitUntilAsync(async () => (await StoredAsync()).Length == 1, "the sweep ran");
            Assert.Equal(["long"], await StoredAsync());
        }
        finally
        {
            await sweeper.StopAsync(CancellationToken.None);
        }
        Assert.Equal(3, (await AppendAsync("after", TimeSpan.FromDays(30))).Message.Seq);
    }
}
