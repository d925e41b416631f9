using ChatDemo.Web.Tests.TestInfrastructure;

namespace ChatDemo.Web.Tests.Kestrel;

/// <summary>protocol.md section 6, history details. One app; each test fills its own room.</summary>
public sealed class HistoryApiTests(SharedChatApp shared) : IClassFixture<SharedChatApp>
{
    private ChatApp App => shared.App;

    private async Task<string> RoomWithMessagesAsync(int count)
    {
        var room = Frames.NewRoom();
        var (_, socket) = await App.JoinAsync("Writer", room);
        await using var _ = socket;
        for (var i = 1; i <= count; i++) await socket.SendMessageAsync($"c-{i}", $"message {i}");
        for (var i = 1; i <= count; i++) await socket.WaitForAsync("ack", timeout: TimeSpan.FromSeconds(30));
        return room;
    }

    /// <summary>A page as "seqs, hasMore", e.g. "5..7 more" or "(none)", so that a failure shows the whole page.</summary>
    private async Task<string> PageAsync(string room, string query = "")
    {
        var page = await App.GetJsonAsync($"/api/rooms/{room}/messages{query}");
        Assert.Equal(room, page.Str("room"));
        var seqs = page.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("seq").GetInt64()).ToArray();
        for (var i = 1; i < seqs.Length; i++) Assert.Equal(seqs[i - 1] + 1, seqs[i]);
        var range = seqs.Length == 0 ? "(none)" : $"{seqs[0]}..{seqs[^1]}";
        return page.GetProperty("hasMore").GetBoolean() ? range + " more" : range;
    }

    private static string Page(int from, int to, bool hasMore) => $"{from}..{to}" + (hasMore ? " more" : "");

    private const string Empty = "(none)";

    [Fact]
    public async Task AnUnknownRoomIsAnEmptyPageWithoutMore()
    {
        var room = Frames.NewRoom();
        foreach (var query in new[] { "", "?after=0", "?before=10", "?limit=1", "?after=5&limit=100" })
        {
            Assert.Equal(Empty, await PageAsync(room, query));
        }
    }

    [Fact]
    public async Task WithoutBoundsTheNewestPageComesInAscendingSeq()
    {
        var room = await RoomWithMessagesAsync(7);
        Assert.Equal(Page(1, 7, false), await PageAsync(room));
        Assert.Equal(Page(5, 7, true), await PageAsync(room, "?limit=3"));
        Assert.Equal(Page(1, 7, false), await PageAsync(room, "?limit=7"));
        Assert.Equal(Page(7, 7, true), await PageAsync(room, "?limit=1"));
    }

    [Fact]
    public async Task AfterPagesForwardFromTheOldestUntilHasMoreIsFalse()
    {
        var room = await RoomWithMessagesAsync(7);
        Assert.Equal(Page(1, 3, true), await PageAsync(room, "?after=0&limit=3"));
        Assert.Equal(Page(4, 6, true), await PageAsync(room, "?after=3&limit=3"));
        Assert.Equal(Page(7, 7, false), await PageAsync(room, "?after=6&limit=3"));
        Assert.Equal(Page(5, 7, false), await PageAsync(room, "?after=4&limit=3"));
        Assert.Equal(Empty, await PageAsync(room, "?after=7"));
        Assert.Equal(Empty, await PageAsync(room, "?after=1000"));
    }

    [Fact]
    public async Task BeforePagesBackwardFromTheNewestUntilHasMoreIsFalse()
    {
        var room = await RoomWithMessagesAsync(7);
        Assert.Equal(Page(4, 6, true), await PageAsync(room, "?before=7&limit=3"));
        Assert.Equal(Page(2, 4, true), await PageAsync(room, "?before=5&limit=3"));
        Assert.Equal(Page(1, 3, false), await PageAsync(room, "?before=4&limit=3"));
        Assert.Equal(Page(1, 1, false), await PageAsync(room, "?before=2&limit=3"));
        Assert.Equal(Empty, await PageAsync(room, "?before=1"));
        Assert.Equal(Empty, await PageAsync(room, "?before=0"));
        Assert.Equal(Page(1, 7, false), await PageAsync(room, "?before=1000"));
    }

    [Fact]
    public async Task TheDefaultLimitIsFiftyAndTheMostIsAHundred()
    {
        var room = await RoomWithMessagesAsync(120);
        Assert.Equal(Page(71, 120, true), await PageAsync(room));
        Assert.Equal(Page(21, 120, true), await PageAsync(room, "?limit=100"));
        Assert.Equal(Page(1, 50, true), await PageAsync(room, "?after=0"));
        Assert.Equal(Page(1, 100, true), await PageAsync(room, "?after=0&limit=100"));
        Assert.Equal(Page(101, 120, false), await PageAsync(room, "?after=100&limit=100"));
        Assert.Equal(Page(51, 100, true), await PageAsync(room, "?before=101"));
    }

    [Fact]
    public async Task AHistoryMessageHasEveryFieldOfTheMessageFrame()
    {
        var room = await RoomWithMessagesAsync(1);
        var page = await App.GetJsonAsync($"/api/rooms/{room}/messages");
        var message = Assert.Single(page.GetProperty("messages").EnumerateArray());
        Assert.Equal(["clientMessageId", "id", "room", "sender", "sentAt", "seq", "text"],
            message.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(["id", "name"], message.GetProperty("sender").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal("message 1", message.Str("text"));
    }

    [Theory]
    [InlineData("?after=-1")]
    [InlineData("?after=abc")]
    [InlineData("?after=")]
    [InlineData("?after=1.5")]
    [InlineData("?after=%2B1")]
    [InlineData("?after=1e3")]
    [InlineData("?after=%201")]
    [InlineData("?after=99999999999999999999999")]
    [InlineData("?after=1&after=2")]
    [InlineData("?before=-1")]
    [InlineData("?before=")]
    [InlineData("?before=x")]
    [InlineData("?after=1&before=5")]
    [InlineData("?after=0&before=0")]
    [InlineData("?limit=0")]
    [InlineData("?limit=101")]
    [InlineData("?limit=-5")]
    [InlineData("?limit=")]
    [InlineData("?limit=ten")]
    [InlineData("?limit=1.0")]
    [InlineData("?limit=1&limit=2")]
    public async Task ABadQueryIsABadRequestProblem(string query)
    {
        using var response = await App.Http.GetAsync($"/api/rooms/lobby/messages{query}");
        await ProblemAssert.IsProblemAsync(response, 400);
    }

    [Theory]
    [InlineData("lob%20by")]
    [InlineData("lobby!")]
    [InlineData("caf%C3%A9")]
    [InlineData("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-a")]
    public async Task ABadRoomIsABadRequestProblem(string room)
    {
        using var response = await App.Http.GetAsync($"/api/rooms/{room}/messages");
        await ProblemAssert.IsProblemAsync(response, 400);
    }

    [Fact]
    public async Task RoomsAreCaseSensitive()
    {
        var room = await RoomWithMessagesAsync(2);
        Assert.Equal(Empty, await PageAsync(room.ToUpperInvariant()));
    }
}
