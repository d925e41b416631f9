using System.Text.Json;

namespace ChatDemo.Web.Tests.Lambda;

/// <summary>
/// Every recorded event in <c>Fixtures/aws-events/</c> replayed through the adapter
/// against the emulated Runtime API: status, headers, body and the base64 flag. HTTP events reach
/// the test echo (the recordings' paths are not the app's); WebSocket events reach the real routes.
/// </summary>
[Collection(LambdaCollection.Name)]
public sealed class FixtureReplayTests
{
    /// <summary>Every file in the folder, including ones added after these tests were written.</summary>
    public static TheoryData<string> AllRecordedEvents
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var file in Directory.GetFiles(Events.FixtureFolder, "*.json").Order(StringComparer.Ordinal))
                data.Add(Path.GetFileName(file));
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(AllRecordedEvents))]
    public async Task EveryRecordedEventIsAnsweredInItsOwnShapeOrAsANamedErrorAndTheLoopGoesOn(string fixture)
    {
        await using var app = await LambdaApp.StartAsync();
        using var recorded = JsonDocument.Parse(Events.Fixture(fixture));
        var root = recorded.RootElement;

        var result = await app.InvokeAsync(Events.Fixture(fixture));
        var next = (await app.InvokeAsync(Events.HttpApiV2("GET", "/after"))).Proxy;

        Assert.Equal(200, next.StatusCode);
        if (result.IsError)
        {
            Assert.StartsWith("ChatDemo.", result.ErrorType);
            return;
        }
        var response = result.Json;
        Assert.InRange(response.GetProperty("statusCode").GetInt32(), 100, 599);
        var fields = response.EnumerateObject().Select(p => p.Name).ToHashSet();
        if (root.TryGetProperty("requestContext", out var context) && context.TryGetProperty("eventType", out _))
            Assert.Subset(new HashSet<string> { "statusCode", "body" }, fields);
        else if (root.TryGetProperty("version", out var version) && version.GetString() == "2.0")
            Assert.Superset(new HashSet<string> { "statusCode", "headers", "cookies", "body", "isBase64Encoded" }, fields);
        else
            Assert.Superset(new HashSet<string> { "statusCode", "headers", "multiValueHeaders", "body", "isBase64Encoded" }, fields);
        Assert.Empty(app.Endpoints.DeliverHits);
    }

    [Fact]
    public async Task HttpApiCookiesEventArrivesAsCookieHeaderAndSetCookieReturnsAsCookies()
    {
        await using var app = await LambdaApp.StartAsync();
        var result = (await app.InvokeAsync(Events.Fixture("apigw-http-v2-cookies.aws-lambda-dotnet.json"))).Proxy;

        Assert.Equal(200, result.StatusCode);
        Assert.False(result.IsBase64Encoded);
        Assert.Equal("application/json; charset=utf-8", result.Header("Content-Type"));
        Assert.Equal("1", result.Header("X-Echo"));
        Assert.Equal("first,second", result.Header("X-Multi"));
        Assert.Null(result.Header("Set-Cookie"));
        Assert.Equal(["a=1; path=/", "b=2; path=/; httponly"], result.Cookies);

        var echo = result.BodyJson;
        Assert.Equal("GET", echo.GetProperty("method").GetString());
        Assert.Equal("", echo.GetProperty("pathBase").GetString());
        Assert.Equal("/api/cookietests/TestCookie3", echo.GetProperty("path").GetString());
        Assert.Equal("https", echo.GetProperty("scheme").GetString());
        Assert.Equal("uo9pe23ec6.execute-api.us-east-1.amazonaws.com", echo.GetProperty("host").GetString());
        Assert.Equal("192.182.149.40", echo.GetProperty("remoteIp").GetString());
        var cookies = echo.GetProperty("cookies");
        Assert.Equal("TestValue1", cookies.GetProperty("TestCookie1").GetString());
        Assert.Equal("TestValue2", cookies.GetProperty("TestCookie2").GetString());
        Assert.Equal("TestValue3", cookies.GetProperty("TestCookie3").GetString());
        // The recording claims content-length 41 with no body: the request carries what really arrived.
        Assert.False(echo.GetProperty("headers").TryGetProperty("content-length", out _));
        Assert.Equal("", echo.GetProperty("body").GetString());
    }

    [Fact]
    public async Task HttpApiEventWithANamedStageInThePathMovesTheStageToPathBase()
    {
        await using var app = await LambdaApp.StartAsync();
        var result = (await app.InvokeAsync(Events.Fixture("apigw-http-v2-with-stage.aws-lambda-dotnet.json"))).Proxy;

        Assert.Equal(200, result.StatusCode);
        Assert.False(result.IsBase64Encoded);
        var echo = result.BodyJson;
        Assert.Equal("/beta", echo.GetProperty("pathBase").GetString());
        Assert.Equal("/api/values", echo.GetProperty("path").GetString());
        // A value full of commas stays one value.
        Assert.Equal(
            ["text/html,application/xhtml+xml,application/xml;q=0.9,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.9"],
            Strings(echo.GetProperty("headers").GetProperty("accept")));
    }

    [Fact]
    public async Task HttpApiEventKeepsRawQueryRepeatsCommaJoinedHeadersAndTheBody()
    {
        await using var app = await LambdaApp.StartAsync();
        var result = (await app.InvokeAsync(Events.Fixture("apigw-http-v2.powertools.json"))).Proxy;

        Assert.Equal(200, result.StatusCode);
        Assert.False(result.IsBase64Encoded);
        var echo = result.BodyJson;
        Assert.Equal("POST", echo.GetProperty("method").GetString());
        Assert.Equal("/my/path", echo.GetProperty("path").GetString());
        Assert.Equal("?parameter1=value1&parameter1=value2&parameter2=value", echo.GetProperty("queryString").GetString());
        Assert.Equal(["value1", "value2"], Strings(echo.GetProperty("query").GetProperty("parameter1")));
        Assert.Equal(["value"], Strings(echo.GetProperty("query").GetProperty("parameter2")));
        Assert.Equal(["value1,value2"], Strings(echo.GetProperty("headers").GetProperty("Header2")));
        Assert.Equal(["cookie1; cookie2"], Strings(echo.GetProperty("headers").GetProperty("Cookie")));
        Assert.Equal("{\"message\": \"hello world\", \"username\": \"tom\"}", echo.GetProperty("body").GetString());
        Assert.Equal(["45"], Strings(echo.GetProperty("headers").GetProperty("Content-Length")));
        Assert.Equal("192.168.0.1", echo.GetProperty("remoteIp").GetString());
    }

    [Fact]
    public async Task RestApiProxyEventUsesMultiValueHeadersAndAnswersWithMultiValueHeaders()
    {
        await using var app = await LambdaApp.StartAsync();
        var result = (await app.InvokeAsync(Events.Fixture("apigw-rest-v1-proxy.aws-lambda-go.json"))).Proxy;

        Assert.Equal(200, result.StatusCode);
        Assert.False(result.IsBase64Encoded);
        Assert.Equal("1", result.Header("X-Echo"));
        Assert.Null(result.Header("X-Multi"));
        Assert.Equal(["first", "second"], result.MultiValueHeader("X-Multi"));
        Assert.Equal(["a=1; path=/", "b=2; path=/; httponly"], result.MultiValueHeader("Set-Cookie"));
        Assert.Equal(["application/json; charset=utf-8"], result.MultiValueHeader("Content-Type"));
        Assert.False(result.Json.TryGetProperty("cookies", out _));

        var echo = result.BodyJson;
        Assert.Equal("POST", echo.GetProperty("method").GetString());
        Assert.Equal("", echo.GetProperty("pathBase").GetString());
        Assert.Equal("/hello/world", echo.GetProperty("path").GetString());
        Assert.Equal("?name=me", echo.GetProperty("queryString").GetString());
        Assert.Equal(["54.240.196.186, 54.182.214.83"], Strings(echo.GetProperty("headers").GetProperty("X-Forwarded-For")));
        Assert.Equal(["headerValue"], Strings(echo.GetProperty("headers").GetProperty("headerName")));
        Assert.Equal("{\r\n\t\"a\": 1\r\n}", echo.GetProperty("body").GetString());
        Assert.Equal("192.168.196.186", echo.GetProperty("remoteIp").GetString());
    }

    [Fact]
    public async Task RestApiTestInvokeEventWithoutHeadersCarriesItsQueryString()
    {
        await using var app = await LambdaApp.StartAsync();
        var result = (await app.InvokeAsync(Events.Fixture("apigw-rest-v1-querystring.aws-lambda-dotnet.json"))).Proxy;

        Assert.Equal(200, result.StatusCode);
        Assert.False(result.IsBase64Encoded);
        var echo = result.BodyJson;
        Assert.Equal("GET", echo.GetProperty("method").GetString());
        Assert.Equal("/api/querystring", echo.GetProperty("path").GetString());
        Assert.Equal("Lewis", Strings(echo.GetProperty("query").GetProperty("firstName")).Single());
        Assert.Equal("Meriwether", Strings(echo.GetProperty("query").GetProperty("lastName")).Single());
        Assert.Equal("127.0.0.1", echo.GetProperty("remoteIp").GetString());
    }

    [Fact]
    public async Task EventBridgeEnvelopeIsAnInvocationErrorNamingTheUnrecognizedShape()
    {
        await using var app = await LambdaApp.StartAsync();
        var result = await app.InvokeAsync(Events.Fixture("eventbridge-envelope.powertools.json"));

        Assert.True(result.IsError);
        Assert.Equal("ChatDemo.UnrecognizedEvent", result.ErrorType);
        Assert.Contains("none of", result.Json.GetProperty("errorMessage").GetString());
        Assert.Empty(app.Endpoints.DeliverHits);
    }

    [Fact]
    public async Task WebSocketConnectWithoutQueryIsRefusedWith400()
    {
        await using var app = await LambdaApp.StartAsync();
        var result = (await app.InvokeAsync(Events.Fixture("ws-connect.powertools.json"))).Json;

        Assert.Equal(400, result.GetProperty("statusCode").GetInt32());
        Assert.Equal(["body", "statusCode"], result.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal("Bad room", JsonDocument.Parse(result.GetProperty("body").GetString()!).RootElement.GetProperty("title").GetString());
        Assert.Empty(app.FanOut.Published);
    }

    [Fact]
    public async Task WebSocketConnectWithAQueryButNoRoomIsRefusedWith400()
    {
        await using var app = await LambdaApp.StartAsync();
        var result = (await app.InvokeAsync(Events.Fixture("ws-connect-with-query.aws-lambda-go.json"))).Json;

        Assert.Equal(400, result.GetProperty("statusCode").GetInt32());
        Assert.Empty(app.FanOut.Published);
        Assert.Empty(app.Endpoints.DeliverHits);
    }

    [Fact]
    public async Task WebSocketDisconnectOfAnUnknownConnectionAnswers200AndAnnouncesNothing()
    {
        await using var app = await LambdaApp.StartAsync();
        var result = (await app.InvokeAsync(Events.Fixture("ws-disconnect.powertools.json"))).Json;

        Assert.Equal(200, result.GetProperty("statusCode").GetInt32());
        Assert.Empty(app.FanOut.Published);
    }

    [Theory]
    [InlineData("ws-message-default.aws-lambda-go.json")]
    [InlineData("ws-message-default.aws-lambda-dotnet-testinvoke.json")]
    public async Task WebSocketMessageFromAnUnknownConnectionAnswers410AndSendsNothing(string fixture)
    {
        await using var app = await LambdaApp.StartAsync();
        var result = (await app.InvokeAsync(Events.Fixture(fixture))).Json;

        Assert.Equal(410, result.GetProperty("statusCode").GetInt32());
        Assert.Empty(app.Sender.Sent);
        Assert.Empty(app.FanOut.Published);
    }

    private static string[] Strings(JsonElement array) => array.EnumerateArray().Select(v => v.GetString()!).ToArray();
}
