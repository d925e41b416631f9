using System.Net.Sockets;
using ChatDemo.Web.Accounts;
using ChatDemo.Web.Tests.TestInfrastructure;

namespace ChatDemo.Web.Tests.Accounts;

/// <summary>The provider rotating its keys, being down, and guests switched off — each with its own provider and app.</summary>
public sealed class ProviderLifecycleTests
{
    [Fact]
    public async Task AfterTheProviderRotatesItsKeyTheAppFetchesTheNewKeySetOnTheUnknownKid()
    {
        await using var provider = await OidcProvider.StartAsync();
        await using var app = await ChatApp.StartAsync(ProviderApp.Settings(provider));
        // The first exchange caches the provider's key set with key 1 in it.
        await SessionExchange.MemberSessionAsync(app, await provider.SignInAsync("alice"));

        await provider.RotateKeyAsync(OidcProvider.NewKey("provider-key-2"));
        var idToken = await provider.SignInAsync("alice");
        Assert.Contains("provider-key-2", System.Text.Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(idToken.Split('.')[0])));

        var session = await SessionExchange.MemberSessionAsync(app, idToken);
        Assert.Equal(MemberIdentity.UserId(provider.Issuer, "alice"), session.Str("userId"));
    }

    [Fact]
    public async Task AProviderThatCannotBeReachedIsA503AndGuestsKeepWorking()
    {
        // A provider that was never there: a loopback port nobody listens on.
        var down = $"http://127.0.0.1:{UnusedPort()}";
        await using var app = await ChatApp.StartAsync(new Dictionary<string, string?>
        {
            ["Chat:Auth:Oidc:Authority"] = down,
            ["Chat:Auth:Oidc:ClientId"] = OidcProvider.ClientId,
        });
        await using var elsewhere = await OidcProvider.StartAsync();

        using var response = await SessionExchange.PostAsync(app.Http, "Bearer " + elsewhere.Mint());
        var problem = await ProblemAssert.IsProblemAsync(response, 503);
        Assert.Contains(down, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("guest", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var guest = SessionExchange.AsTestSession(await SessionExchange.GuestSessionAsync(app, "Still here"));
        await using var socket = await app.ConnectAsync(guest, "provider-down");
        await socket.SendMessageAsync("g-1", "the provider is down, the chat is not");
        Assert.Equal(guest.UserId, (await socket.WaitForAsync("message")).GetProperty("sender").Str("id"));
        Assert.Equal(down, (await app.GetJsonAsync("/api/config")).GetProperty("auth").GetProperty("oidc").Str("authority"));
    }

    [Fact]
    public async Task AProviderWhoseDiscoveryNamesAnotherIssuerIsA503NamingTheMismatch()
    {
        // The same provider reached by another name: its documents name 127.0.0.1, not localhost.
        await using var provider = await OidcProvider.StartAsync();
        var otherName = provider.Issuer.Replace("127.0.0.1", "localhost", StringComparison.Ordinal);
        await using var app = await ChatApp.StartAsync(new Dictionary<string, string?>
        {
            ["Chat:Auth:Oidc:Authority"] = otherName,
            ["Chat:Auth:Oidc:ClientId"] = OidcProvider.ClientId,
        });

        using var response = await SessionExchange.PostAsync(app.Http, "Bearer " + provider.Mint());
        var detail = (await ProblemAssert.IsProblemAsync(response, 503)).GetProperty("detail").GetString();
        Assert.Contains(provider.Issuer, detail, StringComparison.Ordinal);
        Assert.Contains("Chat__Auth__Oidc__Authority", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnceItsKeysAreCachedMembersStillSignInWhileTheProviderIsDown()
    {
        var provider = await OidcProvider.StartAsync();
        await using var app = await ChatApp.StartAsync(ProviderApp.Settings(provider));
        var idToken = await provider.SignInAsync("bob");
        var first = await SessionExchange.MemberSessionAsync(app, idToken);
        await provider.DisposeAsync();

        var again = await SessionExchange.MemberSessionAsync(app, idToken);
        Assert.Equal(first.Str("userId"), again.Str("userId"));
        // A key it has not seen cannot be fetched now; the stale key set is what there is to judge by.
        await SessionExchange.RefusedAsync(app, "Bearer " + provider.Mint(key: OidcProvider.NewKey("rotated-while-down")), TokenChecks.Key);
    }

    [Fact]
    public async Task WithGuestsDisabledAGuestSessionIsA403AndMembersStillSignIn()
    {
        await using var provider = await OidcProvider.StartAsync();
        await using var app = await ChatApp.StartAsync(ProviderApp.Settings(provider, guests: false));

        var problem = await SessionExchange.GuestSessionAsync(app, "Alice", status: 403);
        Assert.Contains("Chat__Auth__Guests", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.False((await app.GetJsonAsync("/api/config")).GetProperty("auth").GetProperty("guests").GetBoolean());

        var member = SessionExchange.AsTestSession(await SessionExchange.MemberSessionAsync(app, await provider.SignInAsync("carol")));
        await using var socket = await app.ConnectAsync(member, "members-only");
    }

    [Fact]
    public async Task AGuestTokenFromBeforeGuestsWereDisabledNoLongerConnects()
    {
        await using var provider = await OidcProvider.StartAsync();
        TestSession guest;
        await using (var open = await ChatApp.StartAsync())
        {
            guest = SessionExchange.AsTestSession(await SessionExchange.GuestSessionAsync(open, "Early bird"));
            Assert.Equal(101, await ChatSocket.TryConnectAsync(open.WebSocketUri("lobby", guest.Token)));
        }

        // Same signing key (every test app shares it), guests now off.
        await using var closed = await ChatApp.StartAsync(ProviderApp.Settings(provider, guests: false));
        using var refused = await closed.SendUpgradeRequestAsync("lobby", guest.Token);
        await ProblemAssert.IsProblemAsync(refused, 401);
    }

    [Fact]
    public async Task WithoutAProviderABearerTokenIsRefusedAsNotConfiguredAndGuestsWorkAsBefore()
    {
        await using var app = await ChatApp.StartAsync();
        await SessionExchange.RefusedAsync(app, "Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln", TokenChecks.NotConfigured);

        var config = await app.GetJsonAsync("/api/config");
        Assert.True(config.GetProperty("auth").GetProperty("guests").GetBoolean());
        Assert.False(config.GetProperty("auth").TryGetProperty("oidc", out _), "no provider, no oidc block");
        Assert.Equal("guest", (await SessionExchange.GuestSessionAsync(app, "Alice")).Str("kind"));
        using var page = await app.Http.GetAsync("/");
        Assert.Contains("connect-src 'self' ws: wss:;", string.Join(' ', page.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
    }

    private static int UnusedPort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
