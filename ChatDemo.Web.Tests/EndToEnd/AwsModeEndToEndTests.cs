using System.Text.Json;
using System.Text.Json.Nodes;
using ChatDemo.Web.Tests.Aws;
using ChatDemo.Web.Tests.Lambda;

namespace ChatDemo.Web.Tests.EndToEnd;

/// <summary>
/// The AWS path end to end on <see cref="AwsLambdaStack"/>: WebSocket events into the function,
/// room events onto the bus, the workflow's delivery invocation, frames out through
/// PostToConnection, state in DynamoDB.
/// </summary>
[Collection(LambdaCollection.Name)]
public sealed class AwsModeEndToEndTests
{
    // Shaped like API Gateway's: base64 with '=', which the management path must encode exactly.
    private const string Alice = "L0SM9cOFvHcCIhw=";
    private const string Bob = "L0SNBdDUvHcCE5g=";

    [Fact]
    public async Task TwoUsersConnectOneSendsAndTheDeliveryInvocationBringsTheMessageToBothConnectionsOnce()
    {
        await using var stack = await AwsLambdaStack.StartAsync();
        await stack.ConnectAsync(Alice, "Alice");
        await stack.ConnectAsync(Bob, "Bob");
        Assert.Equal(["online", "online"], stack.Published("presence").Select(Status));

        await stack.SendAsync(Alice, new { action = "sendMessage", clientMessageId = "c-1", text = "hello from Lambda" }, "sendMessage");

        // The sender's ack went to its connection before the invocation returned.
        var ack = Assert.Single(stack.Received(Alice, "ack"));
        Assert.Equal(("c-1", 1L), (ack.GetProperty("clientMessageId").GetString(), ack.GetProperty("seq").GetInt64()));
        var published = Assert.Single(stack.Published("message"));
        Assert.Equal(("chatdemo", "chatdemo.room-event", AwsModeApp.BusName), (published.Source, published.DetailType, published.EventBusName));
        Assert.Equal("lobby", published.Detail.GetProperty("room").GetString());
        Assert.Equal(JsonValueKind.Null, published.Detail.GetProperty("exceptConnectionId").ValueKind);
        var frame = published.Detail.GetProperty("frame");
        Assert.Equal(("message", "lobby", 1L, "c-1", "hello from Lambda", "Alice"),
            (frame.GetProperty("type").GetString(), frame.GetProperty("room").GetString(), frame.GetProperty("seq").GetInt64(),
             frame.GetProperty("clientMessageId").GetString(), frame.GetProperty("text").GetString(),
             frame.GetProperty("sender").GetProperty("name").GetString()));
        // Room events reach connections only through the workflow's delivery.
        Assert.Empty(stack.ApiGateway.Received(Bob));
        Assert.Equal([Alice, Bob], (await stack.RoomConnectionIdsAsync("lobby")).Order(StringComparer.Ordinal));

        var report = await stack.DeliverAsync(published);

        Assert.Equal(2, report.GetProperty("delivered").GetInt32());
        Assert.Empty(report.GetProperty("gone").EnumerateArray());
        Assert.Empty(report.GetProperty("failed").EnumerateArray());
        foreach (var connection in new[] { Alice, Bob })
        {
            var received = Assert.Single(stack.Received(connection, "message"));
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(frame.GetRawText()), JsonNode.Parse(received.GetRawText())),
                $"{connection} received {received} instead of the event's frame {frame}");
        }
    }

    [Fact]
    public async Task AConnectionAnswering410IsRemovedFromDynamoDbAndItsUserIsAnnouncedOfflineOnTheBus()
    {
        await using var stack = await AwsLambdaStack.StartAsync();
        await stack.ConnectAsync(Alice, "Alice");
        var bobUserId = await stack.ConnectAsync(Bob, "Bob");
        await stack.SendAsync(Alice, new { action = "sendMessage", clientMessageId = "c-1", text = "anyone there?" }, "sendMessage");
        stack.ApiGateway.Gone[Bob] = true;

        var report = await stack.DeliverAsync(Assert.Single(stack.Published("message")));

        Assert.Equal(1, report.GetProperty("delivered").GetInt32());
        Assert.Equal([Bob], report.GetProperty("gone").EnumerateArray().Select(g => g.GetString()));
        Assert.Empty(report.GetProperty("failed").EnumerateArray());
        Assert.Single(stack.Received(Alice, "message"));
        Assert.Empty(stack.Received(Bob, "message"));
        Assert.Null(await stack.Store.GetConnectionAsync(Bob, CancellationToken.None));
        Assert.Equal([Alice], await stack.RoomConnectionIdsAsync("lobby"));
        var offline = Assert.Single(stack.Published("presence"), e => Status(e) == "offline");
        Assert.Equal(bobUserId, offline.Detail.GetProperty("frame").GetProperty("user").GetProperty("id").GetString());
        Assert.Equal(("lobby", JsonValueKind.Null),
            (offline.Detail.GetProperty("room").GetString(), offline.Detail.GetProperty("exceptConnectionId").ValueKind));
    }

    [Fact]
    public async Task AThrottlingStormOnPostToConnectionIsRetriedUntilEachConnectionHasTheFrameOnce()
    {
        await using var stack = await AwsLambdaStack.StartAsync();
        await stack.ConnectAsync(Alice, "Alice");
        await stack.ConnectAsync(Bob, "Bob");
        await stack.SendAsync(Alice, new { action = "sendMessage", clientMessageId = "c-1", text = "storm" }, "sendMessage");
        var callsBefore = new[] { Alice, Bob }.ToDictionary(c => c, stack.ApiGateway.CallsFor);
        // Five 429s each: only the last of the client's six attempts gets through.
        stack.ApiGateway.Throttle(Alice, 5);
        stack.ApiGateway.Throttle(Bob, 5);

        var report = await stack.DeliverAsync(Assert.Single(stack.Published("message")));

        Assert.Equal(2, report.GetProperty("delivered").GetInt32());
        Assert.Empty(report.GetProperty("failed").EnumerateArray());
        Assert.Empty(report.GetProperty("gone").EnumerateArray());
        foreach (var connection in new[] { Alice, Bob })
        {
            Assert.Single(stack.Received(connection, "message"));
            Assert.Equal(6, stack.ApiGateway.CallsFor(connection) - callsBefore[connection]);
            Assert.NotNull(await stack.Store.GetConnectionAsync(connection, CancellationToken.None));
        }
    }

    private static string? Status(PutEvent e) => e.Detail.GetProperty("frame").GetProperty("status").GetString();
}
