using System.Text.Json;
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
            .WithSummary("Create a guest session")
            .WithDescription("Picks a display name and returns a signed token that identifies the guest when connecting. " +
                             "The name is trimmed; 1-32 letters, digits, spaces and - _ . ' are allowed. Sessions last 24 hours.")
            .Accepts<CreateSessionRequest>("application/json")
            .Produces<SessionResponse>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .RequireChatRateLimit(RateLimiting.Sessions);
        return routes;
    }

    private static async Task<Results<Created<SessionResponse>, ProblemHttpResult>> CreateSession(
        HttpRequest request, SessionTokens tokens, TimeProvider time, IOptions<ChatOptions> options, CancellationToken cancellationToken)
    {
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

        var user = new ChatUser(Ids.NewUserId(), name);
        // Rounded up to the millisecond: a session lasts at least its lifetime, never a fraction less.
        var expiresAt = ChatTime.Truncate(time.GetUtcNow().AddHours(options.Value.Sessions.LifetimeHours)).AddMilliseconds(1);
        var response = new SessionResponse(user.Id, user.Name, tokens.Issue(user, expiresAt), expiresAt);
        return TypedResults.Created((string?)null, response);
    }
}

/// <summary>The body of <c>POST /api/sessions</c>.</summary>
/// <param name="Name">Display name: 1-32 letters, digits, spaces and - _ . ' after trimming.</param>
public sealed record CreateSessionRequest(string Name);

/// <summary>A new guest session.</summary>
/// <param name="UserId">The guest's id (<c>u_…</c>); distinct even when two guests pick the same name.</param>
/// <param name="Name">The display name as stored and shown (trimmed).</param>
/// <param name="Token">Opaque signed token; pass it as <c>token</c> when opening the WebSocket.</param>
/// <param name="ExpiresAt">When the token stops being accepted.</param>
public sealed record SessionResponse(string UserId, string Name, string Token, DateTimeOffset ExpiresAt);
