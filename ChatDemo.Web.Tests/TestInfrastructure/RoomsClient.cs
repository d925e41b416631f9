using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ChatDemo.Web.Chat;
using ChatDemo.Web.Sessions;
using Microsoft.Extensions.DependencyInjection;

namespace ChatDemo.Web.Tests.TestInfrastructure;

/// <summary>
/// The rooms API of protocol.md section 11 over real HTTP, for tests: every call names the session
/// it acts for (sent as <c>Authorization: Bearer</c>) or none.
/// </summary>
public sealed class RoomsClient(ChatApp app) : IRoomsClient
{
    public ChatApp App => app;

    public TestSession Member(string name, bool admin = false, string? userId = null) => MintMember(app.Services, name, admin, userId);

    /// <summary>
    /// A member session minted by the app's own <see cref="SessionTokens"/> (its configured signing
    /// key), with the administrator claim when <paramref name="admin"/>: what signing in gives.
    /// </summary>
    public static TestSession MintMember(IServiceProvider services, string name, bool admin = false, string? userId = null)
    {
        var user = new ChatUser(userId ?? "u_" + Guid.NewGuid().ToString("N"), name);
        var token = services.GetRequiredService<SessionTokens>()
            .Issue(user, DateTimeOffset.UtcNow.AddHours(1), SessionKind.Member, admin);
        return new TestSession(user.Id, user.Name, token);
    }

    public Task<TestSession> GuestAsync(string name) => app.CreateSessionAsync(name);

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, TestSession? as_ = null, object? body = null, string? rawToken = null)
    {
        using var request = new HttpRequestMessage(method, path);
        var token = rawToken ?? as_?.Token;
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null) request.Content = JsonContent.Create(body);
        return await app.Http.SendAsync(request);
    }

    public Task<HttpResponseMessage> GetAsync(string path, TestSession? as_ = null) => SendAsync(HttpMethod.Get, path, as_);

    /// <summary>The JSON of a successful answer with the expected status; fails the test otherwise.</summary>
    public async Task<JsonElement> JsonAsync(HttpMethod method, string path, TestSession? as_, object? body, int status)
    {
        using var response = await SendAsync(method, path, as_, body);
        return await ProblemAssert.IsJsonAsync(response, status);
    }

    public Task<JsonElement> CreateRoomAsync(TestSession owner, string room, string visibility = "private", string? title = null) =>
        JsonAsync(HttpMethod.Post, "/api/rooms", owner, new { room, visibility, title }, 201);

    public async Task<string> InviteAsync(TestSession by, string room, int? maxUses = null, int? expiresInSeconds = null) =>
        (await JsonAsync(HttpMethod.Post, $"/api/rooms/{room}/invites", by, new { maxUses, expiresInSeconds }, 201)).GetProperty("invite").GetString()!;

    public Task<HttpResponseMessage> JoinAsync(TestSession who, string room, string invite) =>
        SendAsync(HttpMethod.Post, $"/api/rooms/{room}/join", who, new { invite });

    public async Task JoinedAsync(TestSession who, string room, string invite)
    {
        using var response = await JoinAsync(who, room, invite);
        await ProblemAssert.IsJsonAsync(response, 200);
    }

    public Task<HttpResponseMessage> ModerateAsync(TestSession by, string room, string action, string userId, long? durationSeconds = null, string? reason = null) =>
        SendAsync(HttpMethod.Post, $"/api/rooms/{room}/moderation", by, new { action, userId, durationSeconds, reason });

    public async Task<JsonElement> ModeratedAsync(TestSession by, string room, string action, string userId, long? durationSeconds = null)
    {
        using var response = await ModerateAsync(by, room, action, userId, durationSeconds);
        return await ProblemAssert.IsJsonAsync(response, 200);
    }

    public async Task SetRoleAsync(TestSession by, string room, string userId, string role)
    {
        using var response = await SendAsync(HttpMethod.Put, $"/api/rooms/{room}/members/{userId}", by, new { role });
        await ProblemAssert.IsJsonAsync(response, 200);
    }

    /// <summary>The caller's list of rooms, by name.</summary>
    public async Task<Dictionary<string, JsonElement>> ListAsync(TestSession? as_)
    {
        using var response = await GetAsync("/api/rooms", as_);
        var body = await ProblemAssert.IsJsonAsync(response, 200);
        return body.GetProperty("rooms").EnumerateArray().ToDictionary(r => r.GetProperty("room").GetString()!);
    }

    public async Task<ChatSocket> ConnectAsync(TestSession who, string room) => await app.ConnectAsync(who, room);

    /// <summary>The upgrade's HTTP answer, as a problem when refused.</summary>
    public Task<HttpResponseMessage> UpgradeAsync(TestSession who, string room) => app.SendUpgradeRequestAsync(room, who.Token);

    public static string NewRoom(string prefix = "r") => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(40, prefix.Length + 33)];
}
