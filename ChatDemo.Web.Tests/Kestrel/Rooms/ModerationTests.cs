using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;
using ChatDemo.Web.Tests.TestInfrastructure;

namespace ChatDemo.Web.Tests.Kestrel.Rooms;

/// <summary>Mute, kick, ban, removal and their frames and close codes (protocol.md 11.4, 11.6).</summary>
public sealed class ModerationTests(SharedChatApp shared) : IClassFixture<SharedChatApp>
{
    [Theory]
    [InlineData("private")]
    [InlineData("public")]
    public async Task ABannedUsersSocketsCloseWithin1SecondAndReconnectingIsRefused(string visibility)
    {
        var scene = await RoomScene.CreateAsync(shared.App, visibility);
        var rooms = scene.Rooms;
        await using var watcher = await rooms.ConnectAsync(scene.GuestMember, scene.Room);
        await using var first = await rooms.ConnectAsync(scene.Victim, scene.Room);
        await using var second = await rooms.ConnectAsync(scene.Victim, scene.Room);

        var clock = Stopwatch.StartNew();
        await rooms.ModeratedAsync(scene.Moderator, scene.Room, "ban", scene.Victim.UserId, 3600);
        var codes = await Task.WhenAll(first.WaitForCloseAsync(TimeSpan.FromSeconds(5)), second.WaitForCloseAsync(TimeSpan.FromSeconds(5)));
        clock.Stop();

        Assert.All(codes, code => Assert.Equal((WebSocketCloseStatus)4402, code));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"closed after {clock.Elapsed.TotalMilliseconds:F0} ms");
        Assert.Equal("banned", first.Socket.CloseStatusDescription);
        var frame = await watcher.WaitForAsync("member", f => f.GetProperty("event").GetString() == "banned");
        Assert.Equal((scene.Victim.UserId, scene.Moderator.UserId), (frame.GetProperty("user").GetProperty("id").GetString(), frame.GetProperty("by").GetProperty("id").GetString()));
        Assert.True(frame.TryGetProperty("until", out _));

        using var upgrade = await rooms.UpgradeAsync(scene.Victim, scene.Room);
        var problem = await ProblemAssert.IsProblemAsync(upgrade, 403);
        Assert.Equal("Banned", problem.GetProperty("title").GetString());
        Assert.Contains("until", problem.GetProperty("detail").GetString());

        var members = await rooms.JsonAsync(HttpMethod.Get, $"/api/rooms/{scene.Room}/members", scene.Owner, null, 200);
        Assert.Equal(visibility == "public", AccessMatrixTests.Find(members.GetProperty("members"), scene.Victim.UserId) is not null);

        await rooms.ModeratedAsync(scene.Owner, scene.Room, "unban", scene.Victim.UserId);
        Assert.Equal(visibility == "public" ? 101 : 403, await ChatSocket.TryConnectAsync(shared.App.WebSocketUri(scene.Room, scene.Victim.Token)));
    }

    [Fact]
    public async Task TheBannedUserReadsTheMemberFrameBeforeTheClose()
    {
        var scene = await RoomScene.CreateAsync(shared.App);
        await using var victim = await scene.Rooms.ConnectAsync(scene.Victim, scene.Room);

        await scene.Rooms.ModeratedAsync(scene.Owner, scene.Room, "ban", scene.Victim.UserId);

        var frame = await victim.WaitForAsync("member", f => f.GetProperty("event").GetString() == "banned");
        Assert.False(frame.TryGetProperty("until", out _));
        Assert.Equal((WebSocketCloseStatus)4402, await victim.WaitForCloseAsync());
    }

    [Fact]
    public async Task AKickClosesWith4401AndTheUserMayComeBack()
    {
        var scene = await RoomScene.CreateAsync(shared.App);
        await using var victim = await scene.Rooms.ConnectAsync(scene.Victim, scene.Room);

        await scene.Rooms.ModeratedAsync(scene.Moderator, scene.Room, "kick", scene.Victim.UserId);

        Assert.Equal("kicked", (await victim.WaitForAsync("member")).GetProperty("event").GetString());
        Assert.Equal((WebSocketCloseStatus)4401, await victim.WaitForCloseAsync(TimeSpan.FromSeconds(2)));
        Assert.Equal("kicked", victim.Socket.CloseStatusDescription);
        await (await scene.Rooms.ConnectAsync(scene.Victim, scene.Room)).DisposeAsync();
    }

    [Fact]
    public async Task RemovingClosesWith4403AndAPrivateRoomRefusesTheUserAfterwards()
    {
        var scene = await RoomScene.CreateAsync(shared.App);
        await using var watcher = await scene.Rooms.ConnectAsync(scene.GuestMember, scene.Room);
        await using var victim = await scene.Rooms.ConnectAsync(scene.Victim, scene.Room);

        using (var removed = await scene.Rooms.SendAsync(HttpMethod.Delete, $"/api/rooms/{scene.Room}/members/{scene.Victim.UserId}", scene.Moderator))
            Assert.Equal(204, (int)removed.StatusCode);

        Assert.Equal((WebSocketCloseStatus)4403, await victim.WaitForCloseAsync(TimeSpan.FromSeconds(2)));
        Assert.Equal("removed from the room", victim.Socket.CloseStatusDescription);
        var frame = await watcher.WaitForAsync("member", f => f.GetProperty("event").GetString() == "removed");
        Assert.Equal(scene.Moderator.UserId, frame.GetProperty("by").GetProperty("id").GetString());
        using var upgrade = await scene.Rooms.UpgradeAsync(scene.Victim, scene.Room);
        Assert.Equal("Not a member", (await ProblemAssert.IsProblemAsync(upgrade, 403)).GetProperty("title").GetString());
        using var history = await scene.Rooms.GetAsync($"/api/rooms/{scene.Room}/messages", scene.Victim);
        await ProblemAssert.IsProblemAsync(history, 403);
    }

    [Fact]
    public async Task AMutedUserIsRefusedWithUntilForEveryWriteAndTheirTypingIsDropped()
    {
        var scene = await RoomScene.CreateAsync(shared.App);
        await using var watcher = await scene.Rooms.ConnectAsync(scene.GuestMember, scene.Room);
        await using var victim = await scene.Rooms.ConnectAsync(scene.Victim, scene.Room);
        await victim.SendMessageAsync("c-1", "before the mute");
        var seq = (await victim.WaitForAsync("ack")).GetProperty("seq").GetInt64();
        await watcher.WaitForAsync("message", f => f.GetProperty("seq").GetInt64() == seq);

        var record = await scene.Rooms.ModeratedAsync(scene.Moderator, scene.Room, "mute", scene.Victim.UserId, 600);
        var until = record.GetProperty("until").GetString();
        Assert.Equal(until, (await victim.WaitForAsync("member", f => f.GetProperty("event").GetString() == "muted")).GetProperty("until").GetString());

        object[] writes =
        [
            new { action = "sendMessage", clientMessageId = "c-2", text = "muted?" },
            new { action = "editMessage", seq, text = "edited", clientMessageId = "e-1" },
            new { action = "deleteMessage", seq, clientMessageId = "d-1" },
            new { action = "react", seq, emoji = "👍", op = "add", clientMessageId = "r-1" },
        ];
        foreach (var write in writes)
        {
            await victim.SendJsonAsync(write);
            var error = await victim.WaitForAsync("error");
            Assert.Equal("muted", error.GetProperty("code").GetString());
            Assert.Equal(until, error.GetProperty("until").GetString());
            Assert.True(error.TryGetProperty("clientMessageId", out _));
        }
        await victim.SendJsonAsync(new { action = "typing" });
        await victim.SendJsonAsync(new { action = "ping" });
        await victim.WaitForAsync("pong");
        var seen = await watcher.CollectAsync(TimeSpan.FromMilliseconds(300));
        Assert.DoesNotContain(seen, f => f.GetProperty("type").GetString() is "typing" or "message" or "messageUpdated");

        // The checks run after the frame's own validation: an invalid frame still gets its own code.
        await victim.SendJsonAsync(new { action = "sendMessage", clientMessageId = "c-3", text = "" });
        Assert.Equal("validation_failed", (await victim.WaitForAsync("error")).GetProperty("code").GetString());

        await scene.Rooms.ModeratedAsync(scene.Owner, scene.Room, "unmute", scene.Victim.UserId);
        await victim.SendMessageAsync("c-4", "free again");
        await victim.WaitForAsync("ack");
        await victim.SendJsonAsync(new { action = "typing" });
        await watcher.WaitForAsync("typing");
    }

    [Fact]
    public async Task ModerationIsRecordedNewestFirstAndListedOnlyToModerators()
    {
        var scene = await RoomScene.CreateAsync(shared.App);
        await scene.Rooms.ModeratedAsync(scene.Moderator, scene.Room, "mute", scene.Victim.UserId, 60);
        await scene.Rooms.ModeratedAsync(scene.Owner, scene.Room, "kick", scene.Victim.UserId);
        using (await scene.Rooms.ModerateAsync(scene.Administrator, scene.Room, "ban", scene.Victim.UserId, 60, "spam")) { }

        var list = await scene.Rooms.JsonAsync(HttpMethod.Get, $"/api/rooms/{scene.Room}/moderation?limit=10", scene.Moderator, null, 200);

        var records = list.GetProperty("records").EnumerateArray().ToList();
        Assert.Equal(["ban", "kick", "mute", "role"], records.Select(r => r.GetProperty("action").GetString()));
        Assert.Equal((scene.Administrator.UserId, "spam", scene.Victim.UserId, "Vic Victim"),
            (records[0].GetProperty("by").GetProperty("id").GetString(), records[0].GetProperty("reason").GetString(),
             records[0].GetProperty("user").GetProperty("id").GetString(), records[0].GetProperty("user").GetProperty("name").GetString()));
        Assert.Equal("moderator", records[3].GetProperty("role").GetString());
        using var member = await scene.Rooms.GetAsync($"/api/rooms/{scene.Room}/moderation", scene.SignedInMember);
        await ProblemAssert.IsProblemAsync(member, 403);
        using var badLimit = await scene.Rooms.GetAsync($"/api/rooms/{scene.Room}/moderation?limit=0", scene.Owner);
        await ProblemAssert.IsProblemAsync(badLimit, 400);
    }

    [Theory]
    [InlineData("""{"action":"mute","userId":"u_x"}""")]
    [InlineData("""{"action":"mute","userId":"u_x","durationSeconds":0}""")]
    [InlineData("""{"action":"ban","userId":"u_x","durationSeconds":31536001}""")]
    [InlineData("""{"action":"ban","userId":"u_x","durationSeconds":1.5}""")]
    [InlineData("""{"action":"dance","userId":"u_x"}""")]
    [InlineData("""{"action":"kick"}""")]
    [InlineData("""{"action":"kick","userId":42}""")]
    [InlineData("""{"action":"kick","userId":"u_x","reason":"line\nbreak"}""")]
    [InlineData("""[]""")]
    public async Task ABadModerationRequestIs400(string body)
    {
        var scene = await RoomScene.CreateAsync(shared.App);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/rooms/{scene.Room}/moderation")
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", scene.Owner.Token);

        using var response = await shared.App.Http.SendAsync(request);

        await ProblemAssert.IsProblemAsync(response, 400);
        using var records = await scene.Rooms.GetAsync($"/api/rooms/{scene.Room}/moderation", scene.Owner);
        Assert.Single((await ProblemAssert.IsJsonAsync(records, 200)).GetProperty("records").EnumerateArray());
    }

    [Fact]
    public async Task NobodyActsOnTheOwnerAndAModeratorNotOnAnotherModerator()
    {
        var scene = await RoomScene.CreateAsync(shared.App);
        var second = scene.Rooms.Member("Second Mod");
        await scene.Rooms.JoinedAsync(second, scene.Room, await scene.Rooms.InviteAsync(scene.Owner, scene.Room));
        await scene.Rooms.SetRoleAsync(scene.Owner, scene.Room, second.UserId, "moderator");

        foreach (var action in new[] { "mute", "kick", "ban" })
        {
            using (var onOwner = await scene.Rooms.ModerateAsync(scene.Administrator, scene.Room, action, scene.Owner.UserId, 60))
                await ProblemAssert.IsProblemAsync(onOwner, 403);
            using (var onModerator = await scene.Rooms.ModerateAsync(scene.Moderator, scene.Room, action, second.UserId, 60))
                await ProblemAssert.IsProblemAsync(onModerator, 403);
            using (var onThemself = await scene.Rooms.ModerateAsync(scene.Moderator, scene.Room, action, scene.Moderator.UserId, 60))
                await ProblemAssert.IsProblemAsync(onThemself, 403);
        }
        using var byOwner = await scene.Rooms.ModerateAsync(scene.Owner, scene.Room, "mute", second.UserId, 60);
        await ProblemAssert.IsJsonAsync(byOwner, 200);
    }

    [Fact]
    public async Task AnAdministratorsSessionIsNeverMutedOrClosed()
    {
        var scene = await RoomScene.CreateAsync(shared.App, "public");
        await using var admin = await scene.Rooms.ConnectAsync(scene.Administrator, scene.Room);

        await scene.Rooms.ModeratedAsync(scene.Owner, scene.Room, "mute", scene.Administrator.UserId, 600);
        await scene.Rooms.ModeratedAsync(scene.Owner, scene.Room, "kick", scene.Administrator.UserId);

        await admin.SendMessageAsync("c-1", "still here");
        Assert.False((await admin.WaitForAsync("ack")).GetProperty("duplicate").GetBoolean());
        Assert.False(admin.Closed.IsCompleted);
    }

    [Theory]
    [InlineData("public")]
    [InlineData("private")]
    public async Task TheRoomObjectTellsABannedUserTheirBanWhichTheirRefusedUpgradeCannot(string visibility)
    {
        var scene = await RoomScene.CreateAsync(shared.App, visibility);
        var path = $"/api/rooms/{scene.Room}";
        Assert.False((await scene.Rooms.JsonAsync(HttpMethod.Get, path, scene.Victim, null, 200)).TryGetProperty("ban", out _));

        var record = await scene.Rooms.ModeratedAsync(scene.Moderator, scene.Room, "ban", scene.Victim.UserId, 3600);

        if (visibility == "public")
        {
            var ban = (await scene.Rooms.JsonAsync(HttpMethod.Get, path, scene.Victim, null, 200)).GetProperty("ban");
            Assert.Equal(record.GetProperty("until").GetString(), ban.GetProperty("until").GetString());
            Assert.Equal(record.GetProperty("at").GetString(), ban.GetProperty("at").GetString());
        }
        else
        {
            // A ban takes a private room's membership away: the room says no more than to any outsider.
            using var refused = await scene.Rooms.SendAsync(HttpMethod.Get, path, scene.Victim);
            Assert.Equal("Not a member", (await ProblemAssert.IsProblemAsync(refused, 403)).GetProperty("title").GetString());
        }
        // Nobody else reads someone's ban in the room object.
        Assert.False((await scene.Rooms.JsonAsync(HttpMethod.Get, path, scene.Owner, null, 200)).TryGetProperty("ban", out _));

        // For good: no until. An unban ends it.
        await scene.Rooms.ModeratedAsync(scene.Owner, scene.Room, "ban", scene.Outsider.UserId);
        if (visibility == "public")
        {
            var forGood = (await scene.Rooms.JsonAsync(HttpMethod.Get, path, scene.Outsider, null, 200)).GetProperty("ban");
            Assert.True(forGood.TryGetProperty("at", out _));
            Assert.False(forGood.TryGetProperty("until", out _));
            await scene.Rooms.ModeratedAsync(scene.Owner, scene.Room, "unban", scene.Victim.UserId);
            Assert.False((await scene.Rooms.JsonAsync(HttpMethod.Get, path, scene.Victim, null, 200)).TryGetProperty("ban", out _));
        }
    }

    [Fact]
    public async Task TheMemberListSaysWhoIsMutedUntilWhen()
    {
        var scene = await RoomScene.CreateAsync(shared.App);
        var path = $"/api/rooms/{scene.Room}/members";
        var record = await scene.Rooms.ModeratedAsync(scene.Moderator, scene.Room, "mute", scene.Victim.UserId, 600);

        foreach (var reader in new[] { scene.Owner, scene.GuestMember })
        {
            var members = (await scene.Rooms.JsonAsync(HttpMethod.Get, path, reader, null, 200)).GetProperty("members").EnumerateArray().ToList();
            Assert.Equal(record.GetProperty("until").GetString(),
                members.Single(m => m.GetProperty("id").GetString() == scene.Victim.UserId).GetProperty("mutedUntil").GetString());
            Assert.All(members.Where(m => m.GetProperty("id").GetString() != scene.Victim.UserId),
                m => Assert.False(m.TryGetProperty("mutedUntil", out _)));
        }

        await scene.Rooms.ModeratedAsync(scene.Moderator, scene.Room, "unmute", scene.Victim.UserId);
        var after = (await scene.Rooms.JsonAsync(HttpMethod.Get, path, scene.Owner, null, 200)).GetProperty("members").EnumerateArray();
        Assert.All(after, m => Assert.False(m.TryGetProperty("mutedUntil", out _)));
    }

    internal static JsonElement Record(JsonElement list, int index) => list.GetProperty("records")[index];

    [Fact]
    public async Task ARoomNobodyCreatedHasNoModerationToReadEvenForAnAdministrator()
    {
        // Like its invitations, members and moderation actions: 404, not a 403 naming an owner it lacks.
        var rooms = new RoomsClient(shared.App);
        var room = RoomsClient.NewRoom("free");
        await using (var socket = await rooms.ConnectAsync(await rooms.GuestAsync("Gil Guest"), room))
        {
            await socket.SendMessageAsync("c-1", "in use");
            await socket.WaitForAsync("ack");
        }
        foreach (var caller in new[] { await rooms.GuestAsync("Gil Guest"), rooms.Member("Ada Admin", admin: true) })
        {
            using var response = await rooms.GetAsync($"/api/rooms/{room}/moderation", caller);
            Assert.Contains("Nobody created", (await ProblemAssert.IsProblemAsync(response, 404)).Str("detail"), StringComparison.Ordinal);
        }
    }
}
