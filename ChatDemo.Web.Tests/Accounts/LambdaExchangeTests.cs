using System.Text.Json;
using ChatDemo.Web.Accounts;
using ChatDemo.Web.Tests.Lambda;
using ChatDemo.Web.Tests.TestInfrastructure;

namespace ChatDemo.Web.Tests.Accounts;

/// <summary>The exchange in Lambda mode: an HTTP API (2.0) event with the provider's token, through the hosting adapter.</summary>
[Collection(LambdaCollection.Name)]
public sealed class LambdaExchangeTests
{
    private static string ExchangeEvent(string authorization) => Events.HttpApiV2("POST", "/api/sessions", headers: new Dictionary<string, string>
    {
        ["host"] = "id.execute-api.us-east-1.amazonaws.com",
        ["authorization"] = authorization,
    });

    [Fact]
    public async Task AProviderTokenBecomesAMemberSessionThatOpensTheWebSocketApi()
    {
        await using var provider = await OidcProvider.StartAsync();
        await using var app = await LambdaApp.StartAsync(testEndpoints: false, settings: ProviderApp.Settings(provider));

        var result = (await app.InvokeAsync(ExchangeEvent("Bearer " + await provider.SignInAsync("alice")))).Proxy;
        Assert.Equal(201, result.StatusCode);
        var session = result.BodyJson;
        Assert.Equal("member", session.Str("kind"));
        Assert.True(session.GetProperty("admin").GetBoolean());
        Assert.Equal(MemberIdentity.UserId(provider.Issuer, "alice"), session.Str("userId"));

        // The same token opens API Gateway's WebSocket ($connect?token=), which knows nothing of the provider.
        var connect = (await app.InvokeAsync(Events.WebSocketConnect("conn-member-1", new Dictionary<string, string>
        {
            ["room"] = "lobby", ["token"] = session.Str("token"),
        }))).Json;
        Assert.Equal(200, connect.GetProperty("statusCode").GetInt32());
    }

    [Fact]
    public async Task ARefusedTokenIsA401ProblemNamingTheCheckAndGuestsStillWork()
    {
        await using var provider = await OidcProvider.StartAsync();
        await using var app = await LambdaApp.StartAsync(testEndpoints: false, settings: ProviderApp.Settings(provider));

        var refused = (await app.InvokeAsync(ExchangeEvent("Bearer " + provider.Mint(adjust: d => d.Audience = "someone-else")))).Proxy;
        Assert.Equal(401, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Header("Content-Type"));
        Assert.Equal(TokenChecks.Audience, refused.BodyJson.Str("check"));
        Assert.StartsWith("Bearer error=\"invalid_token\"", refused.Header("WWW-Authenticate"), StringComparison.Ordinal);

        var guest = (await app.InvokeAsync(Events.HttpApiV2("POST", "/api/sessions", body: JsonSerializer.Serialize(new { name = "Guest" })))).Proxy;
        Assert.Equal(201, guest.StatusCode);
        Assert.Equal("guest", guest.BodyJson.Str("kind"));
    }
}
