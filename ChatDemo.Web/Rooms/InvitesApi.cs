using System.ComponentModel;
using ChatDemo.Web.Chat;
using ChatDemo.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace ChatDemo.Web.Rooms;

/// <summary>Invitations: <c>POST …/invites</c> and <c>POST …/join</c> (protocol.md 11.5).</summary>
public static class InvitesApi
{
    public static RouteGroupBuilder MapInvites(this RouteGroupBuilder rooms)
    {
        rooms.MapPost("/invites", CreateInvite)
            .WithName("CreateRoomInvite")
            .WithSummary("Create an invitation to a room")
            .WithDescription("Owner, moderator or administrator (403 otherwise; 404 for a room nobody created). Body " +
                             "{\"expiresInSeconds\"?: 60-2592000 (default 604800), \"maxUses\"?: 1-10000 (default: any number)}; {} takes the " +
                             "defaults. 201 with the signed token and the page's link.")
            .DescribesJsonBody<CreateInviteRequest>()
            .Produces<InviteView>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireChatRateLimit(RateLimiting.Api);
        rooms.MapPost("/join", Join)
            .WithName("JoinRoom")
            .WithSummary("Join a room with an invitation")
            .WithDescription("Needs a token. Body {\"invite\": \"<token>\"}. 200 with the room (role member; an existing member keeps " +
                             "their role and uses nothing). 403 problem with 'reason': invalid (forged, altered, unreadable), expired, " +
                             "used_up, wrong_room (an invitation to another room), banned. Uses are counted atomically.")
            .WithMetadata(new RoomAccessFilter.AllowsOutsiders())
            .DescribesJsonBody<JoinRequest>()
            .Produces<RoomView>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .RequireChatRateLimit(RateLimiting.Api);
        return rooms;
    }

    private static async Task<Results<Created<InviteView>, ProblemHttpResult>> CreateInvite(
        [Description(RoomRoutes.RoomDescription)] string room,
        HttpContext context, InviteTokens invites, TimeProvider time, CancellationToken cancellationToken)
    {
        var request = RoomAccessFilter.Of(context);
        if (RoomAccessFilter.RequireSession(request, context, out var unauthorized) is null) return unauthorized!;
        if (RoomPolicy.CreateInvite(request.Access, request.Caller!) is { } refusal) return RoomAccessFilter.Refuse(context, refusal);
        var (body, problem) = await JsonBody.ReadObjectAsync(context.Request, "{\"expiresInSeconds\": 86400, \"maxUses\": 10}", cancellationToken);
        if (problem is not null) return problem;
        if (!JsonBody.TryGetInteger(body, "expiresInSeconds", (long)RoomRules.MinInviteLifetime.TotalSeconds,
                (long)RoomRules.MaxInviteLifetime.TotalSeconds, out var lifetime))
            return Problems.BadRequest($"'expiresInSeconds' must be an integer from {RoomRules.MinInviteLifetime.TotalSeconds} to {RoomRules.MaxInviteLifetime.TotalSeconds}.");
        if (!JsonBody.TryGetInteger(body, "maxUses", 1, RoomRules.MaxInviteUses, out var maxUses))
            return Problems.BadRequest($"'maxUses' must be an integer from 1 to {RoomRules.MaxInviteUses}, or absent for any number.");

        var expiresAt = ChatTime.Truncate(time.GetUtcNow()).Add(lifetime is { } seconds ? TimeSpan.FromSeconds(seconds) : RoomRules.DefaultInviteLifetime);
        var invite = new Invite(InviteTokens.NewId(), room, expiresAt, (int?)maxUses);
        var token = invites.Sign(invite);
        // The room first: joining needs it in its path, and the token is opaque to the page.
        var url = $"{context.Request.Scheme}://{context.Request.Host}/?room={room}&invite={Uri.EscapeDataString(token)}";
        return TypedResults.Created((string?)null, new InviteView(token, room, expiresAt, invite.MaxUses, url));
    }

    private static async Task<Results<Ok<RoomView>, ProblemHttpResult>> Join(
        [Description(RoomRoutes.RoomDescription)] string room,
        HttpContext context, InviteTokens invites, [FromServices] IRoomStore store, IConnectionStore connections, RoomAnnouncer announcer,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var request = RoomAccessFilter.Of(context);
        if (RoomAccessFilter.RequireSession(request, context, out var unauthorized) is not { } session) return unauthorized!;
        var (body, problem) = await JsonBody.ReadObjectAsync(context.Request, "{\"invite\": \"i1.…\"}", cancellationToken);
        if (problem is not null) return problem;
        if (!JsonBody.TryGetString(body, "invite", out var token) || token is null)
            return Problems.BadRequest("'invite' is required: the invitation token.");

        var now = time.GetUtcNow();
        if (invites.Read(token) is not { } invite) return Refused(InviteRefusals.Invalid, "The invitation is not valid: it was altered, cut short or not issued by this server.");
        if (invite.Room != room) return Refused(InviteRefusals.WrongRoom, "This invitation is for another room.");
        if (invite.ExpiresAt <= now) return Refused(InviteRefusals.Expired, $"The invitation expired at {ChatTime.ToWire(invite.ExpiresAt)}; ask for a new one.");
        if (request.Access.Room is null) return Refused(InviteRefusals.Invalid, "The room of this invitation no longer exists.");

        if (request.Role is not { } role)
        {
            if (RoomPolicy.JoinRefusedForBan(request.Access, request.Caller!, now)) return Refused(InviteRefusals.Banned, "You are banned from this room.");
            if (await store.UseInviteAsync(invite.Id, room, invite.MaxUses, invite.ExpiresAt, cancellationToken) is null)
                return Refused(InviteRefusals.UsedUp, "The invitation was used as many times as it allows; ask for a new one.");
            var at = ChatTime.Truncate(now);
            var (outcome, standing) = await store.AddMemberAsync(room, session.User, RoomRole.Member, at, cancellationToken);
            if (outcome == MemberAddition.Banned) return Refused(InviteRefusals.Banned, "You are banned from this room.");
            role = standing.Role ?? RoomRole.Member;
            if (outcome == MemberAddition.Added)
                await announcer.AnnounceAsync(new MemberChange(room, MemberEvents.Joined, session.User.Id, session.User.Name, at) { Role = role }, null, null, cancellationToken);
        }

        var summary = await store.GetSummaryAsync(room, cancellationToken) ?? new RoomSummary(room, request.Access.Room, 0, null);
        var positions = await store.GetReadPositionsAsync(session.User.Id, [room], cancellationToken);
        var online = (await connections.GetPresenceAsync(room, cancellationToken)).Count;
        return TypedResults.Ok(RoomView.Of(summary, online, positions.TryGetValue(room, out var p) ? p : null, role));
    }

    private static ProblemHttpResult Refused(string reason, string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status403Forbidden, title: "Invitation refused",
            extensions: new Dictionary<string, object?> { ["reason"] = reason });
}
