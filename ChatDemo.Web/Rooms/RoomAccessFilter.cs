using ChatDemo.Web.Http;
using ChatDemo.Web.Sessions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ChatDemo.Web.Rooms;

/// <summary>A request to one room, after <see cref="RoomAccessFilter"/>: who asks (if anyone) and the room's access record for them.</summary>
public sealed record RoomRequest(string Room, ChatSession? Session, RoomAccess Access)
{
    public RoomCaller? Caller => Session is { } s ? new RoomCaller(s.User.Id, s.Admin) : null;

    /// <summary>The caller's role in the room; null without a session or a role.</summary>
    public RoomRole? Role => Session is { } s ? RoomPolicy.RoleOf(Access, s.User.Id) : null;
}

/// <summary>
/// Every endpoint under <c>/api/rooms/{room}</c> (history, one message, presence, the room and its
/// own endpoints) passes here first (protocol.md 11.3): an <c>Authorization</c> header that is
/// given must carry a valid session token (401), and a private room is read only by its members
/// and administrators (401 without a token, 403 for anyone else). Endpoints marked
/// <see cref="AllowsOutsiders"/> (joining with an invitation) skip the membership check. The
/// result is kept for the endpoint's handler (<see cref="Of"/>), so the room is read once.
/// </summary>
public static class RoomAccessFilter
{
    /// <summary>Metadata: the endpoint is the way into a private room, for outsiders too.</summary>
    public sealed class AllowsOutsiders;

    public static RouteGroupBuilder RequireRoomAccess(this RouteGroupBuilder rooms)
    {
        rooms.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var room = (string)http.Request.RouteValues["room"]!;
            var bearer = BearerSessions.Read(http.Request, http.RequestServices.GetRequiredService<SessionTokens>());
            if (bearer.Refused) return BearerSessions.InvalidToken(http);
            var access = await http.RequestServices.GetRequiredService<IRoomStore>()
                .GetAccessAsync(room, bearer.Session?.User.Id ?? "", http.RequestAborted);
            var request = new RoomRequest(room, bearer.Session, access);
            if (http.GetEndpoint()?.Metadata.GetMetadata<AllowsOutsiders>() is null
                && RoomPolicy.Read(access, request.Caller) is { } refusal)
                return Refuse(http, refusal);
            http.Items[typeof(RoomRequest)] = request;
            return await next(context);
        });
        return rooms;
    }

    /// <summary>The request as the filter found it.</summary>
    public static RoomRequest Of(HttpContext context) =>
        context.Items[typeof(RoomRequest)] as RoomRequest
        ?? throw new InvalidOperationException("The room endpoint is not under RequireRoomAccess.");

    /// <summary>A refusal of <see cref="RoomPolicy"/> as problem+json; a 401 carries <c>WWW-Authenticate: Bearer</c>.</summary>
    public static ProblemHttpResult Refuse(HttpContext context, RoomRefusal refusal) =>
        refusal.Status == StatusCodes.Status401Unauthorized
            ? BearerSessions.Unauthorized(context, refusal.Title, refusal.Detail)
            : Problems.Refuse(refusal.Status, refusal.Title, refusal.Detail);

    /// <summary>The session of an endpoint that needs one: null after answering 401.</summary>
    public static ChatSession? RequireSession(RoomRequest request, HttpContext context, out ProblemHttpResult? problem)
    {
        problem = request.Session is null
            ? BearerSessions.Unauthorized(context, "Session required",
                "Send your session token as 'Authorization: Bearer <token>' (POST /api/sessions creates one).")
            : null;
        return request.Session;
    }
}
