using ChatDemo.Web.Tests.TestInfrastructure;

namespace ChatDemo.Web.Tests.Kestrel.Rooms;

/// <summary>Who acts in a cell of the access matrix (protocol.md section 11).</summary>
public enum Actor
{
    Outsider,
    GuestMember,
    SignedInMember,
    Moderator,
    Owner,
    Administrator,
}

/// <summary>
/// A fresh created room with one of each: its owner (a member session), a moderator, a guest
/// member, a signed-in member, a plain member to act on (the victim), an outsider guest and an
/// administrator who holds no role in it. Built over the API itself: create, invite, join, role.
/// </summary>
public sealed class RoomScene
{
    private RoomScene(RoomsClient rooms, string room)
    {
        Rooms = rooms;
        Room = room;
    }

    public RoomsClient Rooms { get; }

    public string Room { get; }

    public TestSession Owner { get; private set; } = null!;
    public TestSession Moderator { get; private set; } = null!;
    public TestSession GuestMember { get; private set; } = null!;
    public TestSession SignedInMember { get; private set; } = null!;
    public TestSession Victim { get; private set; } = null!;
    public TestSession Outsider { get; private set; } = null!;
    public TestSession Administrator { get; private set; } = null!;

    public TestSession As(Actor actor) => actor switch
    {
        Actor.Outsider => Outsider,
        Actor.GuestMember => GuestMember,
        Actor.SignedInMember => SignedInMember,
        Actor.Moderator => Moderator,
        Actor.Owner => Owner,
        _ => Administrator,
    };

    public static async Task<RoomScene> CreateAsync(ChatApp app, string visibility = "private", string? title = null)
    {
        var rooms = new RoomsClient(app);
        var scene = new RoomScene(rooms, RoomsClient.NewRoom(visibility));
        scene.Owner = rooms.Member("Olga Owner");
        await rooms.CreateRoomAsync(scene.Owner, scene.Room, visibility, title);
        var invite = await rooms.InviteAsync(scene.Owner, scene.Room, maxUses: 10);
        scene.Moderator = rooms.Member("Mo Moderator");
        scene.GuestMember = await rooms.GuestAsync("Gus Guest");
        scene.SignedInMember = rooms.Member("Sina Signed");
        scene.Victim = await rooms.GuestAsync("Vic Victim");
        foreach (var member in new[] { scene.Moderator, scene.GuestMember, scene.SignedInMember, scene.Victim })
            await rooms.JoinedAsync(member, scene.Room, invite);
        await rooms.SetRoleAsync(scene.Owner, scene.Room, scene.Moderator.UserId, "moderator");
        scene.Outsider = await rooms.GuestAsync("Otto Outsider");
        scene.Administrator = rooms.Member("Ada Admin", admin: true);
        return scene;
    }
}
