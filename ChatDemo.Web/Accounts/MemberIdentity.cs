using System.Security.Cryptography;
using System.Text;
using ChatDemo.Web.Chat;
using ChatDemo.Web.Configuration;
using Microsoft.IdentityModel.JsonWebTokens;

namespace ChatDemo.Web.Accounts;

/// <summary>Who a validated provider token names, in ChatDemo's terms: a user id, a display name, admin or not.</summary>
public static class MemberIdentity
{
    /// <summary>What a member is called when the token has no usable name, username or e-mail.</summary>
    public const string FallbackName = "Member";

    /// <summary>
    /// <c>u_</c> and 32 hex digits (the shape of a guest's id), from SHA-256 of issuer and subject:
    /// the same person at the same provider gets the same id on every device and every day, and
    /// two providers' subjects never meet.
    /// </summary>
    public static string UserId(string issuer, string subject)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(issuer + "\n" + subject));
        return "u_" + Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }

    /// <summary><c>name</c>, else <c>preferred_username</c>, else the e-mail's local part, each made to fit the name rules.</summary>
    public static string DisplayName(JsonWebToken token)
    {
        foreach (var claim in (ReadOnlySpan<string>)["name", "preferred_username"])
        {
            if (token.TryGetPayloadValue<string>(claim, out var value) && Fit(value) is { } name) return name;
        }
        if (token.TryGetPayloadValue<string>("email", out var email) && email.IndexOf('@', StringComparison.Ordinal) is > 0 and var at
            && Fit(email[..at]) is { } local)
            return local;
        return FallbackName;
    }

    /// <summary>
    /// Keeps what the name rules allow; every run of anything else (white space, '+', '@',
    /// emoji, control characters) becomes one space; at most 32 characters. Null when nothing is left.
    /// </summary>
    public static string? Fit(string? raw)
    {
        if (raw is null) return null;
        var cleaned = new StringBuilder();
        var inGap = false;
        foreach (var rune in raw.EnumerateRunes())
        {
            var kept = rune.Value != ' ' && ChatRules.IsNameRune(rune);
            if (!kept)
            {
                inGap = true;
                continue;
            }
            if (inGap && cleaned.Length > 0) cleaned.Append(' ');
            inGap = false;
            cleaned.Append(rune.ToString());
        }
        var runes = cleaned.ToString().EnumerateRunes().Take(ChatRules.MaxNameLength).Select(r => r.ToString());
        return ChatRules.TryNormalizeName(string.Concat(runes), out var name, out _) ? name : null;
    }

    /// <summary>True when the token carries the <c>Chat__Auth__Admins</c> claim with its value (or an array claim containing it).</summary>
    public static bool IsAdmin(JsonWebToken token, AdminRule? rule) =>
        rule is not null && token.Claims.Any(c => c.Type == rule.Claim && c.Value == rule.Value);
}
