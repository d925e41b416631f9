namespace ChatDemo.Web.Configuration;

/// <summary>The <c>Chat__Auth__…</c> part of <see cref="ChatOptionsValidator"/>.</summary>
internal static class AuthOptionsValidation
{
    public static void Validate(AuthOptions auth, List<string> failures)
    {
        var oidc = auth.Oidc;
        if (!auth.OidcEnabled)
        {
            if (!auth.Guests)
                failures.Add("Chat__Auth__Guests is false but Chat__Auth__Oidc__Authority is not set: nobody could get a session. " +
                             "Configure a provider or allow guests.");
            foreach (var (setting, value) in new[]
                     {
                         ("Chat__Auth__Oidc__ClientId", oidc.ClientId), ("Chat__Auth__Oidc__Audience", oidc.Audience),
                         ("Chat__Auth__Admins", auth.Admins),
                     })
            {
                if (!string.IsNullOrWhiteSpace(value))
                    failures.Add($"{setting} is set but Chat__Auth__Oidc__Authority is not; set the provider's issuer URL too.");
            }
            return;
        }

        if (!Uri.TryCreate(oidc.Authority, UriKind.Absolute, out var authority)
            || !(authority.Scheme == Uri.UriSchemeHttps || (authority.Scheme == Uri.UriSchemeHttp && authority.IsLoopback))
            || authority.Query.Length > 0 || authority.Fragment.Length > 0)
        {
            failures.Add("Chat__Auth__Oidc__Authority must be the provider's https issuer URL, without query or fragment, " +
                         $"such as https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123 (http only on loopback; got '{oidc.Authority}').");
        }
        if (string.IsNullOrWhiteSpace(oidc.ClientId))
            failures.Add("Chat__Auth__Oidc__ClientId is required when Chat__Auth__Oidc__Authority is set (the page's public client id at the provider).");
        if (!oidc.Scope.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains("openid"))
            failures.Add($"Chat__Auth__Oidc__Scope must include 'openid' (got '{oidc.Scope}').");
        if (!AdminRule.TryParse(auth.Admins, out _))
            failures.Add($"Chat__Auth__Admins must be claim=value, such as cognito:groups=chat-admins (got '{auth.Admins}').");
    }
}
