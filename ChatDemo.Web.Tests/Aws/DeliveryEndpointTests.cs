using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ChatDemo.Web.Lambda;
using ChatDemo.Web.Tests.TestInfrastructure;

namespace ChatDemo.Web.Tests.Aws;

public sealed class DeliveryEndpointTests
{
    private static readonly object Frame = new
    {
        type = "message", room = "lobby", seq = 7, id = "m-7", clientMessageId = "c-7",
        sender = new { id = "user-alice", name = "Alice" }, text = "héllo ✓ \"quoted\"", sentAt = "2026-01-02T03:04:05.000Z",
    };

    private static object Batch(string?[] connectionIds, string? except = null) =>
        new { chatDemo = "deliver", room = "lobby", frame = Frame, exceptConnectionId = except, connectionIds };

    [Fact]
    public async Task TheDeliveryRouteIs404ForAnHttpRequestInKestrelMode()
    {
        await using var app = await ChatApp.StartAsync();

        using var response = await app.Http.PostAsJsonAsync(InternalRoutes.Deliver, Batch(["a="]));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task TheDeliveryRouteIs404ForAnHttpRequestInAwsModeAndPostsNothing()
    {
        await using var aws = await AwsModeApp.StartAsync(directInvocation: false);
        await aws.ConnectAsync("alice-1=", "Alice");

        using var response = await aws.DeliverAsync(Batch(["alice-1="]));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(aws.ApiGateway.Calls);
    }

    [Fact]
    public async Task ADeliveryPostsTheSameFrameToEachConnectionOfTheBatchButTheExceptedOne()
    {
        await using var aws = await AwsModeApp.StartAsync();

        using var response = await aws.DeliverAsync(Batch(["a=", "b/+c==", "typist=", "a="], except: "typist="));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, report.GetProperty("delivered").GetInt32());
        Assert.Empty(report.GetProperty("gone").EnumerateArray());
        Assert.Empty(report.GetProperty("failed").EnumerateArray());
        var expected = JsonSerializer.Serialize(Frame);
        Assert.Equal([expected], aws.ApiGateway.Received("a=").Select(Normalize));
        Assert.Equal([expected], aws.ApiGateway.Received("b/+c==").Select(Normalize));
        Assert.Empty(aws.ApiGateway.Received("typist="));
        Assert.Equal(2, aws.ApiGateway.Calls.Count);
    }

    [Fact]
    public async Task AGoneConnectionIsRemovedAndItsUserAnnouncedOfflineWhileTheOthersReceiveTheFrame()
    {
        await using var aws = await AwsModeApp.StartAsync();
        await aws.ConnectAsync("alice-1=", "Alice");
        await aws.ConnectAsync("bob-1=", "Bob");
        aws.ApiGateway.Gone["alice-1="] = true;

        using var response = await aws.DeliverAsync(Batch(["alice-1=", "bob-1="]));

        var report = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, report.GetProperty("delivered").GetInt32());
        Assert.Equal(["alice-1="], report.GetProperty("gone").EnumerateArray().Select(e => e.GetString()));
        Assert.Null(await aws.Store.GetConnectionAsync("alice-1=", CancellationToken.None));
        Assert.NotNull(await aws.Store.GetConnectionAsync("bob-1=", CancellationToken.None));
        var offline = Assert.Single(aws.Published("presence"), e => e.Detail.GetProperty("frame").GetProperty("status").GetString() == "offline");
        Assert.Equal("user-alice", offline.Detail.GetProperty("frame").GetProperty("user").GetProperty("id").GetString());
        Assert.Single(aws.ApiGateway.Received("bob-1="));
    }

    [Fact]
    public async Task AGoneConnectionOfAUserWithAnotherConnectionIsRemovedWithoutAnnouncingThemOffline()
    {
        await using var aws = await AwsModeApp.StartAsync();
        await aws.ConnectAsync("alice-1=", "Alice");
        await aws.ConnectAsync("alice-2=", "Alice");
        aws.ApiGateway.Gone["alice-1="] = true;

        using var response = await aws.DeliverAsync(Batch(["alice-1=", "alice-2="]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(await aws.Store.GetConnectionAsync("alice-1=", CancellationToken.None));
        Assert.DoesNotContain(aws.Published("presence"), e => e.Detail.GetProperty("frame").GetProperty("status").GetString() == "offline");
    }

    [Fact]
    public async Task AGoneConnectionWhoseOfflineCannotBePublishedIsReportedGoneAndFailedWhileTheOthersReceiveTheFrame()
    {
        await using var aws = await AwsModeApp.StartAsync();
        await aws.ConnectAsync("alice-1=", "Alice");
        aws.ApiGateway.Gone["alice-1="] = true;
        aws.EventBridge.FailRequests(1000, 500, "InternalException", "bus down");

        using var response = await aws.DeliverAsync(Batch(["alice-1=", "bob-1="]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, report.GetProperty("delivered").GetInt32());
        Assert.Equal(["alice-1="], report.GetProperty("gone").EnumerateArray().Select(e => e.GetString()));
        var failure = Assert.Single(report.GetProperty("failed").EnumerateArray());
        Assert.Equal("alice-1=", failure.GetProperty("connectionId").GetString());
        Assert.Contains("removing it failed", failure.GetProperty("error").GetString());
        Assert.Single(aws.ApiGateway.Received("bob-1="));
    }

    [Fact]
    public async Task OneFailingConnectionIsReportedWithoutFailingTheOthers()
    {
        await using var aws = await AwsModeApp.StartAsync();
        aws.ApiGateway.Failing["broken="] = true;
        aws.ApiGateway.Forbidden["denied="] = true;

        using var response = await aws.DeliverAsync(Batch(["ok-1=", "broken=", "denied=", "ok-2="]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, report.GetProperty("delivered").GetInt32());
        var failed = report.GetProperty("failed").EnumerateArray()
            .ToDictionary(f => f.GetProperty("connectionId").GetString()!, f => f.GetProperty("error").GetString()!);
        Assert.Equal(["broken=", "denied="], failed.Keys.Order());
        Assert.Contains("500", failed["broken="]);
        Assert.Contains("403", failed["denied="]);
        Assert.Single(aws.ApiGateway.Received("ok-1="));
        Assert.Single(aws.ApiGateway.Received("ok-2="));
    }

    [Fact]
    public async Task A429StormIsRetriedAndTheFrameFinallyDelivered()
    {
        await using var aws = await AwsModeApp.StartAsync();
        aws.ApiGateway.Throttle("busy=", 4);

        using var response = await aws.DeliverAsync(Batch(["busy=", "calm="]));

        var report = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, report.GetProperty("delivered").GetInt32());
        Assert.Equal(5, aws.ApiGateway.CallsFor("busy="));
        Assert.Single(aws.ApiGateway.Received("busy="));
    }

    [Fact]
    public async Task ALargeBatchIsPostedConcurrentlyButNeverMoreThanSixteenAtOnce()
    {
        await using var aws = await AwsModeApp.StartAsync();
        aws.ApiGateway.PostDelay = TimeSpan.FromMilliseconds(100);
        var ids = Enumerable.Range(1, 48).Select(i => $"c-{i}=").ToArray();

        using var response = await aws.DeliverAsync(Batch(ids));

        var report = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(48, report.GetProperty("delivered").GetInt32());
        Assert.InRange(aws.ApiGateway.MaxConcurrentPosts, 2, 16);
    }

    public static TheoryData<string, string> MalformedPayloads => new()
    {
        { "not json", "not JSON" },
        { "[]", "JSON object" },
        { """{"chatDemo":"other","room":"lobby","frame":{},"connectionIds":["a="]}""", "chatDemo" },
        { """{"chatDemo":"deliver","frame":{},"connectionIds":["a="]}""", "room" },
        { """{"chatDemo":"deliver","room":"lobby","frame":"{}","connectionIds":["a="]}""", "frame" },
        { """{"chatDemo":"deliver","room":"lobby","frame":{},"exceptConnectionId":5,"connectionIds":["a="]}""", "exceptConnectionId" },
        { """{"chatDemo":"deliver","room":"lobby","frame":{},"traceparent":{},"connectionIds":["a="]}""", "traceparent" },
        { """{"chatDemo":"deliver","room":"lobby","frame":{}}""", "connectionIds" },
        { """{"chatDemo":"deliver","room":"lobby","frame":{},"connectionIds":["a=",3]}""", "connectionIds" },
        { """{"chatDemo":"deliver","room":"lobby","frame":{},"connectionIds":[""]}""", "connectionIds" },
    };

    [Theory]
    [MemberData(nameof(MalformedPayloads))]
    public async Task AMalformedDeliveryPayloadIsA400ProblemAndPostsNothing(string payload, string named)
    {
        await using var aws = await AwsModeApp.StartAsync();

        using var response = await aws.App.Http.PostAsync(InternalRoutes.Deliver, new StringContent(payload, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(named, problem.GetProperty("detail").GetString());
        Assert.Empty(aws.ApiGateway.Calls);
    }

    private static string Normalize(string json) => JsonSerializer.Serialize(JsonDocument.Parse(json).RootElement);
}
