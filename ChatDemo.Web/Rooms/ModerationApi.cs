using System.ComponentModel;
using System.Globalization;
using ChatDemo.Web.Chat;
using ChatDemo.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace ChatDemo.Web.Rooms;

/// <summary>Moderation: <c>POST …/moderation</c> and <c>GET …/moderation</c> (protocol.md 11.6).</summary>
public static class ModerationApi
{
    public static RouteGroupBuilder MapModeration(this RouteGroupBuilder rooms)
    {
        rooms.MapPost("/moderation", Moderate)
            .WithName("ModerateRoom")
            .WithSummary("Mute, unmute, kick, ban or unban a user")
            .WithDescription("Owner, moderator or administrator (members and outsiders 403; 404 for a room nobody created). Body " +
                             "{\"action\": \"mute\"|\"unmute\"|\"kick\"|\"ban\"|\"unban\", \"userId\", \"durationSeconds\"?: 1-31536000 " +
                             "(required for mute; a ban without it is for good), \"reason\"?}. Nobody acts on the owner or on themself, and " +
                             "a moderator not on another moderator (403). 200 with the record. The room is told with a 'member' frame; a " +
                             "kick closes the user's connections with 4401, a ban with 4402 (and in a private room takes the membership).")
            .DescribesJsonBody<ModerationRequest>()
            .Produces<ModerationView>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .RequireChatRateLimit(RateLimiting.Api);
        rooms.MapGet("/moderation", ListModeration)
            .WithName("ListRoomModeration")
            .WithSummary("List a room's moderation records")
            .WithDescription("Owner, moderator or administrator (403 otherwise); 404 for a room nobody created. Newest first; limit 1-100, default 50.")
            .Produces<ModerationListView>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireChatRateLimit(RateLimiting.Api);
        return rooms;
    }

    private static async Task<Results<Ok<ModerationView>, ProblemHttpResult>> Moderate(
        [Description(RoomRoutes.RoomDescription)] string room,
        HttpContext context, [FromServices] IRoomStore store, IConnectionStore connections, RoomAnnouncer announcer, TimeProvider time,
        ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var request = RoomAccessFilter.Of(context);
        if (RoomAccessFilter.RequireSession(request, context, out var unauthorized) is not { } session) return unauthorized!;
        const string example = "{\"action\": \"mute\", \"userId\": \"u_…\", \"durationSeconds\": 600, \"reason\": \"spam\"}";
        var (body, problem) = await JsonBody.ReadObjectAsync(context.Request, example, cancellationToken);
        if (problem is not null) return problem;
        if (!JsonBody.TryGetString(body, "action", out var action) || action is null || !ModerationActions.Requestable.Contains(action))
            return Problems.BadRequest("'action' must be \"mute\", \"unmute\", \"kick\", \"ban\" or \"unban\".");
        if (!JsonBody.TryGetString(body, "userId", out var userId) || string.IsNullOrEmpty(userId) || userId.Length > 64)
            return Problems.BadRequest("'userId' is required: the id (u_…) of the user to act on.");
        if (!JsonBody.TryGetInteger(body, "durationSeconds", 1, RoomRules.MaxSanctionSeconds, out var duration))
            return Problems.BadRequest($"'durationSeconds' must be an integer from 1 to {RoomRules.MaxSanctionSeconds}.");
        if (action == ModerationActions.Mute && duration is null)
            return Problems.BadRequest("A mute needs 'durationSeconds' (1 to 31536000).");
        if (!JsonBody.TryGetString(body, "reason", out var rawReason))
            return Problems.BadRequest($"'reason' must be a string of 1-{RoomRules.MaxReasonLength} characters.");
        string? reason = null;
        if (rawReason is not null)
        {
            if (!RoomRules.TryNormalizeReason(rawReason, out var normalized, out var error)) return Problems.BadRequest($"Invalid reason: {error}.");
            reason = normalized;
        }

        var target = (await store.GetAccessAsync(room, userId, cancellationToken)).Standing;
        if (RoomPolicy.Moderate(request.Access, request.Caller!, target, userId) is { } refusal) return RoomAccessFilter.Refuse(context, refusal);
        var name = target?.Name ?? (await connections.GetPresenceAsync(room, cancellationToken)).FirstOrDefault(u => u.Id == userId)?.Name;
        var at = ChatTime.Truncate(time.GetUtcNow());
        DateTimeOffset? until = duration is { } seconds && action is ModerationActions.Mute or ModerationActions.Ban ? at.AddSeconds(seconds) : null;

        (string Event, RoomCloseReason? Close) outcome;
        switch (action)
        {
            case ModerationActions.Mute:
                await store.MuteAsync(room, userId, name, until, cancellationToken);
                outcome = (MemberEvents.Muted, null);
                break;
            case ModerationActions.Unmute:
                await store.MuteAsync(room, userId, name, null, cancellationToken);
                outcome = (MemberEvents.Unmuted, null);
                break;
            case ModerationActions.Kick:
                outcome = (MemberEvents.Kicked, RoomCloseReason.Kicked);
                break;
            case ModerationActions.Ban:
                var removesMembership = RoomPolicy.BanRemovesMembership(request.Access.Room!);
                if (!await store.BanAsync(room, userId, name, new RoomBan(at, until), removesMembership, target?.Role, cancellationToken))
                    return Problems.Refuse(StatusCodes.Status409Conflict, "Conflict", "The user's role changed meanwhile; try again.");
                outcome = (MemberEvents.Banned, RoomCloseReason.Banned);
                break;
            default:
                await store.UnbanAsync(room, userId, cancellationToken);
                outcome = (MemberEvents.Unbanned, null);
                break;
        }

        var record = new ModerationRecord(ModerationRecord.NewId(), room, action!, session.User, userId, name, at, until, reason);
        await announcer.AnnounceAsync(new MemberChange(room, outcome.Event, userId, name, at) { By = session.User, Until = until },
            record, outcome.Close, cancellationToken);
        RoomsLog.Moderated(loggers.CreateLogger(typeof(ModerationApi).FullName!), room, action!, userId, session.User.Id);
        return TypedResults.Ok(ModerationView.Of(record));
    }

    private static async Task<Results<Ok<ModerationListView>, ProblemHttpResult>> ListModeration(
        [Description(RoomRoutes.RoomDescription)] string room,
        [Description("How many records, 1-100; default 50.")] string? limit,
        HttpContext context, [FromServices] IRoomStore store, CancellationToken cancellationToken)
    {
        var request = RoomAccessFilter.Of(context);
        if (RoomAccessFilter.RequireSession(request, context, out var unauthorized) is null) return unauthorized!;
        if (RoomPolicy.ReadModeration(request.Access, request.Caller!) is { } refusal) return RoomAccessFilter.Refuse(context, refusal);
        var take = RoomRules.DefaultModerationLimit;
        if (limit is not null && (!limit.All(char.IsAsciiDigit) || limit.Length == 0
                || !int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out take) || take is < 1 or > RoomRules.MaxModerationLimit))
            return Problems.BadRequest($"limit must be an integer from 1 to {RoomRules.MaxModerationLimit}.");
        var records = await store.ListModerationAsync(room, take, cancellationToken);
        return TypedResults.Ok(new ModerationListView(room, records.Select(ModerationView.Of).ToList()));
    }
}
