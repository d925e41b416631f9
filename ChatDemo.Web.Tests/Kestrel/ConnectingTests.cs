using System.Net.WebSockets;
using System.Text;
using ChatDemo.Web.Chat;
using ChatDemo.Web.Sessions;
using ChatDemo.Web.Tests.TestInfrastructure;

namespace ChatDemo.Web.Tests.Kestrel;

public sealed class ConnectingTests(SharedChatApp shared) : IClassFixture<SharedChatApp>
{
    private ChatApp App => shared.App;

    private static string TokenSignedWith(string key, DateTimeOffset expiresAt) =>
        new SessionTokens(new SigningKey(Encoding.UTF8.GetBytes(key)), TimeProvider.System)
            .Issue(new ChatUser("u_" + Guid.NewGuid().ToString("N"), "Mallory"), expiresAt);

    [Fact]
    public async Task AValidRoomAndTokenWithoutOriginOpenTheSocket()
    {
        var session = await App.CreateSessionAsync();
        Assert.Equal(101, await ChatSocket.TryConnectAsync(App.WebSocketUri("lobby", session.Token)));
    }

    [Fact]
    public async Task TheSameOriginIsAllowed()
    {
        var session = await App.CreateSessionAsync();
        var origin = App.BaseUri.GetLeftPart(UriPartial.Authority);
        Assert.Equal(101, await ChatSocket.TryConnectAsync(App.WebSocketUri("lobby", session.Token), origin));
    }

    [Theory]
    [InlineData("https://evil.example.com")]
    [InlineData("null")]
    [InlineData("http://127.0.0.1.evil.example.com")]
    public async Task AForeignOriginIsForbidden(string origin)
    {
        var session = await App.CreateSessionAsync();
        using var response = await App.SendUpgradeRequestAsync("lobby", session.Token, origin);
        await ProblemAssert.IsProblemAsync(response, 403);
        Assert.Equal(403, await ChatSocket.TryConnectAsync(App.WebSocketUri("lobby", session.Token), origin));
    }

    [Fact]
    public async Task AnOtherSchemeOrPortOfTheSameHostIsForeign()
    {
        var session = await App.CreateSessionAsync();
        using var otherPort = await App.SendUpgradeRequestAsync("lobby", session.Token, $"http://127.0.0.1:{App.BaseUri.Port + 1}");
        await ProblemAssert.IsProblemAsync(otherPort, 403);
        using var otherScheme = await App.SendUpgradeRequestAsync("lobby", session.Token, $"https://127.0.0.1:{App.BaseUri.Port}");
        await ProblemAssert.IsProblemAsync(otherScheme, 403);
    }

    [Fact]
    public async Task OriginsInChatAllowedOriginsAreAllowed()
    {
        await using var app = await ChatApp.StartAsync(new Dictionary<string, string?>
        {
            ["Chat:AllowedOrigins"] = "https://chat.example.com, https://other.example.org/",
        });
        var session = await app.CreateSessionAsync();
        var uri = app.WebSocketUri("lobby", session.Token);
        Assert.Equal(101, await ChatSocket.TryConnectAsync(uri, "https://chat.example.com"));
        Assert.Equal(101, await ChatSocket.TryConnectAsync(uri, "https://other.example.org"));
        Assert.Equal(403, await ChatSocket.TryConnectAsync(uri, "https://evil.example.com"));
        Assert.Equal(403, await ChatSocket.TryConnectAsync(uri, "http://chat.example.com"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("lob by")]
    [InlineData("lobby!")]
    [InlineData("café")]
    [InlineData("lobby/x")]
    [InlineData("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-a")]
    public async Task AMissingOrBadRoomIsRefusedWith400(string? room)
    {
        var session = await App.CreateSessionAsync();
        using var response = await App.SendUpgradeRequestAsync(room, session.Token);
        await ProblemAssert.IsProblemAsync(response, 400);
        if (room is not null) Assert.Equal(400, await ChatSocket.TryConnectAsync(App.WebSocketUri(room, session.Token)));
    }

    [Fact]
    public async Task AMissingTokenIsRefusedWith401()
    {
        using var response = await App.SendUpgradeRequestAsync("lobby", token: null);
        await ProblemAssert.IsProblemAsync(response, 401);
        Assert.Equal(401, await ChatSocket.TryConnectAsync(App.WebSocketUri("lobby", null)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("v1.eyJ1IjoidV94IiwibiI6Ik1hbGxvcnkiLCJlIjo5OTk5OTk5OTk5OTk5fQ.AAAA")]
    public async Task AForgedTokenIsRefusedWith401(string token)
    {
        using var response = await App.SendUpgradeRequestAsync("lobby", token);
        await ProblemAssert.IsProblemAsync(response, 401);
    }

    [Fact]
    public async Task ATokenSignedWithAnotherKeyIsRefusedWith401()
    {
        var token = TokenSignedWith("some-other-key-that-the-server-does-not-know", DateTimeOffset.UtcNow.AddHours(1));
        using var response = await App.SendUpgradeRequestAsync("lobby", token);
        await ProblemAssert.IsProblemAsync(response, 401);
    }

    [Fact]
    public async Task AnAlteredTokenIsRefusedWith401()
    {
        var session = await App.CreateSessionAsync("Alice");
        var token = session.Token;
        // Change the payload (the claimed user) and, separately, the signature.
        var payloadChanged = token[..5] + (token[5] == 'A' ? 'B' : 'A') + token[6..];
        var signatureChanged = token[..^2] + (token[^2] == 'A' ? 'B' : 'A') + token[^1];
        foreach (var altered in new[] { payloadChanged, signatureChanged, token + "A", token[..^1] })
        {
            using var response = await App.SendUpgradeRequestAsync("lobby", altered);
            await ProblemAssert.IsProblemAsync(response, 401);
        }
    }

    [Fact]
    public async Task AnExpiredTokenIsRefusedWith401()
    {
        var token = TokenSignedWith(ChatApp.TestSigningKey, DateTimeOffset.UtcNow.AddSeconds(-1));
        using var response = await App.SendUpgradeRequestAsync("lobby", token);
        await ProblemAssert.IsProblemAsync(response, 401);
    }

    [Fact]
    public async Task AValidTokenSignedWithTheServersKeyIsAccepted()
    {
        // The counterpart of the expired-token test: the same token, unexpired, works.
        var token = TokenSignedWith(ChatApp.TestSigningKey, DateTimeOffset.UtcNow.AddHours(1));
        Assert.Equal(101, await ChatSocket.TryConnectAsync(App.WebSocketUri("lobby", token)));
    }

    [Fact]
    public async Task APlainGetOfTheWebSocketUrlIsABadRequestProblem()
    {
        var session = await App.CreateSessionAsync();
        using var response = await App.SendUpgradeRequestAsync("lobby", session.Token, upgrade: false);
        await ProblemAssert.IsProblemAsync(response, 400);
    }

    [Fact]
    public async Task AConnectionIsInExactlyOneRoom()
    {
        var (_, inA) = await App.JoinAsync("Alice", "roomA" + Guid.NewGuid().ToString("N")[..8]);
        await using var _ = inA;
        var room = Frames.NewRoom();
        var (_, inB) = await App.JoinAsync("Bob", room);
        await using var __ = inB;

        await inB.SendMessageAsync("b-1", "only in B");
        await inB.WaitForAsync("message");
        await inA.SendJsonAsync(new { action = "ping" });
        await inA.WaitForAsync("pong");
        Assert.DoesNotContain(await inA.CollectAsync(TimeSpan.FromMilliseconds(200)), f => f.Type() == "message");
        Assert.Equal(WebSocketState.Open, inA.Socket.State);
    }
}
