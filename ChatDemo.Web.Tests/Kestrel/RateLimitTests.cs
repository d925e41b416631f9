using System.Net;
using System.Net.Http.Json;
using ChatDemo.Web.Tests.TestInfrastructure;

namespace ChatDemo.Web.Tests.Kestrel;

/// <summary>protocol.md "Rate limits on REST": token buckets per client address, 429 problem+json with Retry-After.</summary>
public sealed class RateLimitTests
{
    // Small buckets that refill once a minute: nothing refills while a test runs.
    private static Task<ChatApp> StartAsync(int sessionsBurst = 1000, int apiBurst = 1000) => ChatApp.StartAsync(new Dictionary<string, string?>
    {
        ["Chat:RateLimits:SessionsBurst"] = sessionsBurst.ToString(),
        ["Chat:RateLimits:SessionsPerMinute"] = "1",
        ["Chat:RateLimits:ApiBurst"] = apiBurst.ToString(),
        ["Chat:RateLimits:ApiPerMinute"] = "1",
    });

    [Fact]
    public async Task SessionsBeyondTheBurstAreRefusedWith429AndRetryAfter()
    {
        await using var app = await StartAsync(sessionsBurst: 3);
        for (var i = 0; i < 3; i++)
        {
            using var created = await app.Http.PostAsJsonAsync("/api/sessions", new { name = $"Guest{i}" });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        using var refused = await app.Http.PostAsJsonAsync("/api/sessions", new { name = "OneTooMany" });
        var problem = await ProblemAssert.IsProblemAsync(refused, 429);
        Assert.Contains("/api/sessions", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var retryAfter = refused.Headers.RetryAfter?.Delta;
        Assert.True(retryAfter is { TotalSeconds: >= 1 and <= 60 }, $"Retry-After should be 1-60 s with one token a minute, got '{refused.Headers.RetryAfter}'");

        // The REST reads have their own bucket.
        using var history = await app.Http.GetAsync("/api/rooms/lobby/messages");
        Assert.Equal(HttpStatusCode.OK, history.StatusCode);
    }

    [Fact]
    public async Task HistoryPresenceAndConfigShareOneBucketAndHealthHasNone()
    {
        await using var app = await StartAsync(apiBurst: 3);
        foreach (var path in new[] { "/api/config", "/api/rooms/lobby/messages", "/api/rooms/lobby/presence" })
        {
            using var answered = await app.Http.GetAsync(path);
            Assert.True(answered.StatusCode == HttpStatusCode.OK, $"{path} answered {(int)answered.StatusCode}");
        }

        foreach (var path in new[] { "/api/config", "/api/rooms/lobby/messages", "/api/rooms/lobby/presence" })
        {
            using var refused = await app.Http.GetAsync(path);
            await ProblemAssert.IsProblemAsync(refused, 429);
            Assert.NotNull(refused.Headers.RetryAfter?.Delta);
        }

        // Load balancers poll /health; a rate limit there would take the server out of rotation.
        for (var i = 0; i < 10; i++)
        {
            using var health = await app.Http.GetAsync("/health");
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }
        // The page and its files are not the API either.
        using var page = await app.Http.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    [Fact]
    public async Task WithNoProxyConfiguredForwardedHeadersFromLoopbackAreIgnored()
    {
        // The framework would trust loopback's X-Forwarded-* by default; ChatDemo trusts nobody unless told.
        await using var app = await StartAsync(sessionsBurst: 3);
        var session = await app.CreateSessionAsync("Mallory");
        for (var i = 0; i < 2; i++)
        {
            using var created = await SessionClaimingAsync(app, $"203.0.113.{i + 1}");
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }
        // Had the header been believed, each claimed address would have had a bucket of its own.
        using var refused = await SessionClaimingAsync(app, "203.0.113.99");
        await ProblemAssert.IsProblemAsync(refused, 429);

        using var config = new HttpRequestMessage(HttpMethod.Get, "/api/config");
        config.Headers.Add("X-Forwarded-Proto", "https");
        using var configAnswer = await app.Http.SendAsync(config);
        var url = (await ProblemAssert.IsJsonAsync(configAnswer, 200)).GetProperty("webSocketUrl").GetString();
        Assert.Equal($"ws://{app.BaseUri.Authority}/ws", url);

        using var refusedUpgrade = await app.SendUpgradeRequestAsync("lobby", session.Token, origin: $"https://{app.BaseUri.Authority}",
            adjust: request => request.Headers.Add("X-Forwarded-Proto", "https"));
        await ProblemAssert.IsProblemAsync(refusedUpgrade, 403);
    }

    private static async Task<HttpResponseMessage> SessionClaimingAsync(ChatApp app, string forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/sessions") { Content = JsonContent.Create(new { name = "Spoofer" }) };
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        return await app.Http.SendAsync(request);
    }
}
