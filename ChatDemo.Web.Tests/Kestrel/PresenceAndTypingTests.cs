using ChatDemo.Web.Tests.TestInfrastructure;

namespace ChatDemo.Web.Tests.Kestrel;

public sealed class PresenceAndTypingTests
{
    private static async Task<string[]> OnlineUserIdsAsync(ChatApp app, string room = "lobby")
    {
        var presence = await app.GetJsonAsync($"/api/rooms/{room}/presence");
        Assert.Equal(room, presence.Str("room"));
        return presence.GetProperty("users").EnumerateArray().Select(u => u.Str("id")).ToArray();
    }

    [Fact]
    public async Task PingIsAnsweredWithPong()
    {
        await using var app = await ChatApp.StartAsync();
        var (_, alice) = await app.JoinAsync("Alice");
        await using var _ = alice;
        await alice.SendJsonAsync(new { action = "ping" });
        var pong = await alice.WaitForAsync("pong");
        Assert.Equal("{\"type\":\"pong\"}", pong.GetRawText());
    }

    [Fact]
    public async Task TypingReachesEveryOtherConnectionButNotTheTypist()
    {
        await using var app = await ChatApp.StartAsync();
        var alice = await app.CreateSessionAsync("Alice");
        await using var aliceTab1 = await app.ConnectAsync(alice);
        await using var aliceTab2 = await app.ConnectAsync(alice);
        var (_, bob) = await app.JoinAsync("Bob");
        await using var _ = bob;

        await aliceTab1.SendJsonAsync(new { action = "typing" });
        var typing = await bob.WaitForAsync("typing");
        Assert.Equal("lobby", typing.Str("room"));
        Assert.Equal(alice.UserId, typing.GetProperty("user").Str("id"));
        Assert.Equal("Alice", typing.GetProperty("user").Str("name"));
        await aliceTab2.WaitForAsync("typing");

        // The typist's own answers come in order: a pong after the typing proves no typing came back.
        await aliceTab1.SendJsonAsync(new { action = "ping" });
        await aliceTab1.WaitForAsync("pong");
        Assert.DoesNotContain(await aliceTab1.CollectAsync(TimeSpan.FromMilliseconds(200)), f => f.Type() == "typing");
        Assert.Empty((await app.GetJsonAsync("/api/rooms/lobby/messages")).GetProperty("messages").EnumerateArray());
    }

    [Fact]
    public async Task AUserComesOnlineWithTheFirstConnectionAndGoesOfflineWithTheLast()
    {
        await using var app = await ChatApp.StartAsync();
        var (bobSession, bob) = await app.JoinAsync("Bob");
        await using var _ = bob;
        var alice = await app.CreateSessionAsync("Alice");

        var tab1 = await app.ConnectAsync(alice);
        var online = await bob.WaitForAsync("presence", p => p.GetProperty("user").Str("id") == alice.UserId);
        Assert.Equal("online", online.Str("status"));
        Assert.Equal("lobby", online.Str("room"));
        Assert.Equal("Alice", online.GetProperty("user").Str("name"));
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$", online.Str("at"));

        var tab2 = await app.ConnectAsync(alice);
        var ids = await OnlineUserIdsAsync(app);
        Assert.Equal(2, ids.Length);
        Assert.Single(ids, id => id == alice.UserId);
        Assert.Contains(bobSession.UserId, ids);

        await tab1.DisposeAsync();
        var (_, carol) = await app.JoinAsync("Carol");
        await using var __ = carol;
        await carol.SendMessageAsync("marker", "after the first tab closed");
        await bob.WaitForAsync("message", m => m.Str("clientMessageId") == "marker");
        Assert.DoesNotContain(await bob.CollectAsync(TimeSpan.Zero),
            f => f.Type() == "presence" && f.GetProperty("user").Str("id") == alice.UserId);
        Assert.Contains(alice.UserId, await OnlineUserIdsAsync(app));

        await tab2.DisposeAsync();
        var offline = await bob.WaitForAsync("presence", p => p.GetProperty("user").Str("id") == alice.UserId);
        Assert.Equal("offline", offline.Str("status"));
        Assert.DoesNotContain(alice.UserId, await OnlineUserIdsAsync(app));
        // Exactly one offline, whenever the first tab's leaving was processed.
        Assert.DoesNotContain(await bob.CollectAsync(TimeSpan.FromMilliseconds(300)),
            f => f.Type() == "presence" && f.GetProperty("user").Str("id") == alice.UserId);
    }

    [Fact]
    public async Task ASecondTabDoesNotAnnounceTheUserAgain()
    {
        await using var app = await ChatApp.StartAsync();
        var (_, bob) = await app.JoinAsync("Bob");
        await using var _ = bob;
        var alice = await app.CreateSessionAsync("Alice");
        await using var tab1 = await app.ConnectAsync(alice);
        await bob.WaitForAsync("presence", p => p.GetProperty("user").Str("id") == alice.UserId);
        await using var tab2 = await app.ConnectAsync(alice);
        var (carol, carolSocket) = await app.JoinAsync("Carol");
        await using var __ = carolSocket;
        await bob.WaitForAsync("presence", p => p.GetProperty("user").Str("id") == carol.UserId);
        Assert.DoesNotContain(await bob.CollectAsync(TimeSpan.Zero),
            f => f.Type() == "presence" && f.GetProperty("user").Str("id") == alice.UserId);
    }

    [Fact]
    public async Task AConnectionLostWithoutACloseFrameTakesTheUserOffline()
    {
        await using var app = await ChatApp.StartAsync();
        var (_, bob) = await app.JoinAsync("Bob");
        await using var _ = bob;
        var (alice, aliceSocket) = await app.JoinAsync("Alice");
        await using var __ = aliceSocket;
        await bob.WaitForAsync("presence", p => p.GetProperty("user").Str("id") == alice.UserId && p.Str("status") == "online");

        aliceSocket.Abort();
        var offline = await bob.WaitForAsync("presence", p => p.GetProperty("user").Str("id") == alice.UserId, TimeSpan.FromSeconds(30));
        Assert.Equal("offline", offline.Str("status"));
        Assert.DoesNotContain(alice.UserId, await OnlineUserIdsAsync(app));
    }

    [Fact]
    public async Task PresenceListsEachOnlineUserOnceWithOnlineSince()
    {
        await using var app = await ChatApp.StartAsync();
        var alice = await app.CreateSessionAsync("Alice");
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        await using var tab1 = await app.ConnectAsync(alice);
        await using var tab2 = await app.ConnectAsync(alice);
        await using var elsewhere = await app.ConnectAsync(alice, "kitchen");

        var presence = await app.GetJsonAsync("/api/rooms/lobby/presence");
        var user = Assert.Single(presence.GetProperty("users").EnumerateArray());
        Assert.Equal(alice.UserId, user.Str("id"));
        Assert.Equal("Alice", user.Str("name"));
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$", user.Str("onlineSince"));
        Assert.True(DateTimeOffset.Parse(user.Str("onlineSince"), System.Globalization.CultureInfo.InvariantCulture) >= before);
    }

    [Fact]
    public async Task PresenceOfAnUnknownRoomIsEmpty()
    {
        await using var app = await ChatApp.StartAsync();
        Assert.Empty(await OnlineUserIdsAsync(app, "nobody-here"));
    }

    [Theory]
    [InlineData("lob%20by")]
    [InlineData("lobby!")]
    [InlineData("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-a")]
    public async Task PresenceOfABadRoomIsABadRequestProblem(string room)
    {
        await using var app = await ChatApp.StartAsync();
        using var response = await app.Http.GetAsync($"/api/rooms/{room}/presence");
        await ProblemAssert.IsProblemAsync(response, 400);
    }
}
