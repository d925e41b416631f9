using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using ChatDemo.Web.Tests.Lambda;
using ChatDemo.Web.Tests.TestInfrastructure;

namespace ChatDemo.Web.Tests.EndToEnd;

/// <summary>
/// The rooms API of protocol.md section 11 through API Gateway events to the app in Lambda mode on
/// an <see cref="AwsLambdaStack"/>: REST calls as HTTP API events (the session as
/// <c>Authorization: Bearer</c>), connects as <c>$connect</c> events with the room and token in the
/// query, frames as MESSAGE events on the route API Gateway selects by their <c>action</c>.
/// </summary>
public sealed class LambdaRoomsClient(AwsLambdaStack stack) : IRoomsClient
{
    public AwsLambdaStack Stack => stack;

    public TestSession Member(string name, bool admin = false, string? userId = null) =>
        RoomsClient.MintMember(stack.App.Services, name, admin, userId);

    public async Task<TestSession> GuestAsync(string name)
    {
        var session = await ApiGatewayWebSocketTests.CreateSessionAsync(stack.App, name);
        return new TestSession(session.UserId, name, session.Token);
    }

    /// <summary>A REST call through the HTTP API; <paramref name="path"/> may carry a query string.</summary>
    public async Task<ProxyResult> RestAsync(string method, string path, TestSession? as_ = null, object? body = null)
    {
        var headers = new Dictionary<string, string>
        {
            ["content-type"] = "application/json",
            ["host"] = "id.execute-api.us-east-1.amazonaws.com",
        };
        if (as_ is not null) headers["authorization"] = "Bearer " + as_.Token;
        var query = path.IndexOf('?');
        var result = await stack.App.InvokeAsync(Events.HttpApiV2(method,
            query < 0 ? path : path[..query], query < 0 ? "" : path[(query + 1)..],
            body: body is null ? null : JsonSerializer.Serialize(body), headers: headers));
        return result.Proxy;
    }

    /// <summary>The JSON of a successful answer with the expected status; fails the test otherwise.</summary>
    public async Task<JsonElement> JsonAsync(string method, string path, TestSession? as_, object? body, int status) =>
        IsJson(await RestAsync(method, path, as_, body), status);

    public Task<JsonElement> CreateRoomAsync(TestSession owner, string room, string visibility = "private", string? title = null) =>
        JsonAsync("POST", "/api/rooms", owner, new { room, visibility, title }, 201);

    public async Task<string> InviteAsync(TestSession by, string room, int? maxUses = null, int? expiresInSeconds = null) =>
        (await JsonAsync("POST", $"/api/rooms/{room}/invites", by, new { maxUses, expiresInSeconds }, 201)).GetProperty("invite").GetString()!;

    public Task JoinedAsync(TestSession who, string room, string invite) =>
        JsonAsync("POST", $"/api/rooms/{room}/join", who, new { invite }, 200);

    public Task SetRoleAsync(TestSession by, string room, string userId, string role) =>
        JsonAsync("PUT", $"/api/rooms/{room}/members/{userId}", by, new { role }, 200);

    public Task<ProxyResult> ModerateAsync(TestSession by, string room, string action, string userId, long? durationSeconds = null) =>
        RestAsync("POST", $"/api/rooms/{room}/moderation", by, new { action, userId, durationSeconds });

    /// <summary>The caller's list of rooms, by name.</summary>
    public async Task<Dictionary<string, JsonElement>> ListAsync(TestSession? as_) =>
        (await JsonAsync("GET", "/api/rooms", as_, null, 200)).GetProperty("rooms").EnumerateArray()
            .ToDictionary(r => r.GetProperty("room").GetString()!);

    /// <summary>API Gateway's <c>$connect</c> for <paramref name="who"/>, as the page sends it.</summary>
    public async Task<ProxyResult> ConnectAsync(TestSession who, string room, string connectionId) =>
        (await stack.App.InvokeAsync(Events.WebSocketConnect(connectionId,
            new Dictionary<string, string> { ["room"] = room, ["token"] = who.Token }))).Proxy;

    /// <summary>A <c>$connect</c> that must be accepted; returns its new connection id.</summary>
    public async Task<string> ConnectedAsync(TestSession who, string room)
    {
        var connectionId = NewConnectionId();
        var answer = await ConnectAsync(who, room, connectionId);
        Assert.True(answer.StatusCode == 200, $"$connect of {who.Name} to {room} answered {answer.StatusCode}: {answer.Body}");
        return connectionId;
    }

    /// <summary>
    /// The MESSAGE event for a frame the client sent, on the route API Gateway's route selection
    /// (<c>$request.body.action</c>) picks for it in the template: the frame's own action.
    /// </summary>
    public Task SendFrameAsync(string connectionId, object frame)
    {
        var action = JsonSerializer.SerializeToElement(frame).GetProperty("action").GetString()!;
        return stack.SendAsync(connectionId, frame, action);
    }

    /// <summary>A fresh id in the shape of API Gateway's (16 characters of base64, URL-safe here).</summary>
    public static string NewConnectionId() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(11)).Replace('+', 'A').Replace('/', 'B');

    public static JsonElement IsJson(ProxyResult answer, int status)
    {
        Assert.True(status == answer.StatusCode, $"expected {status}, got {answer.StatusCode}: {answer.Body}");
        Assert.Equal("application/json", MediaType(answer));
        return answer.BodyJson;
    }

    public static JsonElement IsProblem(ProxyResult answer, int status) =>
        ProblemAssert.IsProblem(answer.StatusCode, MediaType(answer), answer.Body ?? "", status);

    /// <summary>
    /// A refused <c>$connect</c>: the status and the problem body. The function writes a WebSocket
    /// route's answer without headers (API Gateway refuses the upgrade with the status), so no media type.
    /// </summary>
    public static JsonElement IsConnectRefusal(ProxyResult answer, int status) =>
        ProblemAssert.IsProblemBody(answer.StatusCode, answer.Body ?? "", status);

    private static string? MediaType(ProxyResult answer) =>
        answer.Header("content-type") is { } type ? MediaTypeHeaderValue.Parse(type).MediaType : null;
}
