using System.Text.Json;
using ChatDemo.Web.Chat;
using ChatDemo.Web.Configuration;
using ChatDemo.Web.Storage.DynamoDb;
using ChatDemo.Web.Tests.Lambda;
using ChatDemo.Web.Tests.TestInfrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ChatDemo.Web.Tests.EndToEnd;

/// <summary>
/// The send budget per user and room in AWS mode (protocol.md 11.7, 11.8) through API Gateway
/// events on <see cref="AwsLambdaStack"/>: kept in DynamoDB (dynalite), so it holds across a user's
/// connections, across reconnects and across instances of the function; refused frames get the
/// <c>rate_limited</c> error posted back and are neither stored nor published; a connection that
/// keeps flooding is closed with <c>DeleteConnection</c>. The app's clock is a
/// <see cref="FakeTimeProvider"/> shared by the instances, so the counts are exact on a busy machine.
/// </summary>
[Collection(LambdaCollection.Name)]
public sealed class SendBudgetAwsModeTests
{
    private const string Tab1 = "L0SM9cOFvHcCIhw=";
    private const string Tab2 = "L0SNBdDUvHcCE5g=";
    private const string Tab3 = "L0SNc3pLvHcCHrw=";
    private const string BobTab = "L0SNBdDUvHcCE6h=";
    private const int Burst = 4;

    private static readonly Dictionary<string, string?> Limits = new()
    {
        ["Chat:Limits:SendBurst"] = Burst.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Chat:Limits:SendPerSecond"] = "1",
        ["Chat:Limits:FloodStrikes"] = "3",
        ["Chat:Limits:FloodWindowSeconds"] = "10",
    };

    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    private Task<AwsLambdaStack> StartAsync() =>
        AwsLambdaStack.StartAsync(services => services.AddSingleton<TimeProvider>(_time), Limits);

    [Fact]
    public async Task TwoConnectionsOfOneUserOnTwoInstancesOfTheFunctionShareOneBurstAndTheRefusalIsNeitherStoredNorPublished()
    {
        await using var stack = await StartAsync();
        var other = await stack.StartAnotherInstanceAsync();
        var alice = await new LambdaRoomsClient(stack).GuestAsync("Alice");
        await ConnectedAsync(stack, alice, "lobby", Tab1);
        await ConnectedAsync(stack, alice, "lobby", Tab2);

        for (var i = 0; i < 2; i++) await SendAsync(stack.App, Tab1, $"a-{i}");
        for (var i = 0; i < 3; i++) await SendAsync(other, Tab2, $"b-{i}");

        Assert.Equal(["a-0", "a-1"], Ids(stack.Received(Tab1, "ack")));
        Assert.Equal(["b-0", "b-1"], Ids(stack.Received(Tab2, "ack")));
        var refusal = Assert.Single(stack.Received(Tab2, "error"));
        Assert.Equal(("rate_limited", "b-2"), (refusal.Str("code"), refusal.Str("clientMessageId")));
        Assert.Equal(Burst, stack.Published("message").Count);
        Assert.Equal(Burst, await HistoryCountAsync(stack, "lobby"));
    }

    [Fact]
    public async Task AReconnectGetsNoFreshBurstWhileAnotherUserAndTheSameUserInAnotherRoomHaveTheirOwn()
    {
        await using var stack = await StartAsync();
        var alice = await new LambdaRoomsClient(stack).GuestAsync("Alice");
        var bob = await new LambdaRoomsClient(stack).GuestAsync("Bob");
        await ConnectedAsync(stack, alice, "lobby", Tab1);
        for (var i = 0; i < Burst; i++) await SendAsync(stack.App, Tab1, $"a-{i}");
        Assert.Equal(Burst, stack.Received(Tab1, "ack").Count);
        Assert.Equal(200, (await stack.App.InvokeAsync(Events.WebSocketDisconnect(Tab1))).Proxy.StatusCode);

        await ConnectedAsync(stack, alice, "lobby", Tab2);
        await SendAsync(stack.App, Tab2, "again");
        Assert.Empty(stack.Received(Tab2, "ack"));
        Assert.Equal("rate_limited", Assert.Single(stack.Received(Tab2, "error")).Str("code"));

        await ConnectedAsync(stack, bob, "lobby", BobTab);
        await ConnectedAsync(stack, alice, "garden", Tab3);
        for (var i = 0; i < Burst; i++)
        {
            await SendAsync(stack.App, BobTab, $"b-{i}");
            await SendAsync(stack.App, Tab3, $"g-{i}");
        }
        Assert.Equal(Burst, stack.Received(BobTab, "ack").Count);
        Assert.Equal(Burst, stack.Received(Tab3, "ack").Count);
        Assert.Empty(stack.Received(BobTab, "error"));
        Assert.Empty(stack.Received(Tab3, "error"));
    }

    [Fact]
    public async Task TheBudgetRefillsAtTheRateUpToTheBurst()
    {
        await using var stack = await StartAsync();
        var alice = await new LambdaRoomsClient(stack).GuestAsync("Alice");
        await ConnectedAsync(stack, alice, "lobby", Tab1);
        for (var i = 0; i <= Burst; i++) await SendAsync(stack.App, Tab1, $"a-{i}");
        Assert.Equal((Burst, 1), (stack.Received(Tab1, "ack").Count, stack.Received(Tab1, "error").Count));

        // One a second: a second later, one more.
        _time.Advance(TimeSpan.FromSeconds(1));
        await SendAsync(stack.App, Tab1, "b-0");
        await SendAsync(stack.App, Tab1, "b-1");
        Assert.Equal(["b-0"], Ids(stack.Received(Tab1, "ack")).Where(id => id.StartsWith("b-", StringComparison.Ordinal)));

        // A minute later the bucket is full: the burst, and no more.
        _time.Advance(TimeSpan.FromMinutes(1));
        for (var i = 0; i <= Burst; i++) await SendAsync(stack.App, Tab1, $"c-{i}");
        Assert.Equal(Burst, Ids(stack.Received(Tab1, "ack")).Count(id => id.StartsWith("c-", StringComparison.Ordinal)));
        Assert.Equal(["a-4", "b-1", $"c-{Burst}"], Ids(stack.Received(Tab1, "error")));
    }

    [Fact]
    public async Task EditsReactionsAndDeletesSpendTheSameBudgetAndARefusedChangeChangesNothing()
    {
        await using var stack = await StartAsync();
        var alice = await new LambdaRoomsClient(stack).GuestAsync("Alice");
        await ConnectedAsync(stack, alice, "lobby", Tab1);
        await ConnectedAsync(stack, alice, "lobby", Tab2);

        await SendAsync(stack.App, Tab1, "c-1");
        await stack.SendAsync(Tab2, new { action = "react", seq = 1, emoji = "👍", op = "add", clientMessageId = "r-1" }, "react");
        await stack.SendAsync(Tab1, new { action = "editMessage", seq = 1, text = "edited", clientMessageId = "e-1" }, "editMessage");
        await stack.SendAsync(Tab2, new { action = "react", seq = 1, emoji = "🎉", op = "add", clientMessageId = "r-2" }, "react");
        await stack.SendAsync(Tab1, new { action = "deleteMessage", seq = 1, clientMessageId = "d-1" }, "deleteMessage");

        Assert.Equal(["e-1"], Ids(stack.Received(Tab1, "updateAck")));
        Assert.Equal(["r-1", "r-2"], Ids(stack.Received(Tab2, "updateAck")));
        var refusal = Assert.Single(stack.Received(Tab1, "error"));
        Assert.Equal(("rate_limited", "d-1"), (refusal.Str("code"), refusal.Str("clientMessageId")));
        Assert.Equal(3, stack.Published("messageUpdated").Count);
        var stored = await stack.GetMessageAsync("lobby", 1);
        Assert.Equal("edited", stored.Str("text"));
        Assert.False(stored.TryGetProperty("deleted", out _));
    }

    [Fact]
    public async Task AConnectionThatKeepsFloodingIsClosedWithDeleteConnectionAndForgottenWhileTheUsersOtherTabStays()
    {
        await using var stack = await StartAsync();
        var alice = await new LambdaRoomsClient(stack).GuestAsync("Alice");
        await ConnectedAsync(stack, alice, "lobby", Tab1);
        await ConnectedAsync(stack, alice, "lobby", Tab2);
        for (var i = 0; i < Burst; i++) await SendAsync(stack.App, Tab1, $"a-{i}");

        await SendAsync(stack.App, Tab1, "x-1");
        await SendAsync(stack.App, Tab1, "x-2");
        Assert.Empty(stack.ApiGateway.Deleted);
        await SendAsync(stack.App, Tab1, "x-3");

        Assert.Equal(["x-1", "x-2", "x-3"], Ids(stack.Received(Tab1, "error")));
        Assert.Equal([Tab1], stack.ApiGateway.Deleted);
        Assert.Null(await stack.Store.GetConnectionAsync(Tab1, default));
        Assert.Equal([Tab2], await stack.RoomConnectionIdsAsync("lobby"));
        // Its user is still online through the other tab: no offline announced.
        Assert.DoesNotContain(stack.Published("presence"), e => e.Detail.GetProperty("frame").GetProperty("status").GetString() == "offline");

        // A frame that was already on its way finds the connection forgotten: 410, nothing handled.
        var late = await stack.App.InvokeAsync(Events.WebSocketMessage(Tab1, "sendMessage",
            JsonSerializer.Serialize(new { action = "sendMessage", clientMessageId = "x-4", text = "late" })));
        Assert.Equal(410, late.Proxy.StatusCode);
        Assert.Equal(Burst, stack.Published("message").Count);
    }

    [Fact]
    public async Task ABudgetDynamoDbCannotUpdateRefusesTheFrameWithInternalAndStoresNothingAndTheResendGoesThrough()
    {
        // The budgets on a client of their own whose next request can be made to fail, on the stack's tables.
        var faults = new FaultInjectingHttpClientFactory();
        using var client = await Dynalite.CreateClientAsync(config =>
        {
            config.HttpClientFactory = faults;
            config.MaxErrorRetry = 0;
        });
        await using var stack = await AwsLambdaStack.StartAsync(services =>
        {
            services.AddSingleton<TimeProvider>(_time);
            services.AddSingleton<IStoredSendBudgets>(sp => new DynamoDbSendBudgets(
                client, sp.GetRequiredService<DynamoDbTableNames>(), new ConnectionLimitOptions { SendBurst = Burst, SendPerSecond = 1 }, _time));
        }, Limits);
        var alice = await new LambdaRoomsClient(stack).GuestAsync("Alice");
        await ConnectedAsync(stack, alice, "lobby", Tab1);

        faults.FailRequest(1, InjectedFault.BeforeSending);
        await SendAsync(stack.App, Tab1, "c-1");

        var refusal = Assert.Single(stack.Received(Tab1, "error"));
        Assert.Equal(("internal", "c-1"), (refusal.Str("code"), refusal.Str("clientMessageId")));
        Assert.Empty(stack.Received(Tab1, "ack"));
        Assert.Empty(stack.Published("message"));
        Assert.Equal(0, await HistoryCountAsync(stack, "lobby"));

        await SendAsync(stack.App, Tab1, "c-1");
        Assert.Equal(["c-1"], Ids(stack.Received(Tab1, "ack")));
    }

    private static async Task ConnectedAsync(AwsLambdaStack stack, TestSession who, string room, string connectionId) =>
        Assert.Equal(200, (await new LambdaRoomsClient(stack).ConnectAsync(who, room, connectionId)).StatusCode);

    private static Task SendAsync(LambdaApp instance, string connectionId, string clientMessageId) =>
        AwsLambdaStack.SendAsync(instance, connectionId, new { action = "sendMessage", clientMessageId, text = "hi " + clientMessageId }, "sendMessage");

    private static List<string> Ids(IEnumerable<JsonElement> frames) => frames.Select(f => f.Str("clientMessageId")).ToList();

    private static async Task<int> HistoryCountAsync(AwsLambdaStack stack, string room)
    {
        var answer = (await stack.App.InvokeAsync(Events.HttpApiV2("GET", $"/api/rooms/{room}/messages"))).Proxy;
        Assert.Equal(200, answer.StatusCode);
        return answer.BodyJson.GetProperty("messages").GetArrayLength();
    }
}
