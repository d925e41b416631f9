using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using ChatDemo.Web.Tests.TestInfrastructure;

namespace ChatDemo.Web.Tests.SelfHosting;

/// <summary>
/// The app on Kestrel behind a real nginx terminating TLS (docs/self-hosting.md), with nginx's
/// address as the one known proxy. Each test's clients connect from loopback addresses of their
/// own (127.0.0.10 and up), so each is a distinct client to the rate limiter, as on the Internet.
/// </summary>
public class BehindNginxFixture : IAsyncLifetime
{
    public const int SessionsBurst = 3;

    // Small buckets that refill once a minute: nothing refills while a test runs.
    private static readonly Dictionary<string, string?> SmallBuckets = new()
    {
        ["Chat:RateLimits:SessionsBurst"] = SessionsBurst.ToString(),
        ["Chat:RateLimits:SessionsPerMinute"] = "1",
        ["Chat:RateLimits:ApiBurst"] = "20",
        ["Chat:RateLimits:ApiPerMinute"] = "1",
    };

    private readonly IReadOnlyDictionary<string, string?> _rateLimits;
    private int _lastClientAddress = 9;

    public BehindNginxFixture() : this(SmallBuckets)
    {
    }

    protected BehindNginxFixture(IReadOnlyDictionary<string, string?> rateLimits) => _rateLimits = rateLimits;

    public ChatApp App { get; private set; } = null!;

    public NginxProxy Proxy { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        App = await ChatApp.StartAsync(new Dictionary<string, string?>(_rateLimits)
        {
            ["Chat:ForwardedHeaders:KnownProxies"] = NginxProxy.ProxyAddress.ToString(),
        });
        try
        {
            Proxy = await NginxProxy.StartAsync(App.BaseUri);
        }
        catch
        {
            await App.DisposeAsync();
            throw;
        }
    }

    /// <summary>A loopback address no other client of this fixture uses.</summary>
    public IPAddress NewClientAddress() => IPAddress.Parse($"127.0.0.{Interlocked.Increment(ref _lastClientAddress)}");

    /// <summary>A browser-like client at <paramref name="source"/> talking https to nginx, trusting only its certificate.</summary>
    public HttpClient ThroughProxy(IPAddress source) => new(Proxy.Handler(source)) { BaseAddress = Proxy.BaseUri };

    /// <summary>A client at <paramref name="source"/> talking to the app directly, past the proxy.</summary>
    public HttpClient Direct(IPAddress source) => new(NginxProxy.ClientHandler(source)) { BaseAddress = App.BaseUri };

    public Uri SecureWebSocketUri(string room, string token) =>
        new($"wss://{Proxy.BaseUri.Authority}/ws?room={room}&token={Uri.EscapeDataString(token)}");

    public async Task DisposeAsync()
    {
        if (Proxy is not null) await Proxy.DisposeAsync();
        await App.DisposeAsync();
    }
}

public sealed class BehindNginxTests(BehindNginxFixture fixture) : IClassFixture<BehindNginxFixture>
{
    private NginxProxy Proxy => fixture.Proxy;

    [Fact]
    public async Task ThePageLoadsOverHttpsWithItsScriptAndSecurityHeaders()
    {
        using var client = fixture.ThroughProxy(fixture.NewClientAddress());
        using var page = await client.GetAsync("/");
        Assert.True(page.StatusCode == HttpStatusCode.OK, $"/ answered {(int)page.StatusCode}: {Proxy.Log()}");
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("connect-src", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        var html = await page.Content.ReadAsStringAsync();
        var script = Regex.Match(html, "<script type=\"module\" src=\"([^\"]+)\"").Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(script), $"the page names no module script: {html}");
        using var module = await client.GetAsync(script);
        Assert.Equal(HttpStatusCode.OK, module.StatusCode);

        // The certificate is trusted by the pinned clients only: TLS really is nginx's, self-signed.
        using var unpinned = new HttpClient { BaseAddress = Proxy.BaseUri };
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => unpinned.GetAsync("/"));
        Assert.IsType<System.Security.Authentication.AuthenticationException>(refused.InnerException);
    }

    [Fact]
    public async Task ConfigHandsOutWssOnTheProxysOrigin()
    {
        using var client = fixture.ThroughProxy(fixture.NewClientAddress());
        var config = await client.GetFromJsonAsync<JsonElement>("/api/config");
        Assert.Equal($"wss://{Proxy.BaseUri.Authority}/ws", config.Str("webSocketUrl"));
    }

    [Fact]
    public async Task TheProxysHttpsOriginMayOpenTheWebSocketAndForeignOnesAreRefused()
    {
        var address = fixture.NewClientAddress();
        using var client = fixture.ThroughProxy(address);
        var token = await CreateSessionAsync(client, "Alice");
        using var invoker = new HttpMessageInvoker(Proxy.Handler(address));
        var uri = fixture.SecureWebSocketUri("lobby", token);

        await using (var socket = await ChatSocket.ConnectAsync(uri, origin: Proxy.Origin, invoker: invoker))
        {
            await socket.SendJsonAsync(new { action = "ping" });
            await socket.WaitForAsync("pong");
        }

        Assert.Equal(403, await ChatSocket.TryConnectAsync(uri, origin: "https://evil.example", invoker: invoker));
        // The same host over plain http is another origin.
        Assert.Equal(403, await ChatSocket.TryConnectAsync(uri, origin: $"http://{Proxy.BaseUri.Authority}", invoker: invoker));
    }

    [Fact]
    public async Task AMessageGoesThroughTheProxyBothWays()
    {
        var room = Frames.NewRoom();
        var aliceAddress = fixture.NewClientAddress();
        var bobAddress = fixture.NewClientAddress();
        using var aliceHttp = fixture.ThroughProxy(aliceAddress);
        using var bobHttp = fixture.ThroughProxy(bobAddress);
        using var aliceInvoker = new HttpMessageInvoker(Proxy.Handler(aliceAddress));
        using var bobInvoker = new HttpMessageInvoker(Proxy.Handler(bobAddress));
        await using var alice = await ChatSocket.ConnectAsync(fixture.SecureWebSocketUri(room, await CreateSessionAsync(aliceHttp, "Alice")),
            origin: Proxy.Origin, invoker: aliceInvoker);
        await using var bob = await ChatSocket.ConnectAsync(fixture.SecureWebSocketUri(room, await CreateSessionAsync(bobHttp, "Bob")),
            origin: Proxy.Origin, invoker: bobInvoker);
        await alice.WaitForAsync("presence", p => p.Str("status") == "online" && p.GetProperty("user").Str("name") == "Bob");

        await alice.SendMessageAsync("c-alice-1", "hello from behind nginx");
        Assert.Equal("hello from behind nginx", (await bob.WaitForAsync("message", m => m.Str("clientMessageId") == "c-alice-1")).Str("text"));
        await bob.SendMessageAsync("c-bob-1", "and back");
        Assert.Equal("and back", (await alice.WaitForAsync("message", m => m.Str("clientMessageId") == "c-bob-1")).Str("text"));

        // Both are in the history the page reads through the proxy.
        var history = await aliceHttp.GetFromJsonAsync<JsonElement>($"/api/rooms/{room}/messages");
        Assert.Equal(["hello from behind nginx", "and back"], history.GetProperty("messages").EnumerateArray().Select(m => m.Str("text")));
    }

    [Fact]
    public async Task TheRateLimitCountsTheForwardedClientAddressAndAnswers429WithRetryAfter()
    {
        using var alice = fixture.ThroughProxy(fixture.NewClientAddress());
        for (var i = 0; i < BehindNginxFixture.SessionsBurst; i++) await CreateSessionAsync(alice, $"Alice{i}");

        using var refused = await PostSessionAsync(alice, "Alice");
        await ProblemAssert.IsProblemAsync(refused, 429);
        Assert.True(refused.Headers.RetryAfter?.Delta is { TotalSeconds: >= 1 and <= 60 }, $"Retry-After: '{refused.Headers.RetryAfter}'");

        // A header of her own does not get her a new bucket: nginx appends the address it saw.
        using var spoofed = await PostSessionAsync(alice, "Alice", forwardedFor: "198.51.100.1");
        await ProblemAssert.IsProblemAsync(spoofed, 429);

        // Another client behind the same proxy has a bucket of its own: the limit is not the proxy's.
        using var bob = fixture.ThroughProxy(fixture.NewClientAddress());
        await CreateSessionAsync(bob, "Bob");
    }

    [Fact]
    public async Task SpoofedForwardedHeadersSentPastTheProxyAreIgnored()
    {
        using var mallory = fixture.Direct(fixture.NewClientAddress());
        var token = "";
        for (var i = 0; i < BehindNginxFixture.SessionsBurst; i++)
        {
            using var created = await PostSessionAsync(mallory, "Mallory", forwardedFor: $"198.51.100.{i + 1}", forwardedProto: "https");
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            token = (await created.Content.ReadFromJsonAsync<JsonElement>()).Str("token");
        }
        // Had X-Forwarded-For been believed, every request would have had a fresh bucket.
        using var refused = await PostSessionAsync(mallory, "Mallory", forwardedFor: "198.51.100.99", forwardedProto: "https");
        await ProblemAssert.IsProblemAsync(refused, 429);

        // Nor X-Forwarded-Proto: the app still sees plain http from this address.
        using var configRequest = new HttpRequestMessage(HttpMethod.Get, "/api/config");
        configRequest.Headers.Add("X-Forwarded-Proto", "https");
        using var config = await mallory.SendAsync(configRequest);
        Assert.Equal($"ws://{fixture.App.BaseUri.Authority}/ws", (await ProblemAssert.IsJsonAsync(config, 200)).Str("webSocketUrl"));

        using var upgrade = ChatApp.UpgradeRequest($"/ws?room=lobby&token={Uri.EscapeDataString(token)}", origin: $"https://{fixture.App.BaseUri.Authority}");
        upgrade.Headers.Add("X-Forwarded-Proto", "https");
        using var upgradeAnswer = await mallory.SendAsync(upgrade);
        await ProblemAssert.IsProblemAsync(upgradeAnswer, 403);
    }

    private static async Task<HttpResponseMessage> PostSessionAsync(HttpClient client, string name, string? forwardedFor = null, string? forwardedProto = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/sessions") { Content = JsonContent.Create(new { name }) };
        if (forwardedFor is not null) request.Headers.Add("X-Forwarded-For", forwardedFor);
        if (forwardedProto is not null) request.Headers.Add("X-Forwarded-Proto", forwardedProto);
        return await client.SendAsync(request);
    }

    private async Task<string> CreateSessionAsync(HttpClient client, string name)
    {
        using var created = await PostSessionAsync(client, name);
        Assert.True(created.StatusCode == HttpStatusCode.Created, $"POST /api/sessions answered {(int)created.StatusCode}: {Proxy.Log()}");
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).Str("token");
    }
}
