using System.Text.Json;
using ChatDemo.Web.Tests.TestInfrastructure;

namespace ChatDemo.Web.Tests.Kestrel.Rooms;

/// <summary>
/// The access matrix of protocol.md section 11 in a private room (<see cref="AccessMatrix"/>), over
/// real HTTP and WebSockets: outsider, guest member, signed-in member, moderator, owner and
/// administrator × connect, history, presence, send, edit, delete another's message, invite,
/// remove, mute, kick, ban and list. Every cell is a case of its own on a fresh room, asserting both
/// what is allowed and how a refusal looks. The same table runs through API Gateway events in
/// Lambda mode in <c>EndToEnd/AccessMatrixAwsModeTests</c>.
/// </summary>
public sealed class AccessMatrixTests(SharedChatApp shared) : IClassFixture<SharedChatApp>
{
    [Theory]
    [MemberData(nameof(AccessMatrix.Cells), MemberType = typeof(AccessMatrix))]
    public async Task Cell(Actor actor, Operation operation, bool allowed)
    {
        var scene = await RoomScene.CreateAsync(shared.App);
        var rooms = scene.Rooms;
        var who = scene.As(actor);
        var room = scene.Room;
        // An allowed call answers okStatus; a refused one is a 403 problem titled as 11.3 and 11.9 say.
        Task ExpectAsync(HttpResponseMessage response, int okStatus) =>
            AssertStatusAsync(response, allowed ? okStatus : 403, allowed ? null : AccessMatrix.RefusalTitle(actor));

        switch (operation)
        {
            case Operation.Connect:
                if (allowed) await (await rooms.ConnectAsync(who, room)).DisposeAsync();
                else await AssertNotAMemberUpgradeAsync(scene, who);
                break;

            case Operation.History:
                await ExpectAsync(await rooms.GetAsync($"/api/rooms/{room}/messages", who), 200);
                break;

            case Operation.Presence:
                await ExpectAsync(await rooms.GetAsync($"/api/rooms/{room}/presence", who), 200);
                break;

            case Operation.Send:
                if (!allowed)
                {
                    await AssertNotAMemberUpgradeAsync(scene, who);
                    break;
                }
                await using (var socket = await rooms.ConnectAsync(who, room))
                {
                    await socket.SendMessageAsync("c-1", "hello");
                    Assert.False((await socket.WaitForAsync("ack")).GetProperty("duplicate").GetBoolean());
                }
                break;

            case Operation.Edit:
                if (!allowed)
                {
                    await AssertNotAMemberUpgradeAsync(scene, who);
                    break;
                }
                await using (var socket = await rooms.ConnectAsync(who, room))
                {
                    await socket.SendMessageAsync("c-1", "helo");
                    var seq = (await socket.WaitForAsync("ack")).GetProperty("seq").GetInt64();
                    await socket.SendJsonAsync(new { action = "editMessage", seq, text = "hello" });
                    var ack = await socket.WaitForAsync("updateAck");
                    Assert.Equal("hello", ack.GetProperty("message").GetProperty("text").GetString());
                }
                break;

            case Operation.DeleteOthers:
                await AssertDeleteOthersAsync(scene, who, actor, allowed);
                break;

            case Operation.Invite:
                await ExpectAsync(await rooms.SendAsync(HttpMethod.Post, $"/api/rooms/{room}/invites", who, new { }), 201);
                break;

            case Operation.Remove:
                await ExpectAsync(await rooms.SendAsync(HttpMethod.Delete, $"/api/rooms/{room}/members/{scene.Victim.UserId}", who), 204);
                var members = await rooms.JsonAsync(HttpMethod.Get, $"/api/rooms/{room}/members", scene.Owner, null, 200);
                Assert.Equal(!allowed, members.GetProperty("members").EnumerateArray().Any(m => m.GetProperty("id").GetString() == scene.Victim.UserId));
                break;

            case Operation.Mute:
                await ExpectAsync(await rooms.ModerateAsync(who, room, "mute", scene.Victim.UserId, 60), 200);
                break;

            case Operation.Kick:
                await ExpectAsync(await rooms.ModerateAsync(who, room, "kick", scene.Victim.UserId), 200);
                break;

            case Operation.Ban:
                await ExpectAsync(await rooms.ModerateAsync(who, room, "ban", scene.Victim.UserId, 600), 200);
                Assert.Equal(allowed ? 403 : 101, await ChatSocket.TryConnectAsync(shared.App.WebSocketUri(room, scene.Victim.Token)));
                break;

            case Operation.List:
                Assert.Equal(allowed, (await rooms.ListAsync(who)).ContainsKey(room));
                break;
        }

        // Whatever the cell, the room's record is unchanged for its owner, and an outsider still learns nothing.
        Assert.False((await rooms.ListAsync(scene.Outsider)).ContainsKey(room));
    }

    private static async Task AssertNotAMemberUpgradeAsync(RoomScene<RoomsClient> scene, TestSession who)
    {
        using var response = await scene.Rooms.UpgradeAsync(who, scene.Room);
        var problem = await ProblemAssert.IsProblemAsync(response, 403);
        Assert.Equal("Not a member", problem.GetProperty("title").GetString());
    }

    private static async Task AssertStatusAsync(HttpResponseMessage response, int status, string? title = null)
    {
        using (response)
        {
            if (status >= 400)
            {
                var problem = await ProblemAssert.IsProblemAsync(response, status);
                if (title is not null) Assert.Equal(title, problem.GetProperty("title").GetString());
            }
            else Assert.True(status == (int)response.StatusCode, $"expected {status}, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    private async Task AssertDeleteOthersAsync(RoomScene<RoomsClient> scene, TestSession who, Actor actor, bool allowed)
    {
        await using var victim = await scene.Rooms.ConnectAsync(scene.Victim, scene.Room);
        await victim.SendMessageAsync("v-1", "the victim's words");
        var seq = (await victim.WaitForAsync("ack")).GetProperty("seq").GetInt64();
        if (actor == Actor.Outsider)
        {
            await AssertNotAMemberUpgradeAsync(scene, who);
            return;
        }
        await using var socket = await scene.Rooms.ConnectAsync(who, scene.Room);
        await socket.SendJsonAsync(new { action = "deleteMessage", seq, clientMessageId = "d-1" });
        if (allowed)
        {
            var ack = await socket.WaitForAsync("updateAck");
            Assert.True(ack.GetProperty("message").GetProperty("deleted").GetBoolean());
            var update = await victim.WaitForAsync("messageUpdated", f => f.GetProperty("seq").GetInt64() == seq);
            Assert.Equal("", update.GetProperty("text").GetString());
        }
        else
        {
            var error = await socket.WaitForAsync("error");
            Assert.Equal(("not_author", "d-1"), (error.GetProperty("code").GetString(), error.GetProperty("clientMessageId").GetString()));
            var message = await scene.Rooms.JsonAsync(HttpMethod.Get, $"/api/rooms/{scene.Room}/messages/{seq}", scene.Owner, null, 200);
            Assert.Equal("the victim's words", message.GetProperty("text").GetString());
        }
    }

    [Fact]
    public async Task APrivateRoomsReadsNeedAToken()
    {
        var scene = await RoomScene.CreateAsync(shared.App);

        foreach (var path in ReadPaths(scene.Room))
        {
            using var response = await scene.Rooms.GetAsync(path);
            var problem = await ProblemAssert.IsProblemAsync(response, 401);
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
            Assert.Equal("Session required", problem.GetProperty("title").GetString());
        }
    }

    [Fact]
    public async Task AForgedOrExpiredTokenIs401EvenForAPublicRoom()
    {
        var scene = await RoomScene.CreateAsync(shared.App, "public");
        var forged = scene.Owner.Token[..^2] + (scene.Owner.Token[^2] == 'A' ? "BB" : "AA");
        var expired = new ChatDemo.Web.Sessions.SessionTokens(
                new ChatDemo.Web.Sessions.SigningKey(System.Text.Encoding.UTF8.GetBytes(ChatApp.TestSigningKey)), TimeProvider.System)
            .Issue(new ChatDemo.Web.Chat.ChatUser(scene.Owner.UserId, "Olga"), DateTimeOffset.UtcNow.AddSeconds(-1), ChatDemo.Web.Sessions.SessionKind.Member);

        foreach (var token in new[] { forged, expired, "not-a-token" })
        {
            foreach (var path in ReadPaths(scene.Room).Append("/api/rooms"))
            {
                using var response = await scene.Rooms.SendAsync(HttpMethod.Get, path, rawToken: token);
                await ProblemAssert.IsProblemAsync(response, 401);
                Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
            }
        }
    }

    [Fact]
    public async Task APublicRoomKeepsProtocolV1ForEveryoneButModerationStaysWithItsModerators()
    {
        var scene = await RoomScene.CreateAsync(shared.App, "public");
        var rooms = scene.Rooms;

        using (var history = await rooms.GetAsync($"/api/rooms/{scene.Room}/messages")) await ProblemAssert.IsJsonAsync(history, 200);
        using (var presence = await rooms.GetAsync($"/api/rooms/{scene.Room}/presence")) await ProblemAssert.IsJsonAsync(presence, 200);
        await using (var socket = await rooms.ConnectAsync(scene.Outsider, scene.Room))
        {
            await socket.SendMessageAsync("c-1", "anyone may talk here");
            await socket.WaitForAsync("ack");
        }
        Assert.True((await rooms.ListAsync(null)).ContainsKey(scene.Room));
        Assert.True((await rooms.ListAsync(scene.Outsider)).ContainsKey(scene.Room));

        await AssertStatusAsync(await rooms.SendAsync(HttpMethod.Post, $"/api/rooms/{scene.Room}/invites", scene.Outsider, new { }), 403);
        await AssertStatusAsync(await rooms.ModerateAsync(scene.Outsider, scene.Room, "kick", scene.Victim.UserId), 403);
        await AssertStatusAsync(await rooms.ModerateAsync(scene.GuestMember, scene.Room, "mute", scene.Victim.UserId, 60), 403);
        await AssertStatusAsync(await rooms.SendAsync(HttpMethod.Delete, $"/api/rooms/{scene.Room}/members/{scene.Victim.UserId}", scene.Outsider), 403);
        await AssertStatusAsync(await rooms.GetAsync($"/api/rooms/{scene.Room}/moderation", scene.GuestMember), 403);
    }

    private static IEnumerable<string> ReadPaths(string room) =>
    [
        $"/api/rooms/{room}",
        $"/api/rooms/{room}/messages",
        $"/api/rooms/{room}/messages?changedSince=0",
        $"/api/rooms/{room}/messages/1",
        $"/api/rooms/{room}/presence",
        $"/api/rooms/{room}/members",
        $"/api/rooms/{room}/moderation",
    ];

    internal static JsonElement? Find(JsonElement array, string id) =>
        array.EnumerateArray().Cast<JsonElement?>().FirstOrDefault(e => e!.Value.GetProperty("id").GetString() == id);
}
