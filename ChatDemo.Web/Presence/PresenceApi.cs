using System.ComponentModel;
using System.Text.Json.Serialization;
using ChatDemo.Web.Chat;
using ChatDemo.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ChatDemo.Web.Presence;

public static class PresenceApi
{
    /// <summary><c>GET /api/rooms/{room}/presence</c>, under <see cref="RoomRoutes.MapRoomRoutes"/> (which checks the room).</summary>
    public static RouteGroupBuilder MapPresence(this RouteGroupBuilder rooms)
    {
        rooms.MapGet("/presence", GetPresence)
            .WithName("GetRoomPresence")
            .WithSummary("List who is online in a room")
            .WithDescription("Each user with at least one open connection in the room, once, oldest first. No token needed for a public " +
                             "room; a private room (v1.2): 401 without a token, 403 for a non-member.")
            .Produces<PresenceView>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .RequireChatRateLimit(RateLimiting.Api);
        return rooms;
    }

    private static async Task<Ok<PresenceView>> GetPresence(
        [Description(RoomRoutes.RoomDescription)] string room,
        IConnectionStore store,
        CancellationToken cancellationToken)
    {
        var users = await store.GetPresenceAsync(room, cancellationToken);
        return TypedResults.Ok(new PresenceView(room, users.Select(u => new OnlineUser(u.Id, u.Name, u.OnlineSince)).ToArray()));
    }
}

/// <summary>Who is online in a room.</summary>
public sealed record PresenceView(string Room, IReadOnlyList<OnlineUser> Users);

/// <summary>A user online in the room since their earliest open connection.</summary>
public sealed record OnlineUser(
    string Id,
    string Name,
    [property: JsonConverter(typeof(ChatTimeJsonConverter))] DateTimeOffset OnlineSince);
