using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace ChatDemo.Web.Sessions;

/// <summary>
/// The envelope of every token the server signs (session tokens, invitations):
/// <c>{prefix}{payload}.{signature}</c>, both parts base64url, the signature HMAC-SHA256 over
/// <c>{prefix}{payload}</c>. Each kind has its own prefix and key, so one kind never passes for another.
/// </summary>
internal static class SignedToken
{
    public static string Create(string prefix, byte[] payload, byte[] key)
    {
        var signed = prefix + Base64Url.EncodeToString(payload);
        return signed + "." + Base64Url.EncodeToString(Sign(signed, key));
    }

    /// <summary>The payload's bytes, or null when the token is missing, too long, of another kind, malformed, forged or altered.</summary>
    public static byte[]? Open(string? token, string prefix, int maxLength, byte[] key)
    {
        if (string.IsNullOrEmpty(token) || token.Length > maxLength || !token.StartsWith(prefix, StringComparison.Ordinal)) return null;
        var dot = token.LastIndexOf('.');
        if (dot <= prefix.Length) return null;

        var signed = token[..dot];
        byte[] signature;
        byte[] payload;
        try
        {
            signature = Base64Url.DecodeFromChars(token.AsSpan(dot + 1));
            payload = Base64Url.DecodeFromChars(signed.AsSpan(prefix.Length));
        }
        catch (FormatException)
        {
            return null;
        }
        return CryptographicOperations.FixedTimeEquals(signature, Sign(signed, key)) ? payload : null;
    }

    private static byte[] Sign(string signed, byte[] key) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(signed));
}
