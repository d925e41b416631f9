using ChatDemo.Web.Chat;
using ChatDemo.Web.Configuration;
using ChatDemo.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace ChatDemo.Web.Sessions;

/// <summary>
/// The checks before a chat WebSocket opens, the same for Kestrel's <c>/ws</c> and API Gateway's
/// <c>$connect</c> (protocol.md sections 2 and 11.3): a valid <c>room</c>, a verified <c>token</c>,
/// for Kestrel an allowed <c>Origin</c>, and then the room's own rules: a banned user and, in a
/// private room, a non-member are refused with 403. The WebSocket API's host is never the page's,
/// so API Gateway's connect skips the Origin check; the token is what authenticates there.
/// </summary>
public sealed class WebSocketHandshake(SessionTokens tokens, IRoomAuthority rooms, IOptions<ChatOptions> options, ILogger<WebSocketHandshake> logger)
{
    /// <summary>The room and session when the upgrade may go on, else the problem that refuses it.</summary>
    public async Task<HandshakeResult> CheckAsync(HttpRequest request, bool checkOrigin, CancellationToken cancellationToken)
    {
        var roomValues = request.Query["room"];
        if (roomValues.Count != 1 || !ChatRules.IsValidRoom(roomValues[0]))
            return Refused(Problems.Refuse(StatusCodes.Status400BadRequest, "Bad room", ChatRules.RoomRule + "."));

        var tokenValues = request.Query["token"];
        var session = tokenValues.Count == 1 ? tokens.Verify(tokenValues[0]) : null;
        if (session is null)
            return Refused(Problems.Refuse(StatusCodes.Status401Unauthorized, "Invalid session",
                "token is missing, forged or expired; create a session with POST /api/sessions."));

        if (checkOrigin && !OriginPolicy.IsAllowed(request, options.Value))
            return Refused(Problems.Refuse(StatusCodes.Status403Forbidden, "Origin not allowed",
                "This origin may not open the chat WebSocket; see Chat__AllowedOrigins."));

        var room = roomValues[0]!;
        RoomRights rights;
        try
        {
            rights = await rooms.GetRightsAsync(room, session.User, session.Admin, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            SessionsLog.RightsFailed(logger, e, room);
            return Refused(Problems.Refuse(StatusCodes.Status503ServiceUnavailable, "Store unavailable",
                "The room's rules could not be read; retry shortly."));
        }
        if (rights.Refusal is { } refusal)
            return Refused(Problems.Refuse(StatusCodes.Status403Forbidden, refusal.Title, refusal.Detail));

        return new HandshakeResult(null, room, session);
    }

    private static HandshakeResult Refused(ProblemHttpResult problem) => new(problem, "", null);
}

/// <summary>The outcome of <see cref="WebSocketHandshake.CheckAsync"/>: a refusal, or the room and the verified session.</summary>
public sealed record HandshakeResult(ProblemHttpResult? Refusal, string Room, ChatSession? Session);

internal static partial class SessionsLog
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Error, Message = "Reading the rights of a connection to room {Room} failed; the upgrade is refused with 503")]
    public static partial void RightsFailed(ILogger logger, Exception exception, string room);
}
