using System.Text.Json;
using ChatDemo.Web.Chat;
using Microsoft.Extensions.DependencyInjection;

namespace ChatDemo.Web.Tests.Lambda;

/// <summary>
/// The API Gateway WebSocket routes in Lambda mode: the same chat logic as Kestrel's <c>/ws</c>,
/// with frames to the client recorded where PostToConnection would receive them.
/// </summary>
[Collection(LambdaCollection.Name)]
public sealed class ApiGatewayWebSocketTests
{
    private const string Connection = "BFHPhfCWIAMCKlQ=";

    [Fact]
    public async Task ConnectSendResendAndDisconnectRunTheChatLogicThroughTheSenderAndFanOut()
    {
        await using var app = await LambdaApp.StartAsync(testEndpoints: false);
        var session = await CreateSessionAsync(app, "Alice");

        var connect = await app.InvokeAsync(Events.WebSocketConnect(Connection, new Dictionary<string, string> { ["room"] = "lobby", ["token"] = session.Token }));
        Assert.Equal(200, connect.Json.GetProperty("statusCode").GetInt32());
        var store = app.Services.GetRequiredService<IChatStore>();
        Assert.NotNull(await store.GetConnectionAsync(Connection, CancellationToken.None));
        var online = Frame(Assert.Single(app.FanOut.Published, e => e.Kind == RoomEventKind.Presence));
        Assert.Equal("online", online.GetProperty("status").GetString());
        Assert.Equal(session.UserId, online.GetProperty("user").GetProperty("id").GetString());

        var send = """{"action":"sendMessage","clientMessageId":"c-1","text":"  hello\n"}""";
        var sent = await app.InvokeAsync(Events.WebSocketMessage(Connection, "sendMessage", send));
        Assert.Equal(200, sent.Json.GetProperty("statusCode").GetInt32());
        var ack = Sent(app, "ack").Single();
        Assert.Equal("c-1", ack.GetProperty("clientMessageId").GetString());
        Assert.Equal(1, ack.GetProperty("seq").GetInt64());
        Assert.False(ack.GetProperty("duplicate").GetBoolean());
        var message = Frame(Assert.Single(app.FanOut.Published, e => e.Kind == RoomEventKind.Message));
        Assert.Equal("hello", message.GetProperty("text").GetString());
        Assert.Equal("Alice", message.GetProperty("sender").GetProperty("name").GetString());

        await app.InvokeAsync(Events.WebSocketMessage(Connection, "sendMessage", send));
        var acks = Sent(app, "ack");
        Assert.Equal(2, acks.Length);
        Assert.True(acks[1].GetProperty("duplicate").GetBoolean());
        Assert.Equal(ack.GetProperty("id").GetString(), acks[1].GetProperty("id").GetString());
        Assert.Single(app.FanOut.Published, e => e.Kind == RoomEventKind.Message);

        var disconnect = await app.InvokeAsync(Events.WebSocketDisconnect(Connection));
        Assert.Equal(200, disconnect.Json.GetProperty("statusCode").GetInt32());
        Assert.Null(await store.GetConnectionAsync(Connection, CancellationToken.None));
        var presence = app.FanOut.Published.Where(e => e.Kind == RoomEventKind.Presence).Select(Frame).ToArray();
        Assert.Equal(["online", "offline"], presence.Select(p => p.GetProperty("status").GetString()));

        var history = (await app.InvokeAsync(Events.HttpApiV2("GET", "/api/rooms/lobby/messages"))).Proxy;
        Assert.Equal(200, history.StatusCode);
        Assert.Single(history.BodyJson.GetProperty("messages").EnumerateArray());
    }

    [Fact]
    public async Task PingTypingAndBadFramesOnMessageRoutesAnswerThroughTheSender()
    {
        await using var app = await LambdaApp.StartAsync(testEndpoints: false);
        await ConnectAsync(app, Connection, "Alice");

        await app.InvokeAsync(Events.WebSocketMessage(Connection, "ping", """{"action":"ping"}"""));
        Assert.Single(Sent(app, "pong"));

        await app.InvokeAsync(Events.WebSocketMessage(Connection, "typing", """{"action":"typing"}"""));
        var typing = Assert.Single(app.FanOut.Published, e => e.Kind == RoomEventKind.Typing);
        Assert.Equal(Connection, typing.ExceptConnectionId);

        await app.InvokeAsync(Events.WebSocketMessage(Connection, "$default", "not json"));
        Assert.Equal("invalid_json", Sent(app, "error").Single().GetProperty("code").GetString());

        await app.InvokeAsync(Events.WebSocketMessage(Connection, "$default", """{"action":"shout"}"""));
        Assert.Equal("unknown_action", Sent(app, "error")[1].GetProperty("code").GetString());
        Assert.All(app.Sender.Sent, s => Assert.Equal(Connection, s.ConnectionId));
    }

    [Fact]
    public async Task ConnectWithAForgedTokenIsRefusedWith401AndNothingIsStored()
    {
        await using var app = await LambdaApp.StartAsync(testEndpoints: false);
        var session = await CreateSessionAsync(app, "Alice");

        var result = await app.InvokeAsync(Events.WebSocketConnect(Connection,
            new Dictionary<string, string> { ["room"] = "lobby", ["token"] = session.Token[..^2] + "xx" }));

        Assert.Equal(401, result.Json.GetProperty("statusCode").GetInt32());
        Assert.Null(await app.Services.GetRequiredService<IChatStore>().GetConnectionAsync(Connection, CancellationToken.None));
        Assert.Empty(app.FanOut.Published);
    }

    [Fact]
    public async Task ConnectWithABadRoomIsRefusedWith400AndNothingIsStored()
    {
        await using var app = await LambdaApp.StartAsync(testEndpoints: false);
        var session = await CreateSessionAsync(app, "Alice");

        var result = await app.InvokeAsync(Events.WebSocketConnect(Connection,
            new Dictionary<string, string> { ["room"] = "no spaces!", ["token"] = session.Token }));

        Assert.Equal(400, result.Json.GetProperty("statusCode").GetInt32());
        Assert.Null(await app.Services.GetRequiredService<IChatStore>().GetConnectionAsync(Connection, CancellationToken.None));
        Assert.Empty(app.FanOut.Published);
    }

    [Fact]
    public async Task MessageAfterDisconnectAnswers410AndStoresNothing()
    {
        await using var app = await LambdaApp.StartAsync(testEndpoints: false);
        await ConnectAsync(app, Connection, "Alice");
        await app.InvokeAsync(Events.WebSocketDisconnect(Connection));

        var result = await app.InvokeAsync(Events.WebSocketMessage(Connection, "sendMessage",
            """{"action":"sendMessage","clientMessageId":"c-1","text":"late"}"""));

        Assert.Equal(410, result.Json.GetProperty("statusCode").GetInt32());
        Assert.Empty(app.Sender.Sent);
        Assert.DoesNotContain(app.FanOut.Published, e => e.Kind == RoomEventKind.Message);
    }

    internal static async Task<TestSessionToken> CreateSessionAsync(LambdaApp app, string name)
    {
        var created = (await app.InvokeAsync(Events.HttpApiV2("POST", "/api/sessions", body: JsonSerializer.Serialize(new { name })))).Proxy;
        Assert.Equal(201, created.StatusCode);
        var body = created.BodyJson;
        return new TestSessionToken(body.GetProperty("userId").GetString()!, body.GetProperty("token").GetString()!);
    }

    private static async Task ConnectAsync(LambdaApp app, string connectionId, string name)
    {
        var session = await CreateSessionAsync(app, name);
        var result = await app.InvokeAsync(Events.WebSocketConnect(connectionId, new Dictionary<string, string> { ["room"] = "lobby", ["token"] = session.Token }));
        Assert.Equal(200, result.Json.GetProperty("statusCode").GetInt32());
    }

    private static JsonElement[] Sent(LambdaApp app, string type) =>
        app.Sender.Sent.Select(s => JsonDocument.Parse(s.Frame).RootElement.Clone())
            .Where(f => f.GetProperty("type").GetString() == type)
            .ToArray();

    private static JsonElement Frame(RoomEvent roomEvent) => JsonDocument.Parse(roomEvent.Frame).RootElement.Clone();

    internal sealed record TestSessionToken(string UserId, string Token);
}
