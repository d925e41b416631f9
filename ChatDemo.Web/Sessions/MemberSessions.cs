using ChatDemo.Web.Accounts;
using ChatDemo.Web.Chat;
using ChatDemo.Web.Configuration;
using ChatDemo.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace ChatDemo.Web.Sessions;

/// <summary>
/// <c>POST /api/sessions</c> with <c>Authorization: Bearer …</c>: a token from the OpenID
/// Connect provider exchanged for a member session — the same signed session token guests get,
/// so the WebSocket (and API Gateway's <c>$connect</c>) need not know the provider exists.
/// </summary>
internal static class MemberSessions
{
    public static async Task<Results<Created<SessionResponse>, ProblemHttpResult>> ExchangeAsync(
        HttpRequest request, ProviderTokenValidator provider, SessionTokens tokens, TimeProvider time, ChatOptions options,
        CancellationToken cancellationToken)
    {
        var authorization = request.Headers.Authorization;
        var value = authorization.Count == 1 ? authorization[0] ?? "" : "";
        const string scheme = "Bearer ";
        if (!value.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) || value.Length == scheme.Length)
            return Refused(request, TokenChecks.Authorization, "The Authorization header must be one 'Bearer <token>' carrying the provider's ID token.");

        var result = await provider.ValidateAsync(value[scheme.Length..].Trim(), cancellationToken);
        if (result.ProviderUnavailable) return Problems.Unavailable(result.Detail!);
        if (result.Token is not { } token) return Refused(request, result.FailedCheck!, result.Detail!);

        AdminRule.TryParse(options.Auth.Admins, out var adminRule);
        var user = new ChatUser(MemberIdentity.UserId(token.Issuer, token.Subject), MemberIdentity.DisplayName(token));
        return SessionsApi.Issue(new ChatSessionRequest(user, SessionKind.Member, MemberIdentity.IsAdmin(token, adminRule)), tokens, time, options);
    }

    private static ProblemHttpResult Refused(HttpRequest request, string check, string detail)
    {
        // RFC 6750 section 3: a refused bearer token is answered with a challenge saying so.
        request.HttpContext.Response.Headers[HeaderNames.WWWAuthenticate] = check is TokenChecks.Authorization or TokenChecks.NotConfigured
            ? "Bearer"
            : "Bearer error=\"invalid_token\"";
        return Problems.Unauthorized(check, detail);
    }
}
