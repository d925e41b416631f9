using System.Text.Json;
using ChatDemo.Web.Accounts;
using ChatDemo.Web.Chat;
using ChatDemo.Web.Configuration;
using ChatDemo.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace ChatDemo.Web.Sessions;

public static class SessionsApi
{
    /// <summary>A session request body is a name; anything near this size is not one.</summary>
    private const int MaxBodyBytes = 4 * 1024;

    public static IEndpointRouteBuilder MapSessions(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/api/sessions", CreateSession)
            .WithName("CreateSession")
            .WithTags("Sessions")
            .WithSummary("Create a guest session, or a member session from a provider token")
            .WithDescription("Without an Authorization header: picks a display name and returns a signed token that identifies the guest " +
                             "when connecting. The name is trimmed; 1-32 letters, digits, spaces and - _ . ' are allowed. 403 when guests are " +
                             "disabled. With 'Authorization: Bearer <ID token from the OpenID Connect provider>' and no body: exchanges the " +
                             "provider's token for a member session (the same kind of token); the user id is stable for the provider's " +
                             "subject. A refused token is a 401 whose 'check' names the failed validation (authorization, not_configured, " +
                             "malformed, algorithm, signature, key, issuer, audience, expired, not_yet_valid, lifetime, subject); 503 when " +
                             "the provider cannot be reached. Sessions last 24 hours unless configured longer.")
            .DescribesJsonBody<CreateSessionRequest>()
            .Produces<SessionResponse>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .RequireChatRateLimit(RateLimiting.Sessions);
        return routes;
    }

    private static async Task<Results<Created<SessionResponse>, ProblemHttpResult>> CreateSession(
        HttpRequest request, SessionTokens tokens, ProviderTokenValidator provider, TimeProvider time, IOptions<ChatOptions> options,
        CancellationToken cancellationToken)
    {
        if (request.Headers.Authorization.Count > 0)
            return await MemberSessions.ExchangeAsync(request, provider, tokens, time, options.Value, cancellationToken);
        if (!options.Value.Auth.Guests)
            return Problems.Forbidden("Guest sessions are disabled on this server (Chat__Auth__Guests is false): sign in with the provider " +
                                      "and send its ID token as 'Authorization: Bearer <token>'.");

        if (!request.HasJsonContentType())
            return Problems.UnsupportedMediaType("POST /api/sessions takes application/json, such as {\"name\": \"Alice\"}.");

        var body = await RequestBody.ReadAsync(request, MaxBodyBytes, cancellationToken);
        if (body is null)
            return Problems.PayloadTooLarge($"The request body must be at most {MaxBodyBytes} bytes.");

        string? rawName;
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                return Problems.BadRequest("The body must be a JSON object such as {\"name\": \"Alice\"}.");
            if (!document.RootElement.TryGetProperty("name", out var nameElement) || nameElement.ValueKind != JsonValueKind.String)
                return Problems.BadRequest("'name' is required and must be a string of 1-32 characters.");
            rawName = nameElement.GetString();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return Problems.BadRequest("The body is not valid JSON; send {\"name\": \"Alice\"}.");
        }

        if (!ChatRules.TryNormalizeName(rawName, out var name, out var error))
            return Problems.BadRequest($"Invalid name: {error}.");

        return Issue(new ChatSessionRequest(new ChatUser(Ids.NewUserId(), name), SessionKind.Guest, Admin: false), tokens, time, options.Value);
    }

    /// <summary>Signs a session for <paramref name="session"/>'s user and answers it with 201.</summary>
    internal static Created<SessionResponse> Issue(ChatSessionRequest session, SessionTokens tokens, TimeProvider time, ChatOptions options)
    {
        // Rounded up to the millisecond: a session lasts at least its lifetime, never a fraction less.
        var expiresAt = ChatTime.Truncate(time.GetUtcNow().AddHours(options.Sessions.LifetimeHours)).AddMilliseconds(1);
        var user = session.User;
        var token = tokens.Issue(user, expiresAt, session.Kind, session.Admin);
        var kind = session.Kind == SessionKind.Member ? "member" : "guest";
        return TypedResults.Created((string?)null, new SessionResponse(user.Id, user.Name, token, expiresAt, kind, session.Admin));
    }
}

/// <summary>The body of <c>POST /api/sessions</c>.</summary>
/// <param name="Name">Display name: 1-32 letters, digits, spaces and - _ . ' after trimming.</param>
public sealed record CreateSessionRequest(string Name);

/// <summary>Who a new session is for, before it is signed.</summary>
internal sealed record ChatSessionRequest(ChatUser User, SessionKind Kind, bool Admin);

/// <summary>A new session.</summary>
/// <param name="UserId">The user's id (<c>u_…</c>): a guest's is new each time, even for the same name; a member's is the same on every sign-in.</param>
/// <param name="Name">The display name as stored and shown (trimmed; for members taken from the provider's token).</param>
/// <param name="Token">Opaque signed token; pass it as <c>token</c> when opening the WebSocket.</param>
/// <param name="ExpiresAt">When the token stops being accepted.</param>
/// <param name="Kind"><c>guest</c> (picked a name) or <c>member</c> (signed in with the provider).</param>
/// <param name="Admin">Whether the user is an administrator (<c>Chat__Auth__Admins</c>); always false for guests.</param>
public sealed record SessionResponse(string UserId, string Name, string Token, DateTimeOffset ExpiresAt, string Kind, bool Admin);
