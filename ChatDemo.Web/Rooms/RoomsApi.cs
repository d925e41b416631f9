using System.ComponentModel;
using ChatDemo.Web.Chat;
using ChatDemo.Web.Http;
using ChatDemo.Web.Sessions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace ChatDemo.Web.Rooms;

/// <summary><c>POST /api/rooms</c>, <c>GET /api/rooms</c>, <c>GET /api/rooms/{room}</c> and <c>PUT …/read</c> (protocol.md 11.1, 11.2).</summary>
public static class RoomsApi
{
    public static IEndpointRouteBuilder MapRoomList(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/api/rooms", CreateRoom)
            .WithName("CreateRoom")
            .WithTags("Rooms")
            .WithSummary("Create a room and own it")
            .WithDescription("Needs 'Authorization: Bearer <session token>'. Body {\"room\", \"visibility\": \"public\"|\"private\", \"title\"?}. " +
                             "201 with the room and Location; 400 for a bad name, title or visibility; 401 without a valid token; 409 when " +
                             "the room was created before or already has messages (a room in use cannot be claimed); 413, 415.")
            .DescribesJsonBody<CreateRoomRequest>()
            .Produces<RoomView>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .RequireChatRateLimit(RateLimiting.Api);
        routes.MapGet("/api/rooms", ListRooms)
            .WithName("ListRooms")
            .WithTags("Rooms")
            .WithSummary("List the rooms the caller may see")
            .WithDescription("Token optional. The created public rooms, the rooms nobody created that have messages, and the private " +
                             "rooms where the caller holds a role; most recently active first. With a token each room says the caller's " +
                             "role and, for rooms the caller marked read, how many messages are unread. 401 for a token that is given but not valid.")
            .Produces<RoomListView>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .RequireChatRateLimit(RateLimiting.Api);
        return routes;
    }

    /// <summary>Under <see cref="RoomRoutes.MapRoomRoutes"/> and <see cref="RoomAccessFilter.RequireRoomAccess"/>.</summary>
    public static RouteGroupBuilder MapRoom(this RouteGroupBuilder rooms)
    {
        rooms.MapGet("", GetRoom)
            .WithName("GetRoom")
            .WithSummary("Read one room")
            .WithDescription("The room object; with a token of a user banned from the room, their 'ban' ({at, until?}). 404 for a " +
                             "room nobody created that has no messages. A private room: 401 without a token, 403 for a non-member.")
            .Produces<RoomView>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireChatRateLimit(RateLimiting.Api);
        rooms.MapPut("/read", MarkRead)
            .WithName("MarkRoomRead")
            .WithSummary("Save the caller's read position")
            .WithDescription("Needs a token. Body {\"seq\": N}: the highest seq seen. The position only moves forward (a lower N is " +
                             "accepted and changes nothing); it is kept per user and room, so a member's devices share it. 204. " +
                             "A private room: 403 for a non-member.")
            .DescribesJsonBody<ReadRequest>()
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .RequireChatRateLimit(RateLimiting.Api);
        return rooms;
    }

    private static async Task<Results<Created<RoomView>, ProblemHttpResult>> CreateRoom(
        HttpContext context, SessionTokens tokens, [FromServices] IRoomStore store, IConnectionStore connections, RoomAnnouncer announcer,
        TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var bearer = BearerSessions.Read(context.Request, tokens);
        if (bearer.Session is not { } session)
            return bearer.Given ? BearerSessions.InvalidToken(context)
                : BearerSessions.Unauthorized(context, "Session required", "Creating a room needs 'Authorization: Bearer <session token>'.");

        const string example = "{\"room\": \"team-a\", \"visibility\": \"private\", \"title\": \"Team A\"}";
        var (body, problem) = await JsonBody.ReadObjectAsync(context.Request, example, cancellationToken);
        if (problem is not null) return problem;
        if (!JsonBody.TryGetString(body, "room", out var name) || !ChatRules.IsValidRoom(name))
            return Problems.BadRequest($"'room' is required: {ChatRules.RoomRule}.");
        if (!JsonBody.TryGetString(body, "visibility", out var visibilityName)
            || !RoomRules.TryParseVisibility(visibilityName ?? "public", out var visibility))
            return Problems.BadRequest("'visibility' must be \"public\" or \"private\".");
        if (!JsonBody.TryGetString(body, "title", out var rawTitle))
            return Problems.BadRequest($"'title' must be a string of 1-{RoomRules.MaxTitleLength} characters.");
        string? title = null;
        if (rawTitle is not null)
        {
            if (!RoomRules.TryNormalizeTitle(rawTitle, out var normalized, out var error)) return Problems.BadRequest($"Invalid title: {error}.");
            title = normalized;
        }

        var room = new Room(name!, visibility, title, session.User, ChatTime.Truncate(time.GetUtcNow()));
        switch (await store.CreateRoomAsync(room, cancellationToken))
        {
            case RoomCreation.AlreadyCreated:
                return Problems.Refuse(StatusCodes.Status409Conflict, "Room exists", $"Room {room.Name} was created before; pick another name.");
            case RoomCreation.HasMessages:
                return Problems.Refuse(StatusCodes.Status409Conflict, "Room in use",
                    $"Room {room.Name} already has messages: a room in use cannot be claimed; pick another name.");
        }
        announcer.Forget();
        RoomsLog.RoomCreated(loggers.CreateLogger(typeof(RoomsApi).FullName!), room.Name, session.User.Id);
        var online = (await connections.GetPresenceAsync(room.Name, cancellationToken)).Count;
        return TypedResults.Created($"/api/rooms/{room.Name}", RoomView.Of(new RoomSummary(room.Name, room, 0, null), online, null, RoomRole.Owner));
    }

    private static async Task<Results<Ok<RoomListView>, ProblemHttpResult>> ListRooms(
        HttpContext context, SessionTokens tokens, [FromServices] IRoomStore store, IConnectionStore connections, CancellationToken cancellationToken)
    {
        var bearer = BearerSessions.Read(context.Request, tokens);
        if (bearer.Refused) return BearerSessions.InvalidToken(context);
        var userId = bearer.Session?.User.Id;

        var rooms = new Dictionary<string, (RoomSummary Summary, RoomRole? Role)>(StringComparer.Ordinal);
        foreach (var summary in await store.ListPublicRoomsAsync(RoomRules.MaxListedRooms, cancellationToken)) rooms[summary.Name] = (summary, null);
        if (userId is not null)
        {
            foreach (var (summary, role) in await store.ListRoomsOfUserAsync(userId, cancellationToken)) rooms[summary.Name] = (summary, role);
        }
        var positions = userId is null
            ? new Dictionary<string, long>()
            : await store.GetReadPositionsAsync(userId, rooms.Keys, cancellationToken);

        var views = new List<RoomView>(rooms.Count);
        foreach (var (summary, role) in rooms.Values.Where(r => RoomPolicy.IsListed(r.Summary, r.Role)))
        {
            var online = (await connections.GetPresenceAsync(summary.Name, cancellationToken)).Count;
            views.Add(RoomView.Of(summary, online, positions.TryGetValue(summary.Name, out var p) ? p : null, role));
        }
        views.Sort(static (a, b) =>
            a.LastMessageAt is null != b.LastMessageAt is null ? (a.LastMessageAt is null ? 1 : -1)
            : b.LastMessageAt.GetValueOrDefault().CompareTo(a.LastMessageAt.GetValueOrDefault()) is var byTime and not 0 ? byTime
            : string.CompareOrdinal(a.Room, b.Room));
        return TypedResults.Ok(new RoomListView(views));
    }

    private static async Task<Results<Ok<RoomView>, ProblemHttpResult>> GetRoom(
        [Description(RoomRoutes.RoomDescription)] string room,
        HttpContext context, [FromServices] IRoomStore store, IConnectionStore connections, TimeProvider time, CancellationToken cancellationToken)
    {
        var request = RoomAccessFilter.Of(context);
        if (await store.GetSummaryAsync(room, cancellationToken) is not { } summary)
            return Problems.NotFound($"Nobody created room {room} and it has no messages.");
        long? position = null;
        if (request.Session is { } session
            && (await store.GetReadPositionsAsync(session.User.Id, [room], cancellationToken)).TryGetValue(room, out var p))
            position = p;
        var online = (await connections.GetPresenceAsync(room, cancellationToken)).Count;
        // The caller's ban, which refuses their upgrades with a 403 a browser's WebSocket cannot read.
        var ban = request.Caller is { } caller ? RoomPolicy.ActiveBan(request.Access, caller, time.GetUtcNow()) : null;
        return TypedResults.Ok(RoomView.Of(summary, online, position, request.Role, ban));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> MarkRead(
        [Description(RoomRoutes.RoomDescription)] string room,
        HttpContext context, [FromServices] IRoomStore store, CancellationToken cancellationToken)
    {
        var request = RoomAccessFilter.Of(context);
        if (RoomAccessFilter.RequireSession(request, context, out var unauthorized) is not { } session) return unauthorized!;
        var (body, problem) = await JsonBody.ReadObjectAsync(context.Request, "{\"seq\": 42}", cancellationToken);
        if (problem is not null) return problem;
        if (!JsonBody.TryGetInteger(body, "seq", 0, MaxSafeInteger, out var seq) || seq is null)
            return Problems.BadRequest("'seq' is required: an integer >= 0, the highest seq seen.");
        await store.MarkReadAsync(room, session.User.Id, seq.Value, cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>2^53 − 1: the largest integer every JSON reader keeps exactly.</summary>
    internal const long MaxSafeInteger = 9_007_199_254_740_991;
}
