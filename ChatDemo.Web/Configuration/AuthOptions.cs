namespace ChatDemo.Web.Configuration;

/// <summary>
/// <c>Chat__Auth__…</c>: who may get a session. Guests pick a name; members sign in with an
/// OpenID Connect provider. With no provider configured the app is guests-only, as it always was.
/// </summary>
public sealed class AuthOptions
{
    /// <summary>Whether <c>POST /api/sessions</c> with a name (a guest session) is allowed.</summary>
    public bool Guests { get; set; } = true;

    public OidcOptions Oidc { get; set; } = new();

    /// <summary>
    /// <c>claim=value</c>: a member whose provider token has this claim with this value (or an
    /// array claim containing it, such as <c>cognito:groups=chat-admins</c>) is an administrator.
    /// </summary>
    public string? Admins { get; set; }

    /// <summary>True when members can sign in with a provider.</summary>
    public bool OidcEnabled => !string.IsNullOrWhiteSpace(Oidc.Authority);
}

public sealed class OidcOptions
{
    public const string DefaultScope = "openid profile email";

    /// <summary>The provider's issuer URL; its discovery document is at <c>{Authority}/.well-known/openid-configuration</c>.</summary>
    public string? Authority { get; set; }

    /// <summary>The page's client id at the provider (a public client: PKCE, no secret).</summary>
    public string? ClientId { get; set; }

    /// <summary>The <c>aud</c> a provider token must carry; unset means the client id (the <c>aud</c> of an ID token).</summary>
    public string? Audience { get; set; }

    /// <summary>What the page asks the provider for.</summary>
    public string Scope { get; set; } = DefaultScope;

    public string EffectiveAudience => string.IsNullOrWhiteSpace(Audience) ? ClientId ?? "" : Audience;
}

/// <summary>The parsed <c>Chat__Auth__Admins</c> setting: a claim type and the value that makes an administrator.</summary>
public sealed record AdminRule(string Claim, string Value)
{
    public static bool TryParse(string? setting, out AdminRule? rule)
    {
        rule = null;
        if (string.IsNullOrWhiteSpace(setting)) return true;
        // The first '=' splits: claim types have none, values (group names, URLs) might.
        var equals = setting.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0 || equals == setting.Length - 1) return false;
        var claim = setting[..equals].Trim();
        var value = setting[(equals + 1)..].Trim();
        if (claim.Length == 0 || value.Length == 0) return false;
        rule = new AdminRule(claim, value);
        return true;
    }
}
