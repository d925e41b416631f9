using System.Security.Cryptography;
using ChatDemo.Web.Tests.Browser;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatDemo.Web.Tests.SelfHosting;

/// <summary>
/// The bundled page in Chromium over https through nginx: it finds its <c>wss://</c> URL through
/// <c>/api/config</c>, passes the Origin check with the proxy's origin, and two people chat.
/// Chromium trusts exactly the proxy's self-signed key (<c>--ignore-certificate-errors-spki-list</c>).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PageBehindNginxTests(PageBehindNginxFixture fixture) : IClassFixture<PageBehindNginxFixture>
{
    [Fact]
    public async Task TwoPeopleChatThroughThePageServedOverHttps()
    {
        var spki = Convert.ToBase64String(SHA256.HashData(fixture.Proxy.Certificate.PublicKey.ExportSubjectPublicKeyInfo()));
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = BrowserFixture.FindChromium(),
            Headless = true,
            Args = [.. BrowserFixture.ChromiumArgs, $"--ignore-certificate-errors-spki-list={spki}"],
            Timeout = 60_000,
        });
        var room = TestInfrastructure.Frames.NewRoom();
        await using var alice = await ChatPage.OpenAsync(browser, () => fixture.Proxy.BaseUri);
        await using var bob = await ChatPage.OpenAsync(browser, () => fixture.Proxy.BaseUri);
        var sockets = new List<string>();
        alice.Page.WebSocket += (_, socket) => sockets.Add(socket.Url);

        await alice.JoinAsync("Alice", room);
        await bob.JoinAsync("Bob", room);
        await alice.SendAsync("over TLS");
        await Expect(bob.Sent("over TLS")).ToHaveCountAsync(1);
        await bob.SendAsync("both ways");
        await Expect(alice.Sent("both ways")).ToHaveCountAsync(1);

        Assert.StartsWith($"{fixture.Proxy.Origin}/", alice.Page.Url, StringComparison.Ordinal);
        Assert.Contains(sockets, url => url.StartsWith($"wss://{fixture.Proxy.BaseUri.Authority}/ws?", StringComparison.Ordinal));
        Assert.Empty(alice.ConsoleErrors);
        Assert.Empty(bob.ConsoleErrors);
    }
}

/// <summary>
/// nginx in front of an app with a deployment's default per-address limits: both browsers reach
/// the app from one address, and a page's requests (config, session, room list, presence, history,
/// read positions) soon exceed the 20 that <see cref="BehindNginxFixture"/>'s rate-limit tests allow.
/// </summary>
public sealed class PageBehindNginxFixture() : BehindNginxFixture(DeploymentDefaults())
{
    private static Dictionary<string, string?> DeploymentDefaults()
    {
        var defaults = new ChatDemo.Web.Configuration.RateLimitOptions();
        return new()
        {
            ["Chat:RateLimits:SessionsBurst"] = defaults.SessionsBurst.ToString(),
            ["Chat:RateLimits:SessionsPerMinute"] = defaults.SessionsPerMinute.ToString(),
            ["Chat:RateLimits:ApiBurst"] = defaults.ApiBurst.ToString(),
            ["Chat:RateLimits:ApiPerMinute"] = defaults.ApiPerMinute.ToString(),
        };
    }
}
