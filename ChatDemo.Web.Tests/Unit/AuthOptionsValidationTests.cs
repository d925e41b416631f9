using ChatDemo.Web.Configuration;
using Microsoft.Extensions.Hosting.Internal;

namespace ChatDemo.Web.Tests.Unit;

public sealed class AuthOptionsValidationTests
{
    private static string[] Failures(Action<AuthOptions> configure)
    {
        var options = new ChatOptions { Sessions = { SigningKey = "unit-test-signing-key-0123456789abcdef" } };
        configure(options.Auth);
        var result = new ChatOptionsValidator(new HostingEnvironment { EnvironmentName = "Production" }).Validate(null, options);
        return result.Failed ? result.Failures.ToArray() : [];
    }

    private static void Provider(AuthOptions auth)
    {
        auth.Oidc.Authority = "https://id.example.com/realms/chat";
        auth.Oidc.ClientId = "chatdemo";
    }

    [Fact]
    public void NoProviderMeansGuestsOnlyAndIsValid()
    {
        Assert.Empty(Failures(_ => { }));
        var defaults = new AuthOptions();
        Assert.True(defaults.Guests);
        Assert.False(defaults.OidcEnabled);
        Assert.Equal("openid profile email", defaults.Oidc.Scope);
    }

    [Fact]
    public void AProviderWithAClientIdIsValidAndTheAudienceDefaultsToTheClientId()
    {
        var auth = new AuthOptions();
        Provider(auth);
        auth.Admins = "cognito:groups=chat-admins";
        Assert.Empty(Failures(a => { Provider(a); a.Admins = auth.Admins; a.Guests = false; }));
        Assert.Equal("chatdemo", auth.Oidc.EffectiveAudience);
        auth.Oidc.Audience = "api://chat";
        Assert.Equal("api://chat", auth.Oidc.EffectiveAudience);
    }

    [Fact]
    public void PlainHttpIsAllowedOnlyForALoopbackProvider()
    {
        Assert.Empty(Failures(a => { Provider(a); a.Oidc.Authority = "http://127.0.0.1:8080/realms/chat"; }));
        Assert.Empty(Failures(a => { Provider(a); a.Oidc.Authority = "http://localhost:8080"; }));
        Assert.Contains(Failures(a => { Provider(a); a.Oidc.Authority = "http://id.example.com"; }),
            f => f.Contains("Chat__Auth__Oidc__Authority", StringComparison.Ordinal));
    }

    public static TheoryData<string, Action<AuthOptions>> BadSettings => new()
    {
        { "Chat__Auth__Guests", a => a.Guests = false },
        { "Chat__Auth__Oidc__ClientId", a => a.Oidc.ClientId = "chatdemo" },
        { "Chat__Auth__Oidc__Audience", a => a.Oidc.Audience = "api://chat" },
        { "Chat__Auth__Admins", a => a.Admins = "groups=admins" },
        { "Chat__Auth__Oidc__ClientId", a => { Provider(a); a.Oidc.ClientId = " "; } },
        { "Chat__Auth__Oidc__Authority", a => { Provider(a); a.Oidc.Authority = "id.example.com"; } },
        { "Chat__Auth__Oidc__Authority", a => { Provider(a); a.Oidc.Authority = "ftp://id.example.com"; } },
        { "Chat__Auth__Oidc__Authority", a => { Provider(a); a.Oidc.Authority = "https://id.example.com/?tenant=1"; } },
        { "Chat__Auth__Oidc__Scope", a => { Provider(a); a.Oidc.Scope = "profile email"; } },
        { "Chat__Auth__Admins", a => { Provider(a); a.Admins = "chat-admins"; } },
        { "Chat__Auth__Admins", a => { Provider(a); a.Admins = "=chat-admins"; } },
        { "Chat__Auth__Admins", a => { Provider(a); a.Admins = "groups="; } },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public void ABadValueFailsNamingTheSetting(string setting, Action<AuthOptions> spoil) =>
        Assert.Contains(Failures(spoil), f => f.Contains(setting, StringComparison.Ordinal));

    [Theory]
    [InlineData("cognito:groups=chat-admins", "cognito:groups", "chat-admins")]
    [InlineData(" roles = admin ", "roles", "admin")]
    [InlineData("https://example.com/claims/role=a=b", "https://example.com/claims/role", "a=b")]
    public void TheAdminRuleSplitsAtTheFirstEqualsSign(string setting, string claim, string value)
    {
        Assert.True(AdminRule.TryParse(setting, out var rule));
        Assert.Equal(new AdminRule(claim, value), rule);
    }
}
