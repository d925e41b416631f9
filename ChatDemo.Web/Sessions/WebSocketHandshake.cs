using ChatDemo.Web.Chat;
using ChatDemo.Web.Configuration;
using ChatDemo.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace ChatDemo.Web.Sessions;

/// <summary>
/// The checks before a chat WebSocket opens, the same for Kestrel's <c>/ws</c> and API Gateway's
/// <c>$connect</c> (protocol.md section 2): a valid <c>room</c>, a verified <c>token</c>, and for
/// Kestrel an allowed <c>Origin</c>. The WebSocket API's host is never the page's, so API
/// Gateway's connect skips the Origin check; the token is what authenticates there.
/// </summary>
public sealed class WebSocketHandshake(SessionTokens tokens, IOptions<ChatOptions> options)
{
    /// <summary>Null when the upgrade may go on (with its room and user), else the problem that refuses it.</summary>
    public ProblemHttpResult? Check(HttpRequest request, bool checkOrigin, out string room, out ChatUser user)
    {
        room = "";
        user = null!;
        var rooms = request.Query["room"];
        if (rooms.Count != 1 || !ChatRules.IsValidRoom(rooms[0]))
            return Problems.Refuse(StatusCodes.Status400BadRequest, "Bad room", ChatRules.RoomRule + ".");

        var tokenValues = request.Query["token"];
        var session = tokenValues.Count == 1 ? tokens.Verify(tokenValues[0]) : null;
        if (session is null)
            return Problems.Refuse(StatusCodes.Status401Unauthorized, "Invalid session",
                "token is missing, forged or expired; create a session with POST /api/sessions.");

        if (checkOrigin && !OriginPolicy.IsAllowed(request, options.Value))
            return Problems.Refuse(StatusCodes.Status403Forbidden, "Origin not allowed",
                "This origin may not open the chat WebSocket; see Chat__AllowedOrigins.");

        room = rooms[0]!;
        user = session.User;
        return null;
    }
}
