using System.Text.Json;
using ChatDemo.Web.Tests.TestInfrastructure;

namespace ChatDemo.Web.Tests.Kestrel.Rooms;

/// <summary>Creating rooms, the list, one room, read positions and unread counts (protocol.md 11.1, 11.2, 11.4).</summary>
public sealed class RoomListTests(SharedChatApp shared) : IClassFixture<SharedChatApp>
{
    private RoomsClient Rooms => new(shared.App);

    [Fact]
    public async Task CreatingARoomMakesTheCallerItsOwner()
    {
        var owner = Rooms.Member("Olga");
        var room = RoomsClient.NewRoom();

        using var response = await Rooms.SendAsync(HttpMethod.Post, "/api/rooms", owner, new { room, visibility = "private", title = "  Team A  " });

        var view = await ProblemAssert.IsJsonAsync(response, 201);
        Assert.Equal($"/api/rooms/{room}", response.Headers.Location?.OriginalString);
        Assert.Equal((room, "Team A", "private", "owner", 0), (view.GetProperty("room").GetString(), view.GetProperty("title").GetString(),
            view.GetProperty("visibility").GetString(), view.GetProperty("role").GetString(), view.GetProperty("online").GetInt32()));
        Assert.Equal((owner.UserId, "Olga"), (view.GetProperty("owner").GetProperty("id").GetString(), view.GetProperty("owner").GetProperty("name").GetString()));
        Assert.Equal(JsonValueKind.Null, view.GetProperty("lastMessageAt").ValueKind);
        Assert.False(view.TryGetProperty("unread", out _));
        Assert.True(view.TryGetProperty("createdAt", out _));
        var members = await Rooms.JsonAsync(HttpMethod.Get, $"/api/rooms/{room}/members", owner, null, 200);
        var only = Assert.Single(members.GetProperty("members").EnumerateArray());
        Assert.Equal((owner.UserId, "owner"), (only.GetProperty("id").GetString(), only.GetProperty("role").GetString()));
    }

    [Fact]
    public async Task ARoomIsCreatedOnceAndARoomInUseCannotBeClaimed()
    {
        var owner = Rooms.Member("Olga");
        var room = RoomsClient.NewRoom();
        await Rooms.CreateRoomAsync(owner, room, "public");
        using (var again = await Rooms.SendAsync(HttpMethod.Post, "/api/rooms", Rooms.Member("Mallory"), new { room }))
            await ProblemAssert.IsProblemAsync(again, 409);

        var used = RoomsClient.NewRoom("used");
        var (_, socket) = await shared.App.JoinAsync("Bob", used);
        await using (socket)
        {
            await socket.SendMessageAsync("c-1", "mine now");
            await socket.WaitForAsync("ack");
        }
        using var claim = await Rooms.SendAsync(HttpMethod.Post, "/api/rooms", owner, new { room = used, visibility = "private" });
        await ProblemAssert.IsProblemAsync(claim, 409);
        var view = await Rooms.JsonAsync(HttpMethod.Get, $"/api/rooms/{used}", null, null, 200);
        Assert.Equal((JsonValueKind.Null, "public"), (view.GetProperty("owner").ValueKind, view.GetProperty("visibility").GetString()));
    }

    [Theory]
    [InlineData("""{"room":"bad name"}""", 400)]
    [InlineData("""{"room":""}""", 400)]
    [InlineData("""{}""", 400)]
    [InlineData("""{"room":"ok-name","visibility":"secret"}""", 400)]
    [InlineData("""{"room":"ok-name","title":""}""", 400)]
    [InlineData("""{"room":"ok-name","title":"two\nlines"}""", 400)]
    [InlineData("""{"room":"ok-name","title":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}""", 400)]
    [InlineData("""{"room":"ok-name","title":42}""", 400)]
    [InlineData("""not json""", 400)]
    public async Task ABadRoomRequestIsRefused(string body, int status)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/rooms") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Rooms.Member("Olga").Token);

        using var response = await shared.App.Http.SendAsync(request);

        await ProblemAssert.IsProblemAsync(response, status);
    }

    [Fact]
    public async Task CreatingNeedsASessionAndJson()
    {
        using (var anonymous = await Rooms.SendAsync(HttpMethod.Post, "/api/rooms", null, new { room = RoomsClient.NewRoom() }))
        {
            await ProblemAssert.IsProblemAsync(anonymous, 401);
            Assert.Equal("Bearer", anonymous.Headers.WwwAuthenticate.Single().Scheme);
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/rooms") { Content = new StringContent("room=x") };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Rooms.Member("Olga").Token);
        using var form = await shared.App.Http.SendAsync(request);
        await ProblemAssert.IsProblemAsync(form, 415);
    }

    [Fact]
    public async Task TheListIsNewestFirstWithOnlineCountsAndNoOnesPrivateRoom()
    {
        await using var app = await ChatApp.StartAsync();
        var rooms = new RoomsClient(app);
        var (olga, bob) = (rooms.Member("Olga"), rooms.Member("Bob"));
        await rooms.CreateRoomAsync(olga, "quiet", "public");
        await rooms.CreateRoomAsync(olga, "secret", "private");
        await rooms.CreateRoomAsync(bob, "bobs", "private");
        await using var inLobby = await rooms.ConnectAsync(bob, "lobby");
        await inLobby.SendMessageAsync("c-1", "first");
        await inLobby.WaitForAsync("ack");
        await using var inSecret = await rooms.ConnectAsync(olga, "secret");
        await inSecret.SendMessageAsync("c-1", "later");
        await inSecret.WaitForAsync("ack");

        var anonymous = (await rooms.JsonAsync(HttpMethod.Get, "/api/rooms", null, null, 200)).GetProperty("rooms").EnumerateArray().ToList();
        var olgas = (await rooms.JsonAsync(HttpMethod.Get, "/api/rooms", olga, null, 200)).GetProperty("rooms").EnumerateArray().ToList();

        Assert.Equal(["lobby", "quiet"], anonymous.Select(r => r.GetProperty("room").GetString()));
        Assert.Equal(["secret", "lobby", "quiet"], olgas.Select(r => r.GetProperty("room").GetString()));
        Assert.Equal((1, "owner"), (olgas[0].GetProperty("online").GetInt32(), olgas[0].GetProperty("role").GetString()));
        Assert.Equal((1, JsonValueKind.Null), (olgas[1].GetProperty("online").GetInt32(), olgas[1].GetProperty("owner").ValueKind));
        Assert.False(olgas[1].TryGetProperty("role", out _));
        Assert.Equal(JsonValueKind.Null, olgas[2].GetProperty("lastMessageAt").ValueKind);
        var admin = rooms.Member("Ada", admin: true);
        Assert.DoesNotContain((await rooms.ListAsync(admin)).Keys, r => r is "secret" or "bobs");
        using var adminOpens = await rooms.GetAsync("/api/rooms/bobs", admin);
        await ProblemAssert.IsJsonAsync(adminOpens, 200);
    }

    [Fact]
    public async Task ARoomNobodyCreatedWithoutMessagesIsNotFound()
    {
        using var response = await Rooms.GetAsync($"/api/rooms/{RoomsClient.NewRoom("nothing")}");

        await ProblemAssert.IsProblemAsync(response, 404);
    }

    [Fact]
    public async Task UnreadCountsFollowMessagesAndAreSharedByAUsersDevices()
    {
        var scene = await RoomScene.CreateAsync(shared.App);
        var rooms = scene.Rooms;
        var phone = scene.SignedInMember;
        // The same signed-in user on a second device: another session, the same user id.
        var laptop = rooms.Member(phone.Name, userId: phone.UserId);
        Assert.False((await rooms.ListAsync(phone))[scene.Room].TryGetProperty("unread", out _));
        await MarkReadAsync(rooms, phone, scene.Room, 0);
        await using var laptopSocket = await rooms.ConnectAsync(laptop, scene.Room);

        await using (var sender = await rooms.ConnectAsync(scene.GuestMember, scene.Room))
        {
            for (var i = 1; i <= 3; i++)
            {
                await sender.SendMessageAsync($"c-{i}", $"news {i}");
                await sender.WaitForAsync("ack");
            }
        }
        await laptopSocket.WaitForAsync("message", f => f.GetProperty("seq").GetInt64() == 3);

        Assert.Equal(3, (await rooms.ListAsync(phone))[scene.Room].GetProperty("unread").GetInt64());
        Assert.Equal(3, (await rooms.ListAsync(laptop))[scene.Room].GetProperty("unread").GetInt64());
        await MarkReadAsync(rooms, laptop, scene.Room, 2);
        Assert.Equal(1, (await rooms.ListAsync(phone))[scene.Room].GetProperty("unread").GetInt64());
        await MarkReadAsync(rooms, phone, scene.Room, 1);
        Assert.Equal(1, (await rooms.JsonAsync(HttpMethod.Get, $"/api/rooms/{scene.Room}", phone, null, 200)).GetProperty("unread").GetInt64());
        Assert.False((await rooms.ListAsync(scene.Moderator))[scene.Room].TryGetProperty("unread", out _));
    }

    [Fact]
    public async Task AReadPositionNeedsASessionAMemberAndAnInteger()
    {
        var scene = await RoomScene.CreateAsync(shared.App);
        using (var anonymous = await scene.Rooms.SendAsync(HttpMethod.Put, $"/api/rooms/{scene.Room}/read", null, new { seq = 1 }))
            await ProblemAssert.IsProblemAsync(anonymous, 401);
        using (var outsider = await scene.Rooms.SendAsync(HttpMethod.Put, $"/api/rooms/{scene.Room}/read", scene.Outsider, new { seq = 1 }))
            await ProblemAssert.IsProblemAsync(outsider, 403);
        foreach (var body in new object[] { new { seq = -1 }, new { seq = 1.5 }, new { seq = "1" }, new { } })
        {
            using var bad = await scene.Rooms.SendAsync(HttpMethod.Put, $"/api/rooms/{scene.Room}/read", scene.Owner, body);
            await ProblemAssert.IsProblemAsync(bad, 400);
        }
    }

    [Fact]
    public async Task MembersAreListedOwnerModeratorsMembersWithRolesOnline()
    {
        var scene = await RoomScene.CreateAsync(shared.App);
        await using var online = await scene.Rooms.ConnectAsync(scene.SignedInMember, scene.Room);

        var members = (await scene.Rooms.JsonAsync(HttpMethod.Get, $"/api/rooms/{scene.Room}/members", scene.GuestMember, null, 200))
            .GetProperty("members").EnumerateArray().ToList();

        Assert.Equal([scene.Owner.UserId, scene.Moderator.UserId], members.Take(2).Select(m => m.GetProperty("id").GetString()));
        Assert.Equal(new[] { scene.GuestMember.UserId, scene.SignedInMember.UserId, scene.Victim.UserId }.Order(),
            members.Skip(2).Select(m => m.GetProperty("id").GetString()).Order());
        var joined = members.Skip(2).Select(m => DateTimeOffset.Parse(m.GetProperty("joinedAt").GetString()!)).ToList();
        Assert.Equal(joined.Order(), joined);
        Assert.Equal(["owner", "moderator", "member", "member", "member"], members.Select(m => m.GetProperty("role").GetString()));
        Assert.Equal([scene.SignedInMember.UserId], members.Where(m => m.GetProperty("online").GetBoolean()).Select(m => m.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task RolesChangeOnlyByTheOwnerAndNeverTheOwners()
    {
        var scene = await RoomScene.CreateAsync(shared.App);
        await using var watcher = await scene.Rooms.ConnectAsync(scene.GuestMember, scene.Room);
        string Path(string userId) => $"/api/rooms/{scene.Room}/members/{userId}";

        using (var byModerator = await scene.Rooms.SendAsync(HttpMethod.Put, Path(scene.Victim.UserId), scene.Moderator, new { role = "moderator" }))
            await ProblemAssert.IsProblemAsync(byModerator, 403);
        using (var owners = await scene.Rooms.SendAsync(HttpMethod.Put, Path(scene.Owner.UserId), scene.Administrator, new { role = "member" }))
            await ProblemAssert.IsProblemAsync(owners, 409);
        using (var unknown = await scene.Rooms.SendAsync(HttpMethod.Put, Path(scene.Outsider.UserId), scene.Owner, new { role = "moderator" }))
            await ProblemAssert.IsProblemAsync(unknown, 404);
        using (var bad = await scene.Rooms.SendAsync(HttpMethod.Put, Path(scene.Victim.UserId), scene.Owner, new { role = "owner" }))
            await ProblemAssert.IsProblemAsync(bad, 400);

        var promoted = await scene.Rooms.JsonAsync(HttpMethod.Put, Path(scene.Victim.UserId), scene.Administrator, new { role = "moderator" }, 200);
        Assert.Equal("moderator", promoted.GetProperty("role").GetString());
        var frame = await watcher.WaitForAsync("member", f => f.GetProperty("event").GetString() == "role");
        Assert.Equal((scene.Victim.UserId, "moderator", scene.Administrator.UserId),
            (frame.GetProperty("user").GetProperty("id").GetString(), frame.GetProperty("role").GetString(), frame.GetProperty("by").GetProperty("id").GetString()));
    }

    [Fact]
    public async Task MembersLeaveButTheOwnerCannot()
    {
        var scene = await RoomScene.CreateAsync(shared.App);
        await using var leaving = await scene.Rooms.ConnectAsync(scene.GuestMember, scene.Room);

        using (var owner = await scene.Rooms.SendAsync(HttpMethod.Delete, $"/api/rooms/{scene.Room}/members/{scene.Owner.UserId}", scene.Owner))
            await ProblemAssert.IsProblemAsync(owner, 409);
        using (var left = await scene.Rooms.SendAsync(HttpMethod.Delete, $"/api/rooms/{scene.Room}/members/{scene.GuestMember.UserId}", scene.GuestMember))
            Assert.Equal(204, (int)left.StatusCode);

        Assert.Equal("left", (await leaving.WaitForAsync("member")).GetProperty("event").GetString());
        Assert.Equal((System.Net.WebSockets.WebSocketCloseStatus)4403, await leaving.WaitForCloseAsync());
        Assert.False((await scene.Rooms.ListAsync(scene.GuestMember)).ContainsKey(scene.Room));
    }

    [Fact]
    public async Task SwaggerDescribesEveryRoomsEndpointWithItsRefusals()
    {
        var paths = (await shared.App.GetJsonAsync("/swagger/v1/swagger.json")).GetProperty("paths");
        // protocol.md 11.11's table, with the 429 every one of them may answer.
        (string Path, string Method, string[] Problems)[] operations =
        [
            ("/api/rooms", "post", ["400", "401", "409", "413", "415", "429"]),
            ("/api/rooms", "get", ["401", "429"]),
            ("/api/rooms/{room}", "get", ["400", "401", "403", "404", "429"]),
            ("/api/rooms/{room}/read", "put", ["400", "401", "403", "413", "415", "429"]),
            ("/api/rooms/{room}/members", "get", ["400", "401", "403", "404", "429"]),
            ("/api/rooms/{room}/members/{userId}", "put", ["400", "401", "403", "404", "409", "413", "415", "429"]),
            ("/api/rooms/{room}/members/{userId}", "delete", ["400", "401", "403", "404", "409", "429"]),
            ("/api/rooms/{room}/invites", "post", ["400", "401", "403", "404", "413", "415", "429"]),
            ("/api/rooms/{room}/join", "post", ["400", "401", "403", "413", "415", "429"]),
            ("/api/rooms/{room}/moderation", "post", ["400", "401", "403", "404", "409", "413", "415", "429"]),
            ("/api/rooms/{room}/moderation", "get", ["400", "401", "403", "404", "429"]),
            ("/api/rooms/{room}/messages", "get", ["400", "401", "403", "429"]),
            ("/api/rooms/{room}/messages/{seq}", "get", ["400", "401", "403", "404", "429"]),
            ("/api/rooms/{room}/presence", "get", ["400", "401", "403", "429"]),
        ];
        foreach (var (path, method, problems) in operations)
        {
            var operation = paths.GetProperty(path).GetProperty(method);
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("summary").GetString()), $"{method} {path} has no summary");
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("description").GetString()), $"{method} {path} has no description");
            if (method is "post" or "put")
                Assert.True(operation.TryGetProperty("requestBody", out var body) && body.GetProperty("content").TryGetProperty("application/json", out _),
                    $"{method} {path} does not describe its JSON body");
            var responses = operation.GetProperty("responses");
            foreach (var status in problems)
            {
                Assert.True(responses.TryGetProperty(status, out var response), $"{method} {path} does not describe {status}");
                Assert.True(response.GetProperty("content").TryGetProperty("application/problem+json", out _), $"{method} {path}'s {status} is not a problem");
            }
        }
    }

    private static async Task MarkReadAsync(RoomsClient rooms, TestSession who, string room, long seq)
    {
        using var response = await rooms.SendAsync(HttpMethod.Put, $"/api/rooms/{room}/read", who, new { seq });
        Assert.Equal(204, (int)response.StatusCode);
    }
}
