using System.Text.Json;
using System.Text.Json.Serialization;
using ChatDemo.Web.Chat;

namespace ChatDemo.Web.Sessions;

/// <summary>Whether a session's user picked a name (a guest) or signed in with the provider (a member).</summary>
public enum SessionKind
{
    Guest,
    Member,
}

/// <summary>A verified session: who, until when, guest or member, administrator or not.</summary>
public sealed record ChatSession(ChatUser User, DateTimeOffset ExpiresAt, SessionKind Kind = SessionKind.Guest, bool Admin = false);

/// <summary>
/// Issues and verifies session tokens: <c>v1.{payload}.{signature}</c>, both parts base64url;
/// the payload is JSON of user id, name and expiry, for members also the kind and the admin
/// flag; the signature is HMAC-SHA256 over <c>v1.{payload}</c>. Clients treat the token as opaque.
/// </summary>
/// <param name="key">The secret the tokens are signed with.</param>
/// <param name="time">The clock expiry is judged by.</param>
/// <param name="acceptGuests">
/// False when <c>Chat__Auth__Guests</c> is false: guest tokens issued while guests were allowed
/// stop opening connections at once, rather than for the rest of their lifetime.
/// </param>
public sealed class SessionTokens(SigningKey key, TimeProvider time, bool acceptGuests = true)
{
    private const string Prefix = "v1.";
    private const int MaxTokenLength = 1024;
    private const string MemberKind = "m";

    public string Issue(ChatUser user, DateTimeOffset expiresAt, SessionKind kind = SessionKind.Guest, bool admin = false)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(
            new TokenPayload(user.Id, user.Name, expiresAt.ToUnixTimeMilliseconds(), kind == SessionKind.Member ? MemberKind : null, admin),
            SessionJsonContext.Default.TokenPayload);
        return SignedToken.Create(Prefix, payload, key.Bytes);
    }

    /// <summary>The session a token stands for, or null when it is missing, malformed, forged, altered, expired, or a guest's while guests are disabled.</summary>
    public ChatSession? Verify(string? token)
    {
        if (SignedToken.Open(token, Prefix, MaxTokenLength, key.Bytes) is not { } payloadBytes) return null;

        TokenPayload? payload;
        try
        {
            payload = JsonSerializer.Deserialize(payloadBytes, SessionJsonContext.Default.TokenPayload);
        }
        catch (JsonException)
        {
            return null;
        }
        if (payload is null || string.IsNullOrEmpty(payload.U) || string.IsNullOrEmpty(payload.N)) return null;
        // No kind is a guest (every token issued before members existed); an unknown kind is not trusted.
        if (payload.K is not (null or MemberKind)) return null;
        if (payload.K is null && !acceptGuests) return null;

        var expiresAt = DateTimeOffset.FromUnixTimeMilliseconds(payload.E);
        if (expiresAt <= time.GetUtcNow()) return null;
        return new ChatSession(new ChatUser(payload.U, payload.N), expiresAt,
            payload.K == MemberKind ? SessionKind.Member : SessionKind.Guest, payload.A);
    }
}

/// <summary>
/// The signed part of a token; short names keep tokens short. A guest's payload is exactly what
/// it was before members existed (kind and admin are left out when unset), so tokens already
/// handed out keep verifying, and verify the same.
/// </summary>
internal sealed record TokenPayload(
    string U,
    string N,
    long E,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? K = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool A = false);
