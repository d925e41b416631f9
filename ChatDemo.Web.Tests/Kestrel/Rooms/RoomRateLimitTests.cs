using ChatDemo.Web.Tests.TestInfrastructure;

namespace ChatDemo.Web.Tests.Kestrel.Rooms;

/// <summary>
/// The send budget per user and room (protocol.md 11.7): shared by a user's connections to a room,
/// kept across reconnects; the flood close stays per connection. A slow refill (1 a second) keeps
/// the counts exact on a busy machine.
/// </summary>
public sealed class RoomRateLimitTests : IAsyncLifetime
{
    private ChatApp _app = null!;

    public async Task InitializeAsync() => _app = await ChatApp.StartAsync(new Dictionary<string, string?>
    {
        ["Chat:Limits:SendBurst"] = "6",
        ["Chat:Limits:SendPerSecond"] = "1",
    });

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task TwoConnectionsOfOneUserShareOneBudget()
    {
        var alice = await _app.CreateSessionAsync("Alice");
        await using var tab1 = await _app.ConnectAsync(alice, "shared");
        await using var tab2 = await _app.ConnectAsync(alice, "shared");
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var first = await CountAsync(tab1, "a", 6);
        var second = await CountAsync(tab2, "b", 6);

        // One bucket of 6 refilling at 1 a second: 12 sends get at most 6 plus what refilled meanwhile.
        var refilled = (int)Math.Ceiling(clock.Elapsed.TotalSeconds);
        Assert.Equal((6, 0), first);
        Assert.True(second.Acked <= refilled, $"the second tab got {second.Acked} of 6 after {clock.Elapsed.TotalSeconds:F1} s");
        Assert.Equal(6, second.Acked + second.Limited);
    }

    [Fact]
    public async Task ReconnectingDoesNotBuyAFreshBurst()
    {
        var alice = await _app.CreateSessionAsync("Alice");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await using (var before = await _app.ConnectAsync(alice, "again"))
            Assert.Equal((6, 0), await CountAsync(before, "a", 6));

        await using var after = await _app.ConnectAsync(alice, "again");
        var (acked, limited) = await CountAsync(after, "b", 6);

        var refilled = (int)Math.Ceiling(clock.Elapsed.TotalSeconds);
        Assert.True(acked <= refilled, $"the reconnected socket got {acked} of 6 after {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(limited >= 1);
    }

    [Fact]
    public async Task OtherUsersAndOtherRoomsHaveTheirOwnBudgets()
    {
        var (alice, bob) = (await _app.CreateSessionAsync("Alice"), await _app.CreateSessionAsync("Bob"));
        await using var aliceHere = await _app.ConnectAsync(alice, "here");
        Assert.Equal((6, 0), await CountAsync(aliceHere, "a", 6));

        await using var bobHere = await _app.ConnectAsync(bob, "here");
        await using var aliceThere = await _app.ConnectAsync(alice, "there");

        Assert.Equal((6, 0), await CountAsync(bobHere, "b", 6));
        Assert.Equal((6, 0), await CountAsync(aliceThere, "c", 6));
    }

    /// <summary>Sends one after another, each answered before the next: how many were acknowledged and how many refused.</summary>
    private static async Task<(int Acked, int Limited)> CountAsync(ChatSocket socket, string prefix, int count)
    {
        var (acked, limited) = (0, 0);
        for (var i = 0; i < count; i++)
        {
            var id = $"{prefix}-{i}";
            await socket.SendMessageAsync(id, "hi");
            var frame = await socket.WaitForAnswerAsync(id);
            if (frame.GetProperty("type").GetString() == "ack") acked++;
            else
            {
                Assert.Equal("rate_limited", frame.GetProperty("code").GetString());
                limited++;
            }
        }
        return (acked, limited);
    }
}
