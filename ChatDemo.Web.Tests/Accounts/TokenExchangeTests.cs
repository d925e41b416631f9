using System.Buffers.Text;
using System.Text;
using ChatDemo.Web.Accounts;
using ChatDemo.Web.Tests.TestInfrastructure;
using Microsoft.IdentityModel.Tokens;

namespace ChatDemo.Web.Tests.Accounts;

/// <summary>
/// protocol.md section 1.1 against a real OpenID provider (npm oidc-provider): tokens from its own
/// sign-in are exchanged for member sessions; every spoiled token is a 401 naming the failed check.
/// </summary>
public sealed class TokenExchangeTests(ProviderApp fixture) : IClassFixture<ProviderApp>
{
    private OidcProvider Provider => fixture.Provider;
    private ChatApp App => fixture.App;

    [Fact]
    public async Task ATokenFromTheProvidersOwnSignInBecomesAMemberSession()
    {
        var idToken = await Provider.SignInAsync("alice");
        var session = await SessionExchange.MemberSessionAsync(App, idToken);

        Assert.Equal("member", session.Str("kind"));
        Assert.True(session.GetProperty("admin").GetBoolean(), "alice's groups claim holds chat-admins");
        Assert.Equal("Alice Liddell", session.Str("name"));
        Assert.Equal(MemberIdentity.UserId(Provider.Issuer, "alice"), session.Str("userId"));
        Assert.True(DateTimeOffset.Parse(session.Str("expiresAt"), System.Globalization.CultureInfo.InvariantCulture) > DateTimeOffset.UtcNow.AddHours(23));
    }

    [Fact]
    public async Task SigningInAgainInAnotherBrowserGivesTheSameUserId()
    {
        var first = await SessionExchange.MemberSessionAsync(App, await Provider.SignInAsync("bob", "http://127.0.0.1:5080/"));
        var second = await SessionExchange.MemberSessionAsync(App, await Provider.SignInAsync("bob", "http://127.0.0.1:6123/"));

        Assert.Equal(first.Str("userId"), second.Str("userId"));
        Assert.NotEqual(first.Str("token"), second.Str("token"));
        Assert.NotEqual(first.Str("userId"), (await SessionExchange.MemberSessionAsync(App, await Provider.SignInAsync("carol"))).Str("userId"));
    }

    [Fact]
    public async Task TheNameFallsBackToTheUsernameThenTheEmailAndOnlyTheAdminClaimMakesAnAdmin()
    {
        var bob = await SessionExchange.MemberSessionAsync(App, await Provider.SignInAsync("bob"));
        Assert.Equal("bob.builder", bob.Str("name"));
        Assert.False(bob.GetProperty("admin").GetBoolean(), "bob is staff, not chat-admins");

        var carol = await SessionExchange.MemberSessionAsync(App, await Provider.SignInAsync("carol"));
        Assert.Equal("carol chat", carol.Str("name"));
        Assert.False(carol.GetProperty("admin").GetBoolean());
    }

    [Fact]
    public async Task AMemberChatsUnderTheirStableIdOverTheWebSocket()
    {
        var session = SessionExchange.AsTestSession(await SessionExchange.MemberSessionAsync(App, await Provider.SignInAsync("alice")));
        var room = "members-" + Guid.NewGuid().ToString("N")[..8];
        await using var socket = await App.ConnectAsync(session, room);

        await socket.SendMessageAsync("m-1", "hello as a member");
        var message = await socket.WaitForAsync("message");

        Assert.Equal(MemberIdentity.UserId(Provider.Issuer, "alice"), message.GetProperty("sender").Str("id"));
        Assert.Equal("Alice Liddell", message.GetProperty("sender").Str("name"));
    }

    [Fact]
    public async Task GuestsStillGetSessionsBesideTheProviderAndTheConfigSaysHowToSignIn()
    {
        var guest = await SessionExchange.GuestSessionAsync(App, "Visitor");
        Assert.Equal("guest", guest.Str("kind"));
        Assert.False(guest.GetProperty("admin").GetBoolean());

        var auth = (await App.GetJsonAsync("/api/config")).GetProperty("auth");
        Assert.True(auth.GetProperty("guests").GetBoolean());
        Assert.Equal(Provider.Issuer, auth.GetProperty("oidc").Str("authority"));
        Assert.Equal(OidcProvider.ClientId, auth.GetProperty("oidc").Str("clientId"));
        Assert.Equal("openid profile email", auth.GetProperty("oidc").Str("scope"));
        Assert.Equal(["authority", "clientId", "scope"], auth.GetProperty("oidc").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task ThePagesContentSecurityPolicyLetsItFetchFromTheProvider()
    {
        using var page = await App.Http.GetAsync("/");
        var policy = string.Join(' ', page.Headers.GetValues("Content-Security-Policy"));
        var connect = policy.Split(';').Select(d => d.Trim()).Single(d => d.StartsWith("connect-src ", StringComparison.Ordinal));
        Assert.Equal($"connect-src 'self' ws: wss: {Provider.Issuer}", connect);
    }

    [Fact]
    public async Task ATokenThatExpiredWithinTheClockSkewIsStillAccepted()
    {
        var token = Provider.Mint(adjust: d =>
        {
            d.IssuedAt = d.NotBefore = DateTime.UtcNow.AddMinutes(-10);
            d.Expires = DateTime.UtcNow.AddSeconds(-10);
        });
        Assert.Equal("member", (await SessionExchange.MemberSessionAsync(App, token)).Str("kind"));
    }

    [Fact]
    public async Task AMintedTokenWithTheProvidersKeyIsAcceptedSoTheRefusalsBelowAreEachAboutOneSpoiledPart() =>
        Assert.Equal(MemberIdentity.UserId(Provider.Issuer, "dave"),
            (await SessionExchange.MemberSessionAsync(App, Provider.Mint("dave"))).Str("userId"));

    public static TheoryData<string, string> Refusals => new()
    {
        { "wrong issuer", TokenChecks.Issuer },
        { "wrong audience", TokenChecks.Audience },
        { "expired", TokenChecks.Expired },
        { "not yet valid", TokenChecks.NotYetValid },
        { "tampered signature", TokenChecks.Signature },
        { "tampered claims", TokenChecks.Signature },
        { "alg none", TokenChecks.Algorithm },
        { "HS256 with the public key's bytes", TokenChecks.Algorithm },
        { "key not in the JWKS", TokenChecks.Key },
        { "no subject", TokenChecks.Subject },
        { "no expiry", TokenChecks.Lifetime },
        { "not a JWT", TokenChecks.Malformed },
        { "Basic credentials", TokenChecks.Authorization },
        { "empty bearer", TokenChecks.Authorization },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task ASpoiledTokenIsA401NamingTheFailedCheck(string spoiled, string check)
    {
        var authorization = spoiled switch
        {
            "Basic credentials" => "Basic YWxpY2U6c2VjcmV0",
            "empty bearer" => "Bearer ",
            _ => "Bearer " + SpoiledToken(spoiled),
        };
        var problem = await SessionExchange.RefusedAsync(App, authorization, check);
        Assert.Equal(401, problem.GetProperty("status").GetInt32());
    }

    private string SpoiledToken(string how)
    {
        var now = DateTime.UtcNow;
        switch (how)
        {
            case "wrong issuer": return Provider.Mint(adjust: d => d.Issuer = "https://evil.example.com");
            case "wrong audience": return Provider.Mint(adjust: d => d.Audience = "another-client");
            case "expired":
                return Provider.Mint(adjust: d =>
                {
                    d.IssuedAt = d.NotBefore = now.AddHours(-2);
                    d.Expires = now.AddMinutes(-5);
                });
            case "not yet valid":
                return Provider.Mint(adjust: d =>
                {
                    d.IssuedAt = d.NotBefore = now.AddMinutes(5);
                    d.Expires = now.AddHours(1);
                });
            case "tampered signature":
            {
                var token = Provider.Mint();
                var signature = Base64Url.DecodeFromChars(token.AsSpan(token.LastIndexOf('.') + 1));
                signature[signature.Length / 2] ^= 0x01;
                return token[..(token.LastIndexOf('.') + 1)] + Base64Url.EncodeToString(signature);
            }
            case "tampered claims":
            {
                // Mallory's subject put into Alice's correctly signed token.
                var parts = Provider.Mint("alice").Split('.');
                var claims = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[1])).Replace("\"alice\"", "\"mallory\"");
                return $"{parts[0]}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(claims))}.{parts[2]}";
            }
            case "alg none":
            {
                var parts = Provider.Mint().Split('.');
                return Base64Url.EncodeToString("""{"alg":"none","typ":"JWT"}"""u8) + "." + parts[1] + ".";
            }
            case "HS256 with the public key's bytes":
            {
                // The classic key-confusion attack: the provider's public key used as an HMAC secret.
                var modulus = Provider.SigningKey.Rsa.ExportParameters(false).Modulus!;
                return Provider.Mint(key: new SymmetricSecurityKey(modulus) { KeyId = Provider.SigningKey.KeyId }, adjust: d =>
                    d.SigningCredentials = new SigningCredentials(d.SigningCredentials.Key, SecurityAlgorithms.HmacSha256));
            }
            case "key not in the JWKS": return Provider.Mint(key: OidcProvider.NewKey("not-published"));
            case "no subject": return Provider.Mint(adjust: d => d.Claims = new Dictionary<string, object> { ["name"] = "Nobody" });
            case "no expiry": return Provider.Mint(adjust: d => d.Expires = null);
            case "not a JWT": return "this-is-not-a-jwt";
            default: throw new ArgumentOutOfRangeException(nameof(how), how, null);
        }
    }

    [Fact]
    public async Task ARefusedTokenCreatesNoSessionAndTheNextGoodOneStillWorks()
    {
        await SessionExchange.RefusedAsync(App, "Bearer " + SpoiledToken("expired"), TokenChecks.Expired);
        Assert.Equal("member", (await SessionExchange.MemberSessionAsync(App, Provider.Mint("erin"))).Str("kind"));
    }
}
