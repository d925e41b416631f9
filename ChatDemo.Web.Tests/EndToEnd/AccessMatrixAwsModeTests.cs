using System.Text.Json;
using ChatDemo.Web.Tests.Lambda;
using ChatDemo.Web.Tests.TestInfrastructure;

namespace ChatDemo.Web.Tests.EndToEnd;

/// <summary>
/// The access matrix of protocol.md section 11 (<see cref="AccessMatrix"/>, the table the Kestrel
/// <c>AccessMatrixTests</c> assert too) through API Gateway events to the app in Lambda mode, on one
/// <see cref="AwsLambdaStack"/> for the class: DynamoDB on dynalite, the EventBridge and management
/// API fakes that check every request's signature. Every cell is a case of its own on a fresh room.
/// Connect is the <c>$connect</c> event; send, edit and deleting another's message are MESSAGE events
/// with the frames; history, presence, invite, remove, mute, kick, ban and list are HTTP API events.
/// Allowed cells assert the effect (stored, put on the bus, posted back through the management API,
/// connections deleted); refused ones look as 11.8-11.10 say: <c>$connect</c> 403 with a problem
/// body, REST 403 problem+json, an <c>error</c> frame posted back with its code.
/// </summary>
[Collection(LambdaCollection.Name)]
public sealed class AccessMatrixAwsModeTests(SharedAwsLambdaStack shared) : IClassFixture<SharedAwsLambdaStack>
{
    private AwsLambdaStack Stack => shared.Stack;

    [Theory]
    [MemberData(nameof(AccessMatrix.Cells), MemberType = typeof(AccessMatrix))]
    public async Task Cell(Actor actor, Operation operation, bool allowed)
    {
        var rooms = new LambdaRoomsClient(Stack);
        var scene = await RoomScene<LambdaRoomsClient>.CreateAsync(rooms);
        var who = scene.As(actor);
        var room = scene.Room;
        var victimId = scene.Victim.UserId;
        // An allowed call answers okStatus (its JSON, when it has a body); a refused one is a 403
        // problem titled as 11.3 and 11.9 say (null then).
        JsonElement? Expect(ProxyResult answer, int okStatus)
        {
            if (!allowed)
            {
                Assert.Equal(AccessMatrix.RefusalTitle(actor), LambdaRoomsClient.IsProblem(answer, 403).GetProperty("title").GetString());
                return null;
            }
            if (okStatus == 204)
            {
                Assert.True(answer.StatusCode == 204, $"expected 204, got {answer.StatusCode}: {answer.Body}");
                return null;
            }
            return LambdaRoomsClient.IsJson(answer, okStatus);
        }

        switch (operation)
        {
            case Operation.Connect:
                if (allowed) await AssertConnectsAsync(rooms, room, who);
                else await AssertConnectRefusedAsync(rooms, room, who, "Not a member");
                break;

            case Operation.History:
            {
                var (_, seq) = await SentAsync(rooms, scene.Victim, room, "the victim's words");
                var answer = await rooms.RestAsync("GET", $"/api/rooms/{room}/messages", who);
                if (Expect(answer, 200) is { } history)
                    Assert.Equal([(seq, "the victim's words")], history.GetProperty("messages").EnumerateArray()
                        .Select(m => (m.GetProperty("seq").GetInt64(), m.GetProperty("text").GetString())));
                else Assert.DoesNotContain("the victim's words", answer.Body);
                break;
            }

            case Operation.Presence:
            {
                await rooms.ConnectedAsync(scene.Victim, room);
                var answer = await rooms.RestAsync("GET", $"/api/rooms/{room}/presence", who);
                if (Expect(answer, 200) is { } presence)
                    Assert.Equal([victimId], presence.GetProperty("users").EnumerateArray().Select(u => u.GetProperty("id").GetString()));
                else Assert.DoesNotContain(victimId, answer.Body);
                break;
            }

            case Operation.Send:
            {
                if (!allowed)
                {
                    await AssertConnectRefusedAsync(rooms, room, who, "Not a member");
                    break;
                }
                var (connection, seq) = await SentAsync(rooms, who, room, "hello");
                Assert.Equal("hello", await StoredTextAsync(rooms, scene, seq));
                var published = Assert.Single(Stack.Published("message", room)).Detail.GetProperty("frame");
                Assert.Equal((seq, who.UserId, "hello"),
                    (published.GetProperty("seq").GetInt64(), published.GetProperty("sender").GetProperty("id").GetString(), published.GetProperty("text").GetString()));
                Assert.DoesNotContain(connection, Stack.ApiGateway.Deleted);
                break;
            }

            case Operation.Edit:
            {
                if (!allowed)
                {
                    await AssertConnectRefusedAsync(rooms, room, who, "Not a member");
                    break;
                }
                var (connection, seq) = await SentAsync(rooms, who, room, "helo");
                await rooms.SendFrameAsync(connection, new { action = "editMessage", seq, text = "hello" });
                var ack = Assert.Single(Stack.Received(connection, "updateAck"));
                Assert.Equal("hello", ack.GetProperty("message").GetProperty("text").GetString());
                Assert.Equal("hello", await StoredTextAsync(rooms, scene, seq));
                var update = Assert.Single(Stack.Published("messageUpdated", room)).Detail.GetProperty("frame");
                Assert.Equal((seq, "hello"), (update.GetProperty("seq").GetInt64(), update.GetProperty("text").GetString()));
                break;
            }

            case Operation.DeleteOthers:
                await AssertDeleteOthersAsync(rooms, scene, who, actor, allowed);
                break;

            case Operation.Invite:
                if (Expect(await rooms.RestAsync("POST", $"/api/rooms/{room}/invites", who, new { }), 201) is { } invite)
                {
                    // The invitation works: a newcomer joins with it.
                    var newcomer = await rooms.GuestAsync("Nina Newcomer");
                    await rooms.JoinedAsync(newcomer, room, invite.GetProperty("invite").GetString()!);
                }
                break;

            case Operation.Remove:
            {
                var victim = await rooms.ConnectedAsync(scene.Victim, room);
                Expect(await rooms.RestAsync("DELETE", $"/api/rooms/{room}/members/{victimId}", who), 204);
                if (allowed)
                {
                    await AssertClosedAsync(victim, "removed", victimId, who);
                    await AssertConnectRefusedAsync(rooms, room, scene.Victim, "Not a member");
                }
                else await AssertStillOpenAsync(victim);
                var members = await rooms.JsonAsync("GET", $"/api/rooms/{room}/members", scene.Owner, null, 200);
                Assert.Equal(!allowed, members.GetProperty("members").EnumerateArray().Any(m => m.GetProperty("id").GetString() == victimId));
                break;
            }

            case Operation.Mute:
            {
                var victim = await rooms.ConnectedAsync(scene.Victim, room);
                if (Expect(await rooms.ModerateAsync(who, room, "mute", victimId, 60), 200) is { } record)
                    Assert.Equal(("mute", victimId), (record.GetProperty("action").GetString(), record.GetProperty("user").GetProperty("id").GetString()));
                await rooms.SendFrameAsync(victim, new { action = "sendMessage", clientMessageId = "v-1", text = "let me talk" });
                if (allowed)
                {
                    var error = Assert.Single(Stack.Received(victim, "error"));
                    Assert.Equal(("muted", "v-1"), (error.GetProperty("code").GetString(), error.GetProperty("clientMessageId").GetString()));
                    Assert.True(error.GetProperty("until").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddSeconds(30));
                    Assert.Empty(Stack.Received(victim, "ack"));
                    Assert.Empty(Stack.Published("message", room));
                }
                else
                {
                    Assert.Single(Stack.Received(victim, "ack"));
                    Assert.Empty(Stack.Received(victim, "error"));
                }
                // A mute closes nothing.
                await AssertStillOpenAsync(victim);
                break;
            }

            case Operation.Kick:
            {
                var victim = await rooms.ConnectedAsync(scene.Victim, room);
                Expect(await rooms.ModerateAsync(who, room, "kick", victimId), 200);
                if (allowed)
                {
                    await AssertClosedAsync(victim, "kicked", victimId, who);
                    await AssertConnectsAsync(rooms, room, scene.Victim);
                }
                else await AssertStillOpenAsync(victim);
                break;
            }

            case Operation.Ban:
            {
                var victim = await rooms.ConnectedAsync(scene.Victim, room);
                Expect(await rooms.ModerateAsync(who, room, "ban", victimId, 600), 200);
                if (allowed)
                {
                    await AssertClosedAsync(victim, "banned", victimId, who);
                    await AssertConnectRefusedAsync(rooms, room, scene.Victim, "Banned");
                }
                else
                {
                    await AssertStillOpenAsync(victim);
                    await rooms.ConnectedAsync(scene.Victim, room);
                }
                break;
            }

            case Operation.List:
                // Lists read eventually consistent indexes in AWS mode (11.8): wait until the room is
                // listed for whoever must see it, and for the owner before asserting it is missing.
                await Poll.WaitUntilAsync(async () => (await rooms.ListAsync(allowed ? who : scene.Owner)).ContainsKey(room),
                    $"{(allowed ? actor : Actor.Owner)}'s list shows {room}");
                if (!allowed) Assert.False((await rooms.ListAsync(who)).ContainsKey(room), $"{actor}'s list shows {room}");
                break;
        }

        // Whatever the cell, an outsider still learns nothing, and every AWS call was signed.
        Assert.False((await rooms.ListAsync(scene.Outsider)).ContainsKey(room));
        Assert.Empty(Stack.ApiGateway.SignatureFailures);
        Assert.Empty(Stack.EventBridge.SignatureFailures);
    }

    /// <summary>The matrix's actors all hold a session; without one, a private room's ways in are 401 (11.3).</summary>
    [Fact]
    public async Task APrivateRoomsWaysInNeedAToken()
    {
        var rooms = new LambdaRoomsClient(Stack);
        var scene = await RoomScene<LambdaRoomsClient>.CreateAsync(rooms);
        var r = $"/api/rooms/{scene.Room}";

        foreach (var (method, path) in new[]
                 {
                     ("GET", r), ("GET", $"{r}/messages"), ("GET", $"{r}/presence"), ("GET", $"{r}/members"),
                     ("POST", $"{r}/invites"), ("POST", $"{r}/moderation"), ("DELETE", $"{r}/members/{scene.Victim.UserId}"),
                 })
        {
            var answer = await rooms.RestAsync(method, path, body: method == "GET" ? null : new { action = "kick", userId = scene.Victim.UserId });
            Assert.Equal("Session required", LambdaRoomsClient.IsProblem(answer, 401).GetProperty("title").GetString());
            Assert.Equal("Bearer", answer.Header("www-authenticate"));
        }

        var connection = LambdaRoomsClient.NewConnectionId();
        var connect = (await Stack.App.InvokeAsync(Events.WebSocketConnect(connection, new Dictionary<string, string> { ["room"] = scene.Room }))).Proxy;
        LambdaRoomsClient.IsConnectRefusal(connect, 401);
        Assert.Null(await Stack.Store.GetConnectionAsync(connection, default));
        // The refused calls changed nothing: the kick and the removal did not happen.
        var members = await rooms.JsonAsync("GET", $"{r}/members", scene.Owner, null, 200);
        Assert.Contains(members.GetProperty("members").EnumerateArray(), m => m.GetProperty("id").GetString() == scene.Victim.UserId);
        Assert.DoesNotContain(Stack.Published("member", scene.Room),
            e => e.Detail.GetProperty("frame").GetProperty("event").GetString() is "kicked" or "removed");
    }

    private async Task AssertDeleteOthersAsync(LambdaRoomsClient rooms, RoomScene<LambdaRoomsClient> scene, TestSession who, Actor actor, bool allowed)
    {
        var (victim, seq) = await SentAsync(rooms, scene.Victim, scene.Room, "the victim's words");
        if (actor == Actor.Outsider)
        {
            await AssertConnectRefusedAsync(rooms, scene.Room, who, "Not a member");
            Assert.Equal("the victim's words", await StoredTextAsync(rooms, scene, seq));
            return;
        }
        var connection = await rooms.ConnectedAsync(who, scene.Room);
        await rooms.SendFrameAsync(connection, new { action = "deleteMessage", seq, clientMessageId = "d-1" });
        if (allowed)
        {
            var ack = Assert.Single(Stack.Received(connection, "updateAck"));
            Assert.True(ack.GetProperty("message").GetProperty("deleted").GetBoolean());
            Assert.Equal("", await StoredTextAsync(rooms, scene, seq));
            // The author hears of it through the bus and the workflow's delivery.
            await Stack.DeliverAsync(Assert.Single(Stack.Published("messageUpdated", scene.Room)));
            var update = Assert.Single(Stack.Received(victim, "messageUpdated"));
            Assert.Equal((seq, ""), (update.GetProperty("seq").GetInt64(), update.GetProperty("text").GetString()));
        }
        else
        {
            var error = Assert.Single(Stack.Received(connection, "error"));
            Assert.Equal(("not_author", "d-1"), (error.GetProperty("code").GetString(), error.GetProperty("clientMessageId").GetString()));
            Assert.Empty(Stack.Received(connection, "updateAck"));
            Assert.Empty(Stack.Published("messageUpdated", scene.Room));
            Assert.Equal("the victim's words", await StoredTextAsync(rooms, scene, seq));
        }
    }

    /// <summary>Connects <paramref name="who"/> and sends one message; returns the connection and the message's seq from its <c>ack</c>.</summary>
    private async Task<(string Connection, long Seq)> SentAsync(LambdaRoomsClient rooms, TestSession who, string room, string text)
    {
        var connection = await rooms.ConnectedAsync(who, room);
        await rooms.SendFrameAsync(connection, new { action = "sendMessage", clientMessageId = "c-1", text });
        var ack = Assert.Single(Stack.Received(connection, "ack"));
        Assert.False(ack.GetProperty("duplicate").GetBoolean());
        return (connection, ack.GetProperty("seq").GetInt64());
    }

    private static async Task<string?> StoredTextAsync(LambdaRoomsClient rooms, RoomScene<LambdaRoomsClient> scene, long seq) =>
        (await rooms.JsonAsync("GET", $"/api/rooms/{scene.Room}/messages/{seq}", scene.Owner, null, 200)).GetProperty("text").GetString();

    /// <summary>An accepted <c>$connect</c>: the connection is recorded in the room and the room hears the user is online.</summary>
    private async Task AssertConnectsAsync(LambdaRoomsClient rooms, string room, TestSession who)
    {
        var before = Stack.Published("presence", room).Count;
        var connection = await rooms.ConnectedAsync(who, room);
        var stored = await Stack.Store.GetConnectionAsync(connection, default);
        Assert.Equal((room, who.UserId), (stored?.Room, stored?.User.Id));
        var online = Assert.Single(Stack.Published("presence", room).Skip(before)).Detail.GetProperty("frame");
        Assert.Equal(("online", who.UserId), (online.GetProperty("status").GetString(), online.GetProperty("user").GetProperty("id").GetString()));
    }

    /// <summary>A refused <c>$connect</c> (11.8): 403 with the problem body, nothing recorded, nothing published or posted.</summary>
    private async Task AssertConnectRefusedAsync(LambdaRoomsClient rooms, string room, TestSession who, string title)
    {
        var before = Stack.EventBridge.Events.Count;
        var connection = LambdaRoomsClient.NewConnectionId();
        var problem = LambdaRoomsClient.IsConnectRefusal(await rooms.ConnectAsync(who, room, connection), 403);
        Assert.Equal(title, problem.GetProperty("title").GetString());
        Assert.Null(await Stack.Store.GetConnectionAsync(connection, default));
        Assert.Equal(before, Stack.EventBridge.Events.Count);
        Assert.Empty(Stack.ManagementCalls(connection));
    }

    /// <summary>
    /// A kick, ban or removal in AWS mode (11.8): the <c>member</c> frame about the target posted to
    /// their connection, then <c>DeleteConnection</c>, before the request was answered; the
    /// connection is gone from the server's records.
    /// </summary>
    private async Task AssertClosedAsync(string connection, string memberEvent, string targetId, TestSession by)
    {
        Assert.Equal(["POST", "DELETE"], Stack.ManagementCalls(connection));
        var notice = Assert.Single(Stack.Received(connection, "member"));
        Assert.Equal((memberEvent, targetId, by.UserId),
            (notice.GetProperty("event").GetString(), notice.GetProperty("user").GetProperty("id").GetString(),
             notice.GetProperty("by").GetProperty("id").GetString()));
        Assert.Null(await Stack.Store.GetConnectionAsync(connection, default));
    }

    private async Task AssertStillOpenAsync(string connection)
    {
        Assert.DoesNotContain(connection, Stack.ApiGateway.Deleted);
        Assert.Empty(Stack.Received(connection, "member"));
        Assert.NotNull(await Stack.Store.GetConnectionAsync(connection, default));
    }
}
