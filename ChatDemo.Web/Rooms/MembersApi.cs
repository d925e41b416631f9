using System.ComponentModel;
using ChatDemo.Web.Chat;
using ChatDemo.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace ChatDemo.Web.Rooms;

/// <summary>A room's members and roles: <c>GET …/members</c>, <c>PUT</c> and <c>DELETE …/members/{userId}</c> (protocol.md 11.4).</summary>
public static class MembersApi
{
    public static RouteGroupBuilder MapMembers(this RouteGroupBuilder rooms)
    {
        rooms.MapGet("/members", ListMembers)
            .WithName("ListRoomMembers")
            .WithSummary("List a room's members")
            .WithDescription("Owner first, then moderators, then members, each by joinedAt, with whether they are online and, while " +
                             "one is muted, until when (mutedUntil). A public room " +
                             "lists its owner, its moderators and whoever joined by invitation. 404 for a room nobody created; a private " +
                             "room: 401 without a token, 403 for a non-member.")
            .Produces<MemberListView>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireChatRateLimit(RateLimiting.Api);
        rooms.MapPut("/members/{userId}", SetRole)
            .WithName("SetRoomMemberRole")
            .WithSummary("Change a member's role")
            .WithDescription("Owner or administrator only (403 otherwise). Body {\"role\": \"moderator\"|\"member\"}. 200 with the member; " +
                             "404 when the user is not a member; 409 for the owner's role, or when the role changed meanwhile.")
            .DescribesJsonBody<SetRoleRequest>()
            .Produces<MemberView>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .RequireChatRateLimit(RateLimiting.Api);
        rooms.MapDelete("/members/{userId}", RemoveMember)
            .WithName("RemoveRoomMember")
            .WithSummary("Leave a room, or remove a member")
            .WithDescription("The caller's own id: leave (the owner cannot: 409). Another id: owner, moderator or administrator (a " +
                             "moderator cannot remove the owner or another moderator: 403). 204. The removed user's connections to the " +
                             "room close with 4403; in a private room they are refused afterwards.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .RequireChatRateLimit(RateLimiting.Api);
        return rooms;
    }

    private static async Task<Results<Ok<MemberListView>, ProblemHttpResult>> ListMembers(
        [Description(RoomRoutes.RoomDescription)] string room,
        HttpContext context, [FromServices] IRoomStore store, IConnectionStore connections, TimeProvider time, CancellationToken cancellationToken)
    {
        var request = RoomAccessFilter.Of(context);
        if (request.Access.Room is not { } record) return Problems.NotFound($"Nobody created room {room}: it has no members.");
        var now = time.GetUtcNow();
        var online = (await connections.GetPresenceAsync(room, cancellationToken)).Select(u => u.Id).ToHashSet(StringComparer.Ordinal);
        var members = (await store.ListMembersAsync(room, cancellationToken))
            .Select(m => (Standing: m, Role: RoomPolicy.RoleOf(record, m, m.UserId)!.Value))
            .OrderByDescending(m => m.Role)
            .ThenBy(m => m.Standing.JoinedAt)
            .ThenBy(m => m.Standing.UserId, StringComparer.Ordinal)
            .Select(m => MemberView.Of(m.Standing, m.Role, online.Contains(m.Standing.UserId), now))
            .ToList();
        return TypedResults.Ok(new MemberListView(room, members));
    }

    private static async Task<Results<Ok<MemberView>, ProblemHttpResult>> SetRole(
        [Description(RoomRoutes.RoomDescription)] string room,
        [Description("The member's user id.")] string userId,
        HttpContext context, [FromServices] IRoomStore store, IConnectionStore connections, RoomAnnouncer announcer, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var request = RoomAccessFilter.Of(context);
        if (RoomAccessFilter.RequireSession(request, context, out var unauthorized) is not { } session) return unauthorized!;
        var (body, problem) = await JsonBody.ReadObjectAsync(context.Request, "{\"role\": \"moderator\"}", cancellationToken);
        if (problem is not null) return problem;
        if (!JsonBody.TryGetString(body, "role", out var roleName) || !RoomRules.TryParseAssignableRole(roleName, out var role))
            return Problems.BadRequest("'role' must be \"moderator\" or \"member\".");

        var target = (await store.GetAccessAsync(room, userId, cancellationToken)).Standing;
        if (RoomPolicy.ChangeRole(request.Access, request.Caller!, target, userId) is { } refusal) return RoomAccessFilter.Refuse(context, refusal);
        var current = target!.Role!.Value;
        var changed = current == role ? target : await store.SetRoleAsync(room, userId, current, role, cancellationToken);
        if (changed is null) return Problems.Refuse(StatusCodes.Status409Conflict, "Conflict", "The member's role changed meanwhile; read the members and try again.");
        if (current != role)
        {
            var at = ChatTime.Truncate(time.GetUtcNow());
            await announcer.AnnounceAsync(
                new MemberChange(room, MemberEvents.Role, userId, changed.Name, at) { By = session.User, Role = role },
                new ModerationRecord(ModerationRecord.NewId(), room, ModerationActions.Role, session.User, userId, changed.Name, at, Role: role),
                close: null, cancellationToken);
        }
        var online = (await connections.GetPresenceAsync(room, cancellationToken)).Any(u => u.Id == userId);
        return TypedResults.Ok(MemberView.Of(changed, role, online, time.GetUtcNow()));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RemoveMember(
        [Description(RoomRoutes.RoomDescription)] string room,
        [Description("The member's user id; the caller's own to leave.")] string userId,
        HttpContext context, [FromServices] IRoomStore store, RoomAnnouncer announcer, TimeProvider time, CancellationToken cancellationToken)
    {
        var request = RoomAccessFilter.Of(context);
        if (RoomAccessFilter.RequireSession(request, context, out var unauthorized) is not { } session) return unauthorized!;
        var leaving = userId == session.User.Id;
        var target = leaving ? request.Access.Standing : (await store.GetAccessAsync(room, userId, cancellationToken)).Standing;
        if (RoomPolicy.Remove(request.Access, request.Caller!, target, userId) is { } refusal) return RoomAccessFilter.Refuse(context, refusal);
        if (!await store.RemoveMemberAsync(room, userId, target!.Role!.Value, cancellationToken))
            return Problems.Refuse(StatusCodes.Status409Conflict, "Conflict", "The member's role changed meanwhile; read the members and try again.");

        var at = ChatTime.Truncate(time.GetUtcNow());
        var record = request.Access.Room!;
        if (leaving)
        {
            // Someone leaving a private room may not stay connected to it; in a public room they may.
            await announcer.AnnounceAsync(new MemberChange(room, MemberEvents.Left, userId, target.Name ?? session.User.Name, at), null,
                record.IsPrivate ? RoomCloseReason.Removed : null, cancellationToken);
        }
        else
        {
            await announcer.AnnounceAsync(
                new MemberChange(room, MemberEvents.Removed, userId, target.Name, at) { By = session.User },
                new ModerationRecord(ModerationRecord.NewId(), room, ModerationActions.Remove, session.User, userId, target.Name, at),
                RoomCloseReason.Removed, cancellationToken);
        }
        return TypedResults.NoContent();
    }
}
