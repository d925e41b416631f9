using System.Text.Json;

namespace ChatDemo.Web.Tests.TestInfrastructure;

/// <summary>
/// The rooms API calls a <see cref="RoomScene{TRooms}"/> is built with: over real HTTP
/// (<see cref="RoomsClient"/>) or through API Gateway events in Lambda mode.
/// </summary>
public interface IRoomsClient
{
    /// <summary>A member session (as signing in with the provider would give), minted with the app's own key.</summary>
    TestSession Member(string name, bool admin = false, string? userId = null);

    /// <summary>A guest session from <c>POST /api/sessions</c>.</summary>
    Task<TestSession> GuestAsync(string name);

    Task<JsonElement> CreateRoomAsync(TestSession owner, string room, string visibility = "private", string? title = null);

    Task<string> InviteAsync(TestSession by, string room, int? maxUses = null, int? expiresInSeconds = null);

    Task JoinedAsync(TestSession who, string room, string invite);

    Task SetRoleAsync(TestSession by, string room, string userId, string role);
}

/// <summary>
/// A fresh created room with one of each: its owner (a member session), a moderator, a guest
/// member, a signed-in member, a plain member to act on (the victim), an outsider guest and an
/// administrator who holds no role in it. Built over the API itself: create, invite, join, role.
/// </summary>
public sealed class RoomScene<TRooms> where TRooms : IRoomsClient
{
    private RoomScene(TRooms rooms, string room)
    {
        Rooms = rooms;
        Room = room;
    }

    public TRooms Rooms { get; }

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

    public static async Task<RoomScene<TRooms>> CreateAsync(TRooms rooms, string visibility = "private", string? title = null)
    {
        var scene = new RoomScene<TRooms>(rooms, RoomsClient.NewRoom(visibility));
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

/// <summary>Scenes over real HTTP against a <see cref="ChatApp"/>.</summary>
public static class RoomScene
{
    public static Task<RoomScene<RoomsClient>> CreateAsync(ChatApp app, string visibility = "private", string? title = null) =>
        RoomScene<RoomsClient>.CreateAsync(new RoomsClient(app), visibility, title);
}
