using System.ComponentModel;
using System.Text.Json.Serialization;
using ChatDemo.Web.Chat;
using ChatDemo.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ChatDemo.Web.Presence;

public static class PresenceApi
{
    public static IEndpointRouteBuilder MapPresence(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/rooms/{room}/presence", GetPresence)
            .WithName("GetRoomPresence")
            .WithTags("Rooms")
            .WithSummary("List who is online in a room")
            .WithDescription("Each user with at least one open connection in the room, once, oldest first. No token needed.")
            .Produces<PresenceView>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .RequireChatRateLimit(RateLimiting.Api);
        return routes;
    }

    private static async Task<Results<Ok<PresenceView>, ProblemHttpResult>> GetPresence(
        [Description("Room name: 1-64 characters of A-Z a-z 0-9 _ -, case-sensitive.")] string room,
        IChatStore store,
        CancellationToken cancellationToken)
    {
        if (!ChatRules.IsValidRoom(room))
            return Problems.BadRequest("room must be 1-64 characters of A-Z a-z 0-9 _ -.");
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
