using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ChatDemo.Web.Chat;

namespace ChatDemo.Web.Sessions;

/// <summary>A verified guest session.</summary>
public sealed record GuestSession(ChatUser User, DateTimeOffset ExpiresAt);

/// <summary>
/// Issues and verifies guest-session tokens: <c>v1.{payload}.{signature}</c>, both parts
/// base64url; the payload is JSON of user id, name and expiry, the signature HMAC-SHA256 over
/// <c>v1.{payload}</c>. Clients treat the token as opaque.
/// </summary>
public sealed class SessionTokens(SigningKey key, TimeProvider time)
{
    private const string Prefix = "v1.";
    private const int MaxTokenLength = 1024;

    public string Issue(ChatUser user, DateTimeOffset expiresAt)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(
            new TokenPayload(user.Id, user.Name, expiresAt.ToUnixTimeMilliseconds()),
            SessionJsonContext.Default.TokenPayload);
        var signed = Prefix + Base64Url.EncodeToString(payload);
        return signed + "." + Base64Url.EncodeToString(Sign(signed));
    }

    /// <summary>The session a token stands for, or null when it is missing, malformed, forged, altered or expired.</summary>
    public GuestSession? Verify(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > MaxTokenLength || !token.StartsWith(Prefix, StringComparison.Ordinal))
            return null;
        var dot = token.LastIndexOf('.');
        if (dot <= Prefix.Length) return null;

        var signed = token[..dot];
        byte[] signature;
        byte[] payloadBytes;
        try
        {
            signature = Base64Url.DecodeFromChars(token.AsSpan(dot + 1));
            payloadBytes = Base64Url.DecodeFromChars(signed.AsSpan(Prefix.Length));
        }
        catch (FormatException)
        {
            return null;
        }
        if (!CryptographicOperations.FixedTimeEquals(signature, Sign(signed))) return null;

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

        var expiresAt = DateTimeOffset.FromUnixTimeMilliseconds(payload.E);
        if (expiresAt <= time.GetUtcNow()) return null;
        return new GuestSession(new ChatUser(payload.U, payload.N), expiresAt);
    }

    private byte[] Sign(string signed) => HMACSHA256.HashData(key.Bytes, Encoding.UTF8.GetBytes(signed));
}

/// <summary>The signed part of a token; short names keep tokens short.</summary>
internal sealed record TokenPayload(string U, string N, long E);
