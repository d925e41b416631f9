using ChatDemo.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace ChatDemo.Web.Sessions;

/// <summary>What an <c>Authorization</c> header carried: nothing, a verified session, or something refused.</summary>
/// <param name="Given">Whether the request had an <c>Authorization</c> header at all.</param>
/// <param name="Session">The verified session; null when none was given or it was refused.</param>
public sealed record BearerSession(bool Given, ChatSession? Session)
{
    public bool Refused => Given && Session is null;
}

/// <summary>
/// The ChatDemo session token sent as <c>Authorization: Bearer {token}</c> (protocol.md 11.1): how
/// the REST API of rooms knows who asks. Not a provider token: <c>POST /api/sessions</c> exchanges
/// one of those for a session.
/// </summary>
public static class BearerSessions
{
    private const string Scheme = "Bearer ";

    public static BearerSession Read(HttpRequest request, SessionTokens tokens)
    {
        var authorization = request.Headers.Authorization;
        if (authorization.Count == 0) return new BearerSession(false, null);
        var value = authorization.Count == 1 ? authorization[0] ?? "" : "";
        if (!value.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase)) return new BearerSession(true, null);
        return new BearerSession(true, tokens.Verify(value[Scheme.Length..].Trim()));
    }

    /// <summary>401 with <c>WWW-Authenticate: Bearer</c> (RFC 6750): a session token is required, or the one given was refused.</summary>
    public static ProblemHttpResult Unauthorized(HttpContext context, string title, string detail)
    {
        context.Response.Headers[HeaderNames.WWWAuthenticate] = "Bearer";
        return Problems.Refuse(StatusCodes.Status401Unauthorized, title, detail);
    }

    /// <summary>The 401 for a refused token.</summary>
    public static ProblemHttpResult InvalidToken(HttpContext context) =>
        Unauthorized(context, "Invalid session",
            "The Authorization header must be 'Bearer <session token>' with a token from POST /api/sessions that is not forged or expired.");
}
