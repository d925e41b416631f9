using ChatDemo.Web.Rooms;
using ChatDemo.Web.Tests.TestInfrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ChatDemo.Web.Tests.Kestrel.Rooms;

/// <summary>Invitations (protocol.md 11.5): signed, for one room, expiring, counted atomically.</summary>
public sealed class InvitationTests(SharedChatApp shared) : IClassFixture<SharedChatApp>
{
    private RoomsClient Rooms => new(shared.App);

    private static async Task AssertRefusedAsync(HttpResponseMessage response, string reason)
    {
        using (response)
        {
            var problem = await ProblemAssert.IsProblemAsync(response, 403);
            Assert.Equal(reason, problem.GetProperty("reason").GetString());
        }
    }

    [Fact]
    public async Task AnInvitationAdmitsToAPrivateRoomAndTheRoomIsTold()
    {
        var owner = Rooms.Member("Olga");
        var room = RoomsClient.NewRoom();
        await Rooms.CreateRoomAsync(owner, room, title: "Team A");
        await using var ownerSocket = await Rooms.ConnectAsync(owner, room);
        var created = await Rooms.JsonAsync(HttpMethod.Post, $"/api/rooms/{room}/invites", owner, new { expiresInSeconds = 3600, maxUses = 3 }, 201);
        var invite = created.GetProperty("invite").GetString()!;
        Assert.Equal(3, created.GetProperty("maxUses").GetInt32());
        Assert.Equal($"{shared.App.BaseUri.GetLeftPart(UriPartial.Authority)}/?room={room}&invite={Uri.EscapeDataString(invite)}", created.GetProperty("url").GetString());
        var expiresAt = DateTimeOffset.Parse(created.GetProperty("expiresAt").GetString()!);
        Assert.InRange(expiresAt - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(59), TimeSpan.FromMinutes(61));
        var bob = await Rooms.GuestAsync("Bob");

        using var joined = await Rooms.JoinAsync(bob, room, invite);
        var view = await ProblemAssert.IsJsonAsync(joined, 200);

        Assert.Equal(("member", "Team A", "private"), (view.GetProperty("role").GetString(), view.GetProperty("title").GetString(), view.GetProperty("visibility").GetString()));
        var frame = await ownerSocket.WaitForAsync("member", f => f.GetProperty("event").GetString() == "joined");
        Assert.Equal((bob.UserId, "Bob", "member"), (frame.GetProperty("user").GetProperty("id").GetString(), frame.GetProperty("user").GetProperty("name").GetString(), frame.GetProperty("role").GetString()));
        await (await Rooms.ConnectAsync(bob, room)).DisposeAsync();
    }

    [Fact]
    public async Task AForgedInvitationIsInvalid()
    {
        var owner = Rooms.Member("Olga");
        var room = RoomsClient.NewRoom();
        await Rooms.CreateRoomAsync(owner, room);
        var invite = await Rooms.InviteAsync(owner, room);
        var bob = await Rooms.GuestAsync("Bob");
        var otherKey = new InviteTokens(System.Text.Encoding.UTF8.GetBytes("another key that is not the server's own key at all"));

        foreach (var forged in new[]
                 {
                     invite[..^3] + (invite[^3] == 'x' ? "yyy" : "xxx"),
                     invite.Replace("i1.", "i2.", StringComparison.Ordinal),
                     otherKey.Sign(new Invite("i_x", room, DateTimeOffset.UtcNow.AddDays(1), null)),
                     "",
                     "garbage",
                 })
            await AssertRefusedAsync(await Rooms.JoinAsync(bob, room, forged), "invalid");

        Assert.Equal(403, await ChatSocket.TryConnectAsync(shared.App.WebSocketUri(room, bob.Token)));
    }

    [Fact]
    public async Task AnExpiredInvitationIsRefused()
    {
        var owner = Rooms.Member("Olga");
        var room = RoomsClient.NewRoom();
        await Rooms.CreateRoomAsync(owner, room);
        // Signed by the server's own key, as it would have been issued, but past its expiry.
        var expired = shared.App.Services.GetRequiredService<InviteTokens>().Sign(new Invite(InviteTokens.NewId(), room, DateTimeOffset.UtcNow.AddSeconds(-1), null));

        await AssertRefusedAsync(await Rooms.JoinAsync(await Rooms.GuestAsync("Bob"), room, expired), "expired");
    }

    [Fact]
    public async Task AnInvitationForAnotherRoomIsRefused()
    {
        var owner = Rooms.Member("Olga");
        var (room, other) = (RoomsClient.NewRoom(), RoomsClient.NewRoom());
        await Rooms.CreateRoomAsync(owner, room);
        await Rooms.CreateRoomAsync(owner, other);

        await AssertRefusedAsync(await Rooms.JoinAsync(await Rooms.GuestAsync("Bob"), room, await Rooms.InviteAsync(owner, other)), "wrong_room");
    }

    [Fact]
    public async Task AUsedUpInvitationIsRefusedAndAMembersSecondJoinUsesNothing()
    {
        var owner = Rooms.Member("Olga");
        var room = RoomsClient.NewRoom();
        await Rooms.CreateRoomAsync(owner, room);
        var invite = await Rooms.InviteAsync(owner, room, maxUses: 2);
        var (bob, carol, dave) = (await Rooms.GuestAsync("Bob"), await Rooms.GuestAsync("Carol"), await Rooms.GuestAsync("Dave"));

        await Rooms.JoinedAsync(bob, room, invite);
        await Rooms.JoinedAsync(bob, room, invite);
        await Rooms.JoinedAsync(carol, room, invite);

        await AssertRefusedAsync(await Rooms.JoinAsync(dave, room, invite), "used_up");
        await Rooms.JoinedAsync(carol, room, invite);
    }

    [Fact]
    public async Task PeopleRacingForTheLastUseGetExactlyOne()
    {
        var owner = Rooms.Member("Olga");
        var room = RoomsClient.NewRoom();
        await Rooms.CreateRoomAsync(owner, room);
        var invite = await Rooms.InviteAsync(owner, room, maxUses: 1);
        var people = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Rooms.GuestAsync($"Racer {i}")));

        var answers = await Task.WhenAll(people.Select(p => Rooms.JoinAsync(p, room, invite)));

        Assert.Equal(1, answers.Count(a => (int)a.StatusCode == 200));
        foreach (var refused in answers.Where(a => (int)a.StatusCode != 200)) await AssertRefusedAsync(refused, "used_up");
        var members = await Rooms.JsonAsync(HttpMethod.Get, $"/api/rooms/{room}/members", owner, null, 200);
        Assert.Equal(2, members.GetProperty("members").GetArrayLength());
    }

    [Fact]
    public async Task ABannedUserCannotJoinWithAnInvitation()
    {
        var scene = await RoomScene.CreateAsync(shared.App);
        await scene.Rooms.ModeratedAsync(scene.Owner, scene.Room, "ban", scene.Outsider.UserId);

        await AssertRefusedAsync(await scene.Rooms.JoinAsync(scene.Outsider, scene.Room, await scene.Rooms.InviteAsync(scene.Owner, scene.Room)), "banned");
    }

    [Fact]
    public async Task JoiningNeedsASessionAndInvitingNeedsAModerator()
    {
        var scene = await RoomScene.CreateAsync(shared.App);
        var invite = await scene.Rooms.InviteAsync(scene.Moderator, scene.Room);

        using (var anonymous = await scene.Rooms.SendAsync(HttpMethod.Post, $"/api/rooms/{scene.Room}/join", null, new { invite }))
            await ProblemAssert.IsProblemAsync(anonymous, 401);
        using (var byMember = await scene.Rooms.SendAsync(HttpMethod.Post, $"/api/rooms/{scene.Room}/invites", scene.GuestMember, new { }))
            await ProblemAssert.IsProblemAsync(byMember, 403);
        foreach (var body in new object[] { new { expiresInSeconds = 59 }, new { expiresInSeconds = 2_592_001 }, new { maxUses = 0 }, new { maxUses = 10_001 } })
        {
            using var bad = await scene.Rooms.SendAsync(HttpMethod.Post, $"/api/rooms/{scene.Room}/invites", scene.Owner, body);
            await ProblemAssert.IsProblemAsync(bad, 400);
        }
        using var noInvite = await scene.Rooms.SendAsync(HttpMethod.Post, $"/api/rooms/{scene.Room}/join", scene.Outsider, new { });
        await ProblemAssert.IsProblemAsync(noInvite, 400);
    }
}
