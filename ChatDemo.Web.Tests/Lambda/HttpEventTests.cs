using System.Text;

namespace ChatDemo.Web.Tests.Lambda;

/// <summary>Marshalling details of HTTP API 2.0 and REST API 1.0 events beyond the recordings.</summary>
[Collection(LambdaCollection.Name)]
public sealed class HttpEventTests
{
    [Fact]
    public async Task Base64RequestBodiesAreDecodedForBothPayloadVersions()
    {
        await using var app = await LambdaApp.StartAsync();
        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes("héllo, wörld"));

        var v2 = (await app.InvokeAsync(Events.HttpApiV2("POST", "/upload", body: encoded, base64: true))).Proxy.BodyJson;
        var v1 = (await app.InvokeAsync(Events.RestApiV1("POST", "/upload", body: encoded, base64: true))).Proxy.BodyJson;

        Assert.Equal("héllo, wörld", v2.GetProperty("body").GetString());
        Assert.Equal("héllo, wörld", v1.GetProperty("body").GetString());
    }

    [Fact]
    public async Task BinaryResponsesAreBase64EncodedForBothPayloadVersions()
    {
        await using var app = await LambdaApp.StartAsync();

        var v2 = (await app.InvokeAsync(Events.HttpApiV2("GET", "/binary"))).Proxy;
        var v1 = (await app.InvokeAsync(Events.RestApiV1("GET", "/binary"))).Proxy;

        Assert.True(v2.IsBase64Encoded);
        Assert.Equal(TestEndpoints.BinaryBody, v2.BodyBytes);
        Assert.Equal("image/png", v2.Header("Content-Type"));
        Assert.True(v1.IsBase64Encoded);
        Assert.Equal(TestEndpoints.BinaryBody, v1.BodyBytes);
    }

    [Fact]
    public async Task RestApiStageFromTheRequestContextPathBecomesPathBase()
    {
        await using var app = await LambdaApp.StartAsync();

        var echo = (await app.InvokeAsync(Events.RestApiV1("GET", "/hello/world", stagePrefix: "/Prod",
            query: new Dictionary<string, string[]> { ["tag"] = ["a b", "c&d"] }))).Proxy.BodyJson;

        Assert.Equal("/Prod", echo.GetProperty("pathBase").GetString());
        Assert.Equal("/hello/world", echo.GetProperty("path").GetString());
        Assert.Equal(["a b", "c&d"], echo.GetProperty("query").GetProperty("tag").EnumerateArray().Select(v => v.GetString()));
    }

    [Fact]
    public async Task RestApiMultiValueHeadersArriveAsSeparateValuesNeverSplit()
    {
        await using var app = await LambdaApp.StartAsync();

        var echo = (await app.InvokeAsync(Events.RestApiV1("GET", "/h", multiValueHeaders: new Dictionary<string, string[]>
        {
            ["X-Many"] = ["one", "two, still two"],
            ["Host"] = ["example.com"],
        }))).Proxy.BodyJson;

        Assert.Equal(["one", "two, still two"], echo.GetProperty("headers").GetProperty("X-Many").EnumerateArray().Select(v => v.GetString()));
    }

    [Fact]
    public async Task TheTraceIdDeadlineAndRequestIdReachTheRequest()
    {
        await using var app = await LambdaApp.StartAsync();
        var deadline = DateTimeOffset.UtcNow.AddMinutes(3);
        const string trace = "Root=1-67891233-abcdef012345678912345678;Parent=463ac35c9f6413ad;Sampled=1";

        var echo = (await app.Runtime.InvokeAsync(Events.HttpApiV2("GET", "/traced"), trace, deadline)).Proxy.BodyJson;

        Assert.Equal(trace, echo.GetProperty("traceIdEnvironment").GetString());
        Assert.Equal(trace, echo.GetProperty("invocationTraceId").GetString());
        Assert.Equal(deadline.ToUnixTimeMilliseconds(), echo.GetProperty("deadline").GetInt64());
        Assert.Equal("arn:aws:lambda:us-east-1:123456789012:function:chatdemo", echo.GetProperty("functionArn").GetString());
        Assert.Equal(echo.GetProperty("invocationRequestId").GetString(), echo.GetProperty("traceIdentifier").GetString());
    }

    [Fact]
    public async Task EachInvocationGetsItsOwnServiceScope()
    {
        await using var app = await LambdaApp.StartAsync();

        var first = (await app.InvokeAsync(Events.HttpApiV2("GET", "/a"))).Proxy.BodyJson;
        var second = (await app.InvokeAsync(Events.HttpApiV2("GET", "/b"))).Proxy.BodyJson;

        Assert.NotEqual(first.GetProperty("scope").GetString(), second.GetProperty("scope").GetString());
    }

    [Fact]
    public async Task TheAppsOwnEndpointsAnswerThroughRestApiEvents()
    {
        await using var app = await LambdaApp.StartAsync(testEndpoints: false);

        var health = (await app.InvokeAsync(Events.RestApiV1("GET", "/health", stagePrefix: "/prod"))).Proxy;
        var missing = (await app.InvokeAsync(Events.RestApiV1("GET", "/no-such-thing"))).Proxy;
        var created = (await app.InvokeAsync(Events.RestApiV1("POST", "/api/sessions", body: """{"name":"Bob"}""",
            multiValueHeaders: new Dictionary<string, string[]> { ["Content-Type"] = ["application/json"] }))).Proxy;

        Assert.Equal(200, health.StatusCode);
        Assert.Equal("healthy", health.BodyJson.GetProperty("status").GetString());
        Assert.False(health.IsBase64Encoded);
        Assert.Equal(404, missing.StatusCode);
        Assert.Equal(["application/problem+json"], missing.MultiValueHeader("Content-Type"));
        Assert.Equal(201, created.StatusCode);
        Assert.Equal("Bob", created.BodyJson.GetProperty("name").GetString());
    }
}
