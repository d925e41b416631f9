using ChatDemo.Web.Chat;
using ChatDemo.Web.Tests.TestInfrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ChatDemo.Web.Tests.Lambda;

/// <summary>
/// The internal routes (delivery, WebSocket events) are reached only through the adapter's own
/// rewrites, which set their features; no API Gateway event reaches them, whatever it carries.
/// </summary>
[Collection(LambdaCollection.Name)]
public sealed class InternalRouteTests
{
    public static TheoryData<string, string> HttpEventsAimedAtInternalRoutes => new()
    {
        { "HTTP API", Events.HttpApiV2("POST", "/_internal/deliver", body: Events.Deliver(new { room = "lobby" }), headers: new Dictionary<string, string> { ["x-direct-invocation"] = "true", ["content-type"] = "application/json" }) },
        { "HTTP API, named stage", Events.HttpApiV2("POST", "/beta/_internal/deliver", stage: "beta", body: Events.Deliver(new { room = "lobby" })) },
        { "HTTP API, percent-encoded", Events.HttpApiV2("POST", "/%5Finternal/deliver", body: Events.Deliver(new { room = "lobby" })) },
        { "HTTP API, double slash", Events.HttpApiV2("POST", "//_internal/deliver", body: Events.Deliver(new { room = "lobby" })) },
        { "HTTP API, upper case", Events.HttpApiV2("POST", "/_INTERNAL/Deliver", body: Events.Deliver(new { room = "lobby" })) },
        { "HTTP API, websocket route", Events.HttpApiV2("POST", "/_internal/websocket", body: """{"action":"ping"}""") },
        { "REST API", Events.RestApiV1("POST", "/_internal/deliver", body: Events.Deliver(new { room = "lobby" })) },
        { "REST API, stage", Events.RestApiV1("POST", "/_internal/deliver", stagePrefix: "/prod", body: Events.Deliver(new { room = "lobby" })) },
        { "REST API, websocket route", Events.RestApiV1("POST", "/_internal/websocket", body: """{"action":"ping"}""") },
    };

    [Theory]
    [MemberData(nameof(HttpEventsAimedAtInternalRoutes))]
    public async Task HttpEventsAimedAtInternalRoutesAnswer404WithoutReachingThem(string shape, string payload)
    {
        await using var app = await LambdaApp.StartAsync();

        var result = (await app.InvokeAsync(payload)).Proxy;

        Assert.True(result.StatusCode == 404, $"{shape}: {result.StatusCode}");
        Assert.Empty(app.Endpoints.DeliverHits);
        Assert.Empty(app.Sender.Sent);
        Assert.Empty(app.FanOut.Published);
    }

    [Fact]
    public async Task AnHttpEventCarryingTheDeliveryMarkerIsStillAnHttpRequest()
    {
        await using var app = await LambdaApp.StartAsync();
        var node = System.Text.Json.Nodes.JsonNode.Parse(Events.HttpApiV2("POST", "/anything", body: Events.Deliver(new { room = "lobby" })))!;
        node["chatDemo"] = "deliver";

        var echo = (await app.InvokeAsync(node.ToJsonString())).Proxy.BodyJson;

        Assert.Equal("/anything", echo.GetProperty("path").GetString());
        Assert.False(echo.GetProperty("hasDirectInvocationFeature").GetBoolean());
        Assert.Empty(app.Endpoints.DeliverHits);
    }

    [Fact]
    public async Task AWebSocketMessageCarryingADeliveryPayloadStaysAWebSocketMessage()
    {
        await using var app = await LambdaApp.StartAsync();

        var result = await app.InvokeAsync(Events.WebSocketMessage("conn-1=", "$default", Events.Deliver(new { room = "lobby" })));

        Assert.Equal(410, result.Json.GetProperty("statusCode").GetInt32());
        Assert.Empty(app.Endpoints.DeliverHits);
    }

    [Fact]
    public async Task ADirectInvocationReachesTheDeliveryRouteWithItsFeatureAndReturnsTheEndpointsJson()
    {
        await using var app = await LambdaApp.StartAsync();
        var payload = Events.Deliver(new { room = "lobby", connectionIds = new[] { "a=", "b=" }, frame = """{"type":"message"}""" });

        var result = await app.InvokeAsync(payload);

        Assert.False(result.IsError, result.Text);
        Assert.Equal(2, result.Json.GetProperty("delivered").GetInt32());
        Assert.False(string.IsNullOrEmpty(result.Json.GetProperty("requestId").GetString()));
        var hit = Assert.Single(app.Endpoints.DeliverHits);
        Assert.True(hit.HasDirectInvocationFeature);
        Assert.Equal(payload, hit.Body);
    }

    [Fact]
    public async Task AFailedDeliveryIsAnInvocationErrorSoTheWorkflowCanRetry()
    {
        await using var app = await LambdaApp.StartAsync();

        var result = await app.InvokeAsync(Events.Deliver(new { room = "lobby", fail = true }));

        Assert.True(result.IsError);
        Assert.Equal("ChatDemo.DirectInvocationFailed", result.ErrorType);
        Assert.Contains("503", result.Json.GetProperty("errorMessage").GetString());
    }

    // ChatApp alone binds Kestrel's default port when its tests run beside other collections.
    private static readonly Dictionary<string, string?> KestrelOnAFreePort = new() { ["urls"] = "http://127.0.0.1:0" };

    [Fact]
    public async Task UnderKestrelTheWebSocketEventRouteAnswers404AndStoresNothing()
    {
        await using var app = await ChatApp.StartAsync(KestrelOnAFreePort);

        using var response = await app.Http.PostAsync("/_internal/websocket", new StringContent("""{"action":"sendMessage","clientMessageId":"c-1","text":"x"}"""));

        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(await app.Services.GetRequiredService<IChatStore>().GetPresenceAsync("lobby", CancellationToken.None));
    }
}
