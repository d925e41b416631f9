using ChatDemo.Web.Lambda;
using ChatDemo.Web.Tests.TestInfrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ChatDemo.Web.Tests.Lambda;

/// <summary>The Runtime API loop survives what an invocation can throw at it.</summary>
[Collection(LambdaCollection.Name)]
public sealed class InvocationLoopTests
{
    [Fact]
    public async Task AThrowingHandlerAnswers500WithoutDetailAndTheNextInvocationIsServed()
    {
        await using var app = await LambdaApp.StartAsync();

        var failed = (await app.InvokeAsync(Events.HttpApiV2("GET", "/throw"))).Proxy;
        var next = (await app.InvokeAsync(Events.HttpApiV2("GET", "/after"))).Proxy;

        Assert.Equal(500, failed.StatusCode);
        Assert.DoesNotContain("secret detail 42", failed.Json.GetRawText());
        Assert.DoesNotContain("InvalidOperationException", failed.Json.GetRawText());
        Assert.Equal(200, next.StatusCode);
        Assert.Equal("/after", next.BodyJson.GetProperty("path").GetString());
    }

    [Theory]
    [InlineData("not json {", "ChatDemo.MalformedEvent")]
    [InlineData("[1, 2, 3]", "ChatDemo.UnrecognizedEvent")]
    [InlineData("\"hello\"", "ChatDemo.UnrecognizedEvent")]
    [InlineData("{}", "ChatDemo.UnrecognizedEvent")]
    [InlineData("""{"chatDemo":"something-else"}""", "ChatDemo.UnrecognizedEvent")]
    [InlineData("""{"version":"2.0","rawPath":"/x","requestContext":{"http":{"path":"/x"}}}""", "ChatDemo.MalformedEvent")]
    [InlineData("""{"version":"2.0","rawPath":"/x","body":"!!not base64!!","isBase64Encoded":true,"requestContext":{"http":{"method":"POST"}}}""", "ChatDemo.MalformedEvent")]
    [InlineData("""{"requestContext":{"eventType":"MESSAGE","routeKey":"$default"},"body":"{}"}""", "ChatDemo.MalformedEvent")]
    public async Task AMalformedOrUnknownEventGetsAnErrorPostAndTheLoopGoesOn(string payload, string errorType)
    {
        await using var app = await LambdaApp.StartAsync();

        var result = await app.InvokeAsync(payload);
        var next = (await app.InvokeAsync(Events.HttpApiV2("GET", "/after"))).Proxy;

        Assert.True(result.IsError, result.Text);
        Assert.Equal(errorType, result.ErrorType);
        Assert.Equal(200, next.StatusCode);
    }

    [Fact]
    public async Task AResponseOverSixMegabytesIsAClearInvocationErrorAndTheLoopGoesOn()
    {
        await using var app = await LambdaApp.StartAsync();

        var result = await app.InvokeAsync(Events.HttpApiV2("GET", "/big"));
        var next = (await app.InvokeAsync(Events.HttpApiV2("GET", "/after"))).Proxy;

        Assert.True(result.IsError);
        Assert.Equal("ChatDemo.ResponseTooLarge", result.ErrorType);
        Assert.Contains("6291456", result.Json.GetProperty("errorMessage").GetString());
        Assert.Equal(200, next.StatusCode);
    }

    [Fact]
    public async Task InLambdaTheServiceThatForgetsEarlierRunsConnectionsDoesNotRun()
    {
        await using var app = await LambdaApp.StartAsync(testEndpoints: false);

        Assert.DoesNotContain(app.Services.GetServices<IHostedService>(), s => s.GetType().Name == "InProcessConnectionLifetime");
    }

    // ChatApp alone binds Kestrel's default port when its tests run beside other collections.
    private static readonly Dictionary<string, string?> KestrelOnAFreePort = new() { ["urls"] = "http://127.0.0.1:0" };

    [Fact]
    public async Task WithoutTheRuntimeApiVariableTheAppServesOnKestrel()
    {
        await using var app = await ChatApp.StartAsync(KestrelOnAFreePort);

        Assert.IsNotType<LambdaServer>(app.Services.GetRequiredService<IServer>());
        using var response = await app.Http.GetAsync("/health");
        response.EnsureSuccessStatusCode();
    }
}
