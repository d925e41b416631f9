using System.Text.Json.Nodes;

namespace ChatDemo.Web.Tests.Lambda;

/// <summary>
/// In Lambda mode API Gateway gives the client address (<c>requestContext…sourceIp</c>) and nothing
/// is a known proxy: the rate limiter counts per source address and ignores X-Forwarded-For.
/// </summary>
[Collection(LambdaCollection.Name)]
public sealed class RateLimitTests
{
    [Fact]
    public async Task SessionsAreLimitedPerApiGatewaySourceAddressNotPerForwardedHeader()
    {
        await using var app = await LambdaApp.StartAsync(testEndpoints: false, settings: new Dictionary<string, string?>
        {
            ["Chat:RateLimits:SessionsBurst"] = "2",
            ["Chat:RateLimits:SessionsPerMinute"] = "1",
        });

        for (var i = 0; i < 2; i++)
            Assert.Equal(201, (await app.InvokeAsync(CreateSession("198.51.100.7", forwardedFor: $"203.0.113.{i + 1}"))).Proxy.StatusCode);

        var refused = (await app.InvokeAsync(CreateSession("198.51.100.7", forwardedFor: "203.0.113.99"))).Proxy;
        Assert.Equal(429, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Header("Content-Type"));
        Assert.True(int.TryParse(refused.Header("Retry-After"), out var seconds) && seconds is >= 1 and <= 60, $"Retry-After: '{refused.Header("Retry-After")}'");

        Assert.Equal(201, (await app.InvokeAsync(CreateSession("198.51.100.8", forwardedFor: "198.51.100.7"))).Proxy.StatusCode);
    }

    private static string CreateSession(string sourceIp, string forwardedFor)
    {
        var node = JsonNode.Parse(Events.HttpApiV2("POST", "/api/sessions", body: """{"name":"Guest"}""", headers: new Dictionary<string, string>
        {
            ["content-type"] = "application/json",
            ["host"] = "id.execute-api.us-east-1.amazonaws.com",
            ["x-forwarded-for"] = forwardedFor,
            ["x-forwarded-proto"] = "https",
        }))!;
        node["requestContext"]!["http"]!["sourceIp"] = sourceIp;
        return node.ToJsonString();
    }
}
