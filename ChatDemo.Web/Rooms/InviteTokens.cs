using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using ChatDemo.Web.Sessions;

namespace ChatDemo.Web.Rooms;

/// <summary>Why an invitation was refused (protocol.md 11.5): the problem's <c>reason</c>.</summary>
public static class InviteRefusals
{
    public const string Invalid = "invalid";
    public const string Expired = "expired";
    public const string UsedUp = "used_up";
    public const string WrongRoom = "wrong_room";
    public const string Banned = "banned";
}

/// <summary>
/// Signs and reads invitations: <c>i1.{payload}.{signature}</c>, both parts base64url; the payload
/// is JSON of the invite's id, room, expiry and maximum uses; the signature is HMAC-SHA256 over
/// <c>i1.{payload}</c> with a key derived from the server's signing key, so that no session token
/// can pass for an invitation or the other way round. Clients treat the token as opaque.
/// </summary>
public sealed class InviteTokens
{
    private const string Prefix = "i1.";
    private const int MaxTokenLength = 1024;
    private readonly byte[] _key;

    /// <param name="signingKey">The server's signing key (<c>Chat__Sessions__SigningKey</c>).</param>
    public InviteTokens(byte[] signingKey) =>
        _key = HMACSHA256.HashData(signingKey, "chatdemo invitation key v1"u8);

    public string Sign(Invite invite)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(
            new InvitePayload(invite.Id, invite.Room, invite.ExpiresAt.ToUnixTimeMilliseconds(), invite.MaxUses),
            InviteJsonContext.Default.InvitePayload);
        return SignedToken.Create(Prefix, payload, _key);
    }

    /// <summary>The invite a token stands for, or null when it is missing, malformed, forged or altered (expiry is the caller's to judge).</summary>
    public Invite? Read(string? token)
    {
        if (SignedToken.Open(token, Prefix, MaxTokenLength, _key) is not { } payloadBytes) return null;
        InvitePayload? payload;
        try
        {
            payload = JsonSerializer.Deserialize(payloadBytes, InviteJsonContext.Default.InvitePayload);
        }
        catch (JsonException)
        {
            return null;
        }
        if (payload is null || string.IsNullOrEmpty(payload.I) || string.IsNullOrEmpty(payload.R)) return null;
        return new Invite(payload.I, payload.R, DateTimeOffset.FromUnixTimeMilliseconds(payload.E), payload.M);
    }

    /// <summary>A new invitation's id: random, URL-safe.</summary>
    public static string NewId() => "i_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}

/// <summary>The signed part of an invitation; short names keep links short.</summary>
internal sealed record InvitePayload(
    string I,
    string R,
    long E,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? M = null);

[JsonSerializable(typeof(InvitePayload))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class InviteJsonContext : JsonSerializerContext;
