using System.Diagnostics;
using System.Text.Json;
using ChatDemo.Web.Chat;
using ChatDemo.Web.Tests.Aws;
using ChatDemo.Web.Tests.Lambda;

namespace ChatDemo.Web.Tests.EndToEnd;

/// <summary>
/// The access matrix's AWS cells (protocol.md 11.8) through API Gateway events in Lambda mode, on
/// <see cref="AwsLambdaStack"/> (DynamoDB on dynalite, the EventBridge and management fakes that
/// check every signature): <c>$connect</c> refusals, kicks, bans and removals closing connections
/// with <c>DeleteConnection</c> after the <c>member</c> frame, a muted user's refusal posted back,
/// <c>member</c> frames reaching the room through the bus and the workflow's delivery, and a
/// connection that slipped past a ban closed on its next frame.
/// </summary>
[Collection(LambdaCollection.Name)]
public sealed class RoomsAwsModeTests
{
    private const string AliceConnection = "L0SM9cOFvHcCIhw=";
    private const string BobConnection = "L0SNBdDUvHcCE5g=";
    private const string BobSecondTab = "L0SNBdDUvHcCE6h=";

    [Fact]
    public async Task ConnectingToAPrivateRoomIs403ForANonMemberAndOpenToAMemberByInvite()
    {
        await using var stack = await AwsLambdaStack.StartAsync();
        var rooms = new LambdaRoomsClient(stack);
        var alice = await rooms.GuestAsync("Alice");
        var bob = await rooms.GuestAsync("Bob");
        Assert.Equal(201, (await rooms.RestAsync("POST", "/api/rooms", alice, new { room = "team-a", visibility = "private" })).StatusCode);

        var refused = await rooms.ConnectAsync(bob, "team-a", BobConnection);
        Assert.Equal(403, refused.StatusCode);
        Assert.Equal("Not a member", refused.BodyJson.GetProperty("title").GetString());
        Assert.Null(await stack.Store.GetConnectionAsync(BobConnection, default));
        Assert.Empty(stack.Published("presence"));

        Assert.Equal(200, (await rooms.ConnectAsync(alice, "team-a", AliceConnection)).StatusCode);
        var invite = await rooms.RestAsync("POST", "/api/rooms/team-a/invites", alice, new { maxUses = 1 });
        Assert.Equal(201, invite.StatusCode);
        var joined = await rooms.RestAsync("POST", "/api/rooms/team-a/join", bob, new { invite = invite.BodyJson.GetProperty("invite").GetString() });
        Assert.Equal(200, joined.StatusCode);
        Assert.Equal(200, (await rooms.ConnectAsync(bob, "team-a", BobConnection)).StatusCode);

        // The room hears of the join through the bus and the workflow, as of every room event.
        var member = Assert.Single(stack.Published("member"));
        await stack.DeliverAsync(member);
        var frame = Assert.Single(stack.Received(AliceConnection, "member"));
        Assert.Equal(("joined", bob.UserId, "team-a"),
            (frame.GetProperty("event").GetString(), frame.GetProperty("user").GetProperty("id").GetString(), frame.GetProperty("room").GetString()));
    }

    [Fact]
    public async Task ABanClosesEveryConnectionOfTheUserWithTheMemberFrameFirstWithinASecondAndRefusesTheirConnect()
    {
        await using var stack = await AwsLambdaStack.StartAsync();
        var rooms = new LambdaRoomsClient(stack);
        var alice = await rooms.GuestAsync("Alice");
        var bob = await rooms.GuestAsync("Bob");
        Assert.Equal(201, (await rooms.RestAsync("POST", "/api/rooms", alice, new { room = "town" })).StatusCode);
        await rooms.ConnectAsync(alice, "town", AliceConnection);
        await rooms.ConnectAsync(bob, "town", BobConnection);
        await rooms.ConnectAsync(bob, "town", BobSecondTab);

        var started = Stopwatch.GetTimestamp();
        var banned = await rooms.RestAsync("POST", "/api/rooms/town/moderation", alice, new { action = "ban", userId = bob.UserId, reason = "spam" });
        var took = Stopwatch.GetElapsedTime(started);

        Assert.Equal(200, banned.StatusCode);
        Assert.True(took < TimeSpan.FromSeconds(1), $"the ban took {took.TotalMilliseconds:0} ms to close the connections");
        foreach (var connection in new[] { BobConnection, BobSecondTab })
        {
            Assert.Equal(["POST", "DELETE"], stack.ManagementCalls(connection));
            var notice = Assert.Single(stack.Received(connection, "member"));
            Assert.Equal(("banned", bob.UserId, alice.UserId),
                (notice.GetProperty("event").GetString(), notice.GetProperty("user").GetProperty("id").GetString(),
                 notice.GetProperty("by").GetProperty("id").GetString()));
            Assert.Null(await stack.Store.GetConnectionAsync(connection, default));
        }
        Assert.DoesNotContain(AliceConnection, stack.ApiGateway.Deleted);
        Assert.Equal([AliceConnection], await stack.RoomConnectionIdsAsync("town"));

        // The rest of the room gets the same frame through the bus; Bob's closed connections are no longer in it.
        var report = await stack.DeliverAsync(Assert.Single(stack.Published("member")));
        Assert.Equal(1, report.GetProperty("delivered").GetInt32());
        Assert.Equal("banned", Assert.Single(stack.Received(AliceConnection, "member")).GetProperty("event").GetString());
        Assert.Contains(stack.Published("presence"), e => e.Detail.GetProperty("frame").GetProperty("status").GetString() == "offline");

        var again = await rooms.ConnectAsync(bob, "town", "L0SNBdDUvHcCE7i=");
        Assert.Equal(403, again.StatusCode);
        Assert.Equal("Banned", again.BodyJson.GetProperty("title").GetString());
        Assert.Equal(200, (await rooms.ConnectAsync(alice, "town", "L0SM9cOFvHcCI2x=")).StatusCode);
    }

    [Fact]
    public async Task AKickClosesTheConnectionsAndTheUserMayComeBack()
    {
        await using var stack = await AwsLambdaStack.StartAsync();
        var rooms = new LambdaRoomsClient(stack);
        var alice = await rooms.GuestAsync("Alice");
        var bob = await rooms.GuestAsync("Bob");
        await rooms.RestAsync("POST", "/api/rooms", alice, new { room = "town" });
        await rooms.ConnectAsync(bob, "town", BobConnection);

        Assert.Equal(200, (await rooms.RestAsync("POST", "/api/rooms/town/moderation", alice, new { action = "kick", userId = bob.UserId })).StatusCode);

        Assert.Equal(["POST", "DELETE"], stack.ManagementCalls(BobConnection));
        Assert.Equal("kicked", Assert.Single(stack.Received(BobConnection, "member")).GetProperty("event").GetString());
        Assert.Equal(200, (await rooms.ConnectAsync(bob, "town", BobSecondTab)).StatusCode);
    }

    [Fact]
    public async Task RemovingAMemberOfAPrivateRoomClosesTheirConnectionsAndRefusesTheirConnect()
    {
        await using var stack = await AwsLambdaStack.StartAsync();
        var rooms = new LambdaRoomsClient(stack);
        var alice = await rooms.GuestAsync("Alice");
        var bob = await rooms.GuestAsync("Bob");
        await rooms.RestAsync("POST", "/api/rooms", alice, new { room = "team-a", visibility = "private" });
        var invite = await rooms.RestAsync("POST", "/api/rooms/team-a/invites", alice, new { });
        await rooms.RestAsync("POST", "/api/rooms/team-a/join", bob, new { invite = invite.BodyJson.GetProperty("invite").GetString() });
        Assert.Equal(200, (await rooms.ConnectAsync(bob, "team-a", BobConnection)).StatusCode);

        Assert.Equal(204, (await rooms.RestAsync("DELETE", $"/api/rooms/team-a/members/{bob.UserId}", alice, null)).StatusCode);

        Assert.Equal(["POST", "DELETE"], stack.ManagementCalls(BobConnection));
        Assert.Equal("removed", Assert.Single(stack.Received(BobConnection, "member")).GetProperty("event").GetString());
        Assert.Equal(403, (await rooms.ConnectAsync(bob, "team-a", BobSecondTab)).StatusCode);
    }

    [Fact]
    public async Task AMutedUsersSendIsRefusedWithMutedAndUntilPostedBackAndTheirTypingIsDropped()
    {
        await using var stack = await AwsLambdaStack.StartAsync();
        var rooms = new LambdaRoomsClient(stack);
        var alice = await rooms.GuestAsync("Alice");
        var bob = await rooms.GuestAsync("Bob");
        await rooms.RestAsync("POST", "/api/rooms", alice, new { room = "town" });
        await rooms.ConnectAsync(bob, "town", BobConnection);
        Assert.Equal(200, (await rooms.RestAsync("POST", "/api/rooms/town/moderation", alice,
            new { action = "mute", userId = bob.UserId, durationSeconds = 600 })).StatusCode);

        await stack.SendAsync(BobConnection, new { action = "sendMessage", clientMessageId = "c-1", text = "let me talk" }, "sendMessage");
        await stack.SendAsync(BobConnection, new { action = "typing" }, "typing");

        var error = Assert.Single(stack.Received(BobConnection, "error"));
        Assert.Equal(("muted", "c-1"), (error.GetProperty("code").GetString(), error.GetProperty("clientMessageId").GetString()));
        Assert.True(error.GetProperty("until").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddSeconds(500));
        Assert.Empty(stack.Received(BobConnection, "ack"));
        Assert.Empty(stack.Published("message"));
        Assert.Empty(stack.Published("typing"));
        var history = (await stack.App.InvokeAsync(Events.HttpApiV2("GET", "/api/rooms/town/messages"))).Proxy;
        Assert.Empty(history.BodyJson.GetProperty("messages").EnumerateArray());
        // A connection stays open through a mute: it is not closed.
        Assert.Empty(stack.ApiGateway.Deleted);
    }

    [Fact]
    public async Task AConnectionThatSlippedPastABanIsClosedOnItsNextFrameAndItsFrameIsNotHandled()
    {
        await using var stack = await AwsLambdaStack.StartAsync();
        var rooms = new LambdaRoomsClient(stack);
        var alice = await rooms.GuestAsync("Alice");
        var bob = await rooms.GuestAsync("Bob");
        await rooms.RestAsync("POST", "/api/rooms", alice, new { room = "town" });
        Assert.Equal(200, (await rooms.RestAsync("POST", "/api/rooms/town/moderation", alice, new { action = "ban", userId = bob.UserId })).StatusCode);
        // As if Bob's $connect had passed its checks just before the ban was written, and was
        // recorded just after the ban looked for Bob's connections.
        await stack.Store.AddConnectionAsync(new ChatConnection(BobConnection, "town", new ChatUser(bob.UserId, "Bob"), DateTimeOffset.UtcNow), default);

        var result = await stack.App.InvokeAsync(Events.WebSocketMessage(BobConnection, "sendMessage",
            """{"action":"sendMessage","clientMessageId":"c-1","text":"sneaky"}"""));

        Assert.Equal(403, result.Proxy.StatusCode);
        Assert.Equal([BobConnection], stack.ApiGateway.Deleted);
        Assert.Null(await stack.Store.GetConnectionAsync(BobConnection, default));
        Assert.Empty(stack.Received(BobConnection, "ack"));
        Assert.Empty(stack.Published("message"));
    }
}
