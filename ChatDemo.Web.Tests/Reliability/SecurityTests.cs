using System.Buffers.Text;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ChatDemo.Web.Tests.TestInfrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace ChatDemo.Web.Tests.Reliability;

public sealed class SecurityTests
{
    private const int Unauthorized = 401;

    [Fact]
    public async Task ATokenSignedWithAnotherKeyIsRefused()
    {
        await using var app = await ChatApp.StartAsync();
        var forged = Token(new { u = "u_admin", n = "Admin", e = FutureExpiry() }, "another-key-of-at-least-32-characters-long!!");

        Assert.Equal(Unauthorized, await ChatSocket.TryConnectAsync(app.WebSocketUri("lobby", forged)));
    }

    [Fact]
    public async Task ATokenWhosePayloadWasAlteredIsRefused()
    {
        await using var app = await ChatApp.StartAsync();
        var session = await app.CreateSessionAsync("Mallory");
        var parts = session.Token.Split('.');
        var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1])).RootElement;
        var altered = JsonSerializer.SerializeToUtf8Bytes(new { u = "u_victim", n = "Victim", e = payload.GetProperty("e").GetInt64() });
        var tampered = $"{parts[0]}.{Base64Url.EncodeToString(altered)}.{parts[2]}";
        var flippedSignature = $"{parts[0]}.{parts[1]}.{Flip(parts[2])}";

        Assert.Equal(Unauthorized, await ChatSocket.TryConnectAsync(app.WebSocketUri("lobby", tampered)));
        Assert.Equal(Unauthorized, await ChatSocket.TryConnectAsync(app.WebSocketUri("lobby", flippedSignature)));
        Assert.Equal(Unauthorized, await ChatSocket.TryConnectAsync(app.WebSocketUri("lobby", $"{parts[0]}.{parts[1]}")));
        Assert.Equal(Unauthorized, await ChatSocket.TryConnectAsync(app.WebSocketUri("lobby", $"{parts[0]}.{parts[1]}.")));
        Assert.Equal(Unauthorized, await ChatSocket.TryConnectAsync(app.WebSocketUri("lobby", $"v2.{parts[1]}.{parts[2]}")));
        Assert.Equal(101, await ChatSocket.TryConnectAsync(app.WebSocketUri("lobby", session.Token)));
    }

    [Fact]
    public async Task AnExpiredTokenSignedWithTheRightKeyIsRefused()
    {
        await using var app = await ChatApp.StartAsync();
        var expired = Token(new { u = "u_1", n = "Old", e = DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds() }, ChatApp.TestSigningKey);
        var valid = Token(new { u = "u_1", n = "Old", e = FutureExpiry() }, ChatApp.TestSigningKey);

        Assert.Equal(Unauthorized, await ChatSocket.TryConnectAsync(app.WebSocketUri("lobby", expired)));
        // The same token with a future expiry is accepted: the refusal above is the expiry's doing.
        Assert.Equal(101, await ChatSocket.TryConnectAsync(app.WebSocketUri("lobby", valid)));
    }

    [Fact]
    public async Task SenderFieldsInASendMessageFrameDoNotChangeTheStoredSender()
    {
        await using var app = await ChatApp.StartAsync();
        var (victim, victimSocket) = await app.JoinAsync("Victim");
        await using var _ = victimSocket;
        var (mallory, socket) = await app.JoinAsync("Mallory");
        await using var __ = socket;

        await socket.SendJsonAsync(new
        {
            action = "sendMessage",
            clientMessageId = "c-1",
            text = "I am the victim",
            sender = new { id = victim.UserId, name = victim.Name },
            userId = victim.UserId,
            user = new { id = victim.UserId, name = victim.Name },
            name = victim.Name,
            id = "m_forged",
            seq = 999,
            room = "elsewhere",
            sentAt = "2000-01-01T00:00:00.000Z",
        });
        var ack = await socket.WaitForAsync("ack");

        var seen = await victimSocket.WaitForAsync("message");
        var stored = Assert.Single((await app.GetJsonAsync("/api/rooms/lobby/messages")).GetProperty("messages").EnumerateArray());
        foreach (var message in new[] { seen, stored })
        {
            Assert.Equal(mallory.UserId, message.GetProperty("sender").GetProperty("id").GetString());
            Assert.Equal("Mallory", message.GetProperty("sender").GetProperty("name").GetString());
            Assert.Equal("lobby", message.GetProperty("room").GetString());
            Assert.Equal(1, message.GetProperty("seq").GetInt64());
            Assert.Equal(ack.GetProperty("id").GetString(), message.GetProperty("id").GetString());
            Assert.NotEqual("2000-01-01T00:00:00.000Z", message.GetProperty("sentAt").GetString());
        }
        Assert.Empty((await app.GetJsonAsync("/api/rooms/elsewhere/messages")).GetProperty("messages").EnumerateArray());
    }

    [Fact]
    public async Task AForeignOriginIsRefusedAndAConfiguredOneAccepted()
    {
        await using var app = await ChatApp.StartAsync(new Dictionary<string, string?> { ["Chat:AllowedOrigins"] = "https://chat.example" });
        var session = await app.CreateSessionAsync();
        var uri = app.WebSocketUri("lobby", session.Token);

        Assert.Equal(403, await ChatSocket.TryConnectAsync(uri, "https://evil.example"));
        Assert.Equal(403, await ChatSocket.TryConnectAsync(uri, "https://chat.example.evil.example"));
        Assert.Equal(403, await ChatSocket.TryConnectAsync(uri, "http://chat.example"));
        Assert.Equal(403, await ChatSocket.TryConnectAsync(uri, "null"));
        Assert.Equal(101, await ChatSocket.TryConnectAsync(uri, "https://chat.example"));
        Assert.Equal(101, await ChatSocket.TryConnectAsync(uri, app.BaseUri.GetLeftPart(UriPartial.Authority)));
    }

    [Fact]
    public async Task ThePageIsServedWithItsSecurityHeaders()
    {
        await using var app = await ChatApp.StartAsync();

        using var response = await app.Http.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        var directives = csp.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .ToDictionary(d => d.Split(' ')[0], d => d);
        var scripts = directives.GetValueOrDefault("script-src") ?? directives["default-src"];
        Assert.DoesNotContain("'unsafe-inline'", scripts);
        Assert.DoesNotContain("'unsafe-eval'", scripts);
        Assert.DoesNotContain("*", scripts);
        Assert.Contains("'none'", directives["object-src"]);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Contains(Assert.Single(response.Headers.GetValues("Referrer-Policy")),
            new[] { "no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin" });
    }

    [Fact]
    public async Task NoTokenOrSigningKeyIsWrittenToTheLogsEvenAtDebugLevel()
    {
        var logs = new FakeLogCollector();
        await using var app = await ChatApp.StartLoggingAsync(logs, LogLevel.Debug);

        // A whole session: sign in, connect, chat, read, fail, reconnect after a restart, leave.
        var (session, socket) = await app.JoinAsync("Alice");
        await socket.SendMessageAsync("c-1", "hello");
        await socket.WaitForAsync("ack");
        await socket.SendTextAsync("not json");
        await socket.WaitForAsync("error");
        await app.GetJsonAsync("/api/rooms/lobby/messages");
        await app.GetJsonAsync("/api/rooms/lobby/presence");
        Assert.Equal(401, await ChatSocket.TryConnectAsync(app.WebSocketUri("lobby", session.Token + "x")));
        Assert.Equal(403, await ChatSocket.TryConnectAsync(app.WebSocketUri("lobby", session.Token), "https://evil.example"));
        await socket.DisposeAsync();
        await app.RestartAsync();
        await using (var again = await app.ConnectAsync(session))
        {
            await again.SendMessageAsync("c-2", "back");
            await again.WaitForAsync("ack");
        }

        var lines = logs.GetSnapshot().Select(r => r.Everything()).ToArray();
        Assert.NotEmpty(lines);
        var signature = session.Token.Split('.')[2];
        var payload = session.Token.Split('.')[1];
        var secrets = new[] { session.Token, payload, signature, Uri.EscapeDataString(session.Token), ChatApp.TestSigningKey,
            Convert.ToBase64String(Encoding.UTF8.GetBytes(ChatApp.TestSigningKey)) };
        foreach (var secret in secrets)
        {
            var leak = lines.FirstOrDefault(l => l.Contains(secret, StringComparison.Ordinal));
            Assert.True(leak is null, $"a secret was logged: {leak}");
        }
    }

    private static long FutureExpiry() => DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds();

    /// <summary>A token in the server's format (v1.payload.signature), signed with <paramref name="key"/>.</summary>
    private static string Token(object payload, string key)
    {
        var signed = "v1." + Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(payload));
        return signed + "." + Base64Url.EncodeToString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(signed)));
    }

    private static string Flip(string base64Url) => (base64Url[0] == 'A' ? "B" : "A") + base64Url[1..];
}
