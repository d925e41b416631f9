using ChatDemo.Web.Tests.TestInfrastructure;

namespace ChatDemo.Web.Tests.Kestrel.Rooms;

/// <summary>
/// A private room leaks nothing to outsiders through any endpoint (issue 18, "Done when"): every
/// endpoint that names a room is tried without a token, with a guest's token and with a signed-in
/// outsider's token, and no answer carries the room's title, a message, a member's name or id, or
/// a presence entry. Only the name's existence may show (a 403 or 409), as protocol.md 11.3 says.
/// </summary>
public sealed class PrivateRoomLeakTests(SharedChatApp shared) : IClassFixture<SharedChatApp>
{
    private const string Title = "Project Quetzal";
    private const string Secret = "the launch code is 0000";

    [Fact]
    public async Task NoEndpointTellsAnOutsiderWhatIsInAPrivateRoom()
    {
        var scene = await RoomScene.CreateAsync(shared.App, title: Title);
        var rooms = scene.Rooms;
        await using var member = await rooms.ConnectAsync(scene.SignedInMember, scene.Room);
        await member.SendMessageAsync("c-1", Secret);
        await member.WaitForAsync("ack");
        var otherRoom = RoomsClient.NewRoom();
        var outsiderOwner = rooms.Member("Other Owner");
        await rooms.CreateRoomAsync(outsiderOwner, otherRoom);
        var foreignInvite = await rooms.InviteAsync(outsiderOwner, otherRoom);
        var signedInOutsider = rooms.Member("Sigrid Outsider");
        var secrets = new[] { Title, Secret, scene.Owner.Name, scene.Moderator.Name, scene.SignedInMember.Name, scene.Owner.UserId, scene.SignedInMember.UserId, "Vic Victim" };
        var r = $"/api/rooms/{scene.Room}";

        (HttpMethod Method, string Path, object? Body)[] endpoints =
        [
            (HttpMethod.Get, "/api/rooms", null),
            (HttpMethod.Get, r, null),
            (HttpMethod.Get, $"{r}/messages", null),
            (HttpMethod.Get, $"{r}/messages?after=0", null),
            (HttpMethod.Get, $"{r}/messages?before=5", null),
            (HttpMethod.Get, $"{r}/messages?changedSince=0", null),
            (HttpMethod.Get, $"{r}/messages/1", null),
            (HttpMethod.Get, $"{r}/presence", null),
            (HttpMethod.Get, $"{r}/members", null),
            (HttpMethod.Get, $"{r}/moderation", null),
            (HttpMethod.Put, $"{r}/read", new { seq = 1 }),
            (HttpMethod.Post, $"{r}/invites", new { }),
            (HttpMethod.Post, $"{r}/join", new { invite = "i1.forged.x" }),
            (HttpMethod.Post, $"{r}/join", new { invite = foreignInvite }),
            (HttpMethod.Put, $"{r}/members/{scene.Victim.UserId}", new { role = "moderator" }),
            (HttpMethod.Delete, $"{r}/members/{scene.Victim.UserId}", null),
            (HttpMethod.Post, $"{r}/moderation", new { action = "kick", userId = scene.Victim.UserId }),
            (HttpMethod.Post, "/api/rooms", new { room = scene.Room, visibility = "public" }),
        ];

        var outsiders = new TestSession?[] { null, scene.Outsider, signedInOutsider };
        var tried = 0;
        foreach (var outsider in outsiders)
        {
            foreach (var (method, path, body) in endpoints)
            {
                using var response = await rooms.SendAsync(method, path, outsider, body);
                var text = await response.Content.ReadAsStringAsync();
                tried++;
                foreach (var secret in secrets)
                    Assert.False(text.Contains(secret, StringComparison.Ordinal), $"{method} {path} as {outsider?.Name ?? "nobody"} answered {(int)response.StatusCode} with '{secret}': {text}");
                if (path == "/api/rooms" && method == HttpMethod.Get)
                    Assert.Equal(200, (int)response.StatusCode);
                else
                    Assert.True((int)response.StatusCode is 401 or 403 or 409, $"{method} {path} as {outsider?.Name ?? "nobody"}: {(int)response.StatusCode} {text}");
            }
            if (outsider is not null)
            {
                using var upgrade = await rooms.UpgradeAsync(outsider, scene.Room);
                var text = await upgrade.Content.ReadAsStringAsync();
                Assert.Equal(403, (int)upgrade.StatusCode);
                Assert.DoesNotContain(Title, text);
            }
        }
        Assert.Equal(outsiders.Length * endpoints.Length, tried);

        // Nothing the outsiders tried changed the room.
        var members = await rooms.JsonAsync(HttpMethod.Get, $"{r}/members", scene.Owner, null, 200);
        Assert.Equal(5, members.GetProperty("members").GetArrayLength());
        var records = await rooms.JsonAsync(HttpMethod.Get, $"{r}/moderation", scene.Owner, null, 200);
        Assert.Single(records.GetProperty("records").EnumerateArray());
        Assert.Equal(Secret, (await rooms.JsonAsync(HttpMethod.Get, $"{r}/messages/1", scene.Owner, null, 200)).GetProperty("text").GetString());
    }
}
