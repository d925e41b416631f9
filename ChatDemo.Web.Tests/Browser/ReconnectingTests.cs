using System.Net.WebSockets;
using ChatDemo.Web.Tests.TestInfrastructure;
using ChatDemo.Web.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatDemo.Web.Tests.Browser;

/// <summary>protocol.md section 7 as the page does it: nothing lost, nothing doubled.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ReconnectingTests(BrowserFixture browser)
{
    [Fact]
    public async Task GoingOfflineAndBackCatchesUpOnMissedMessagesWithoutDuplicates()
    {
        await using var app = await ChatApp.StartAsync();
        await using var alice = await ChatPage.OpenAsync(browser.Browser, app);
        await using var bob = await ChatPage.OpenAsync(browser.Browser, app);
        await alice.JoinAsync("Alice");
        await bob.JoinAsync("Bob");
        await alice.SendAsync("before");
        await Expect(bob.Sent("before")).ToHaveCountAsync(1);

        await alice.Context.SetOfflineAsync(true);
        await Expect(alice.Status).ToHaveAttributeAsync("data-state", "offline");
        await bob.SendAsync("while you were away 1");
        await bob.SendAsync("while you were away 2");
        await Expect(bob.Sent("while you were away 2")).ToHaveCountAsync(1);
        await Expect(alice.Messages).ToHaveCountAsync(1);

        await alice.Context.SetOfflineAsync(false);

        await alice.ExpectConnectedAsync();
        await Expect(alice.Messages).ToHaveCountAsync(3);
        await bob.SendAsync("after");
        await Expect(alice.Sent("after")).ToHaveCountAsync(1);
        await Expect(alice.Messages).ToHaveCountAsync(4);
        var seqs = await alice.SeqsAsync();
        Assert.Equal(new long[] { 1, 2, 3, 4 }, seqs);
        var ids = await alice.IdsAsync();
        Assert.Equal(ids.Length, ids.Distinct().Count());
    }

    [Fact]
    public async Task AMessageSentWhileOfflineIsPendingThenDeliveredOnceAfterReconnecting()
    {
        await using var app = await ChatApp.StartAsync();
        await using var alice = await ChatPage.OpenAsync(browser.Browser, app);
        await using var bob = await ChatPage.OpenAsync(browser.Browser, app);
        await alice.JoinAsync("Alice");
        await bob.JoinAsync("Bob");

        await alice.Context.SetOfflineAsync(true);
        await Expect(alice.Status).ToHaveAttributeAsync("data-state", "offline");
        await alice.SendAsync("from the tunnel");
        await Expect(alice.Message("from the tunnel")).ToHaveAttributeAsync("data-status", "pending");
        await Expect(alice.Message("from the tunnel")).ToHaveAttributeAsync("data-id", "");
        await bob.Page.WaitForTimeoutAsync(1000);
        await Expect(bob.Messages).ToHaveCountAsync(0);

        await alice.Context.SetOfflineAsync(false);

        await Expect(alice.Sent("from the tunnel")).ToHaveCountAsync(1);
        await Expect(bob.Sent("from the tunnel")).ToHaveCountAsync(1);
        await bob.Page.WaitForTimeoutAsync(1000);
        await Expect(alice.Messages).ToHaveCountAsync(1);
        await Expect(bob.Messages).ToHaveCountAsync(1);
        var history = await app.GetJsonAsync("/api/rooms/lobby/messages");
        Assert.Single(history.GetProperty("messages").EnumerateArray());
    }

    [Fact]
    public async Task WhenTheServerClosesTheSocketThePageReconnectsAndCatchesUp()
    {
        await using var app = await ChatApp.StartAsync();
        await using var alice = await ChatPage.OpenAsync(browser.Browser, app);
        var sockets = 0;
        alice.Page.WebSocket += (_, _) => Interlocked.Increment(ref sockets);
        await alice.JoinAsync("Alice");

        app.Services.GetRequiredService<ConnectionRegistry>().CloseAll(WebSocketCloseStatus.EndpointUnavailable, "going away");
        var (_, bob) = await app.JoinAsync("Bob");
        await using var _ = bob;
        for (var i = 1; i <= 3; i++)
        {
            await bob.SendMessageAsync($"b-{i}", $"said during the reconnect {i}");
            await bob.WaitForAsync("ack");
        }

        await Expect(alice.Messages).ToHaveCountAsync(3);
        await alice.ExpectConnectedAsync();
        Assert.True(Volatile.Read(ref sockets) >= 2, "the page should have opened a new socket");
        await alice.SendAsync("back again");
        await Expect(alice.Sent("back again")).ToHaveCountAsync(1);
        var seqs = await alice.SeqsAsync();
        Assert.Equal(new long[] { 1, 2, 3, 4 }, seqs);
    }

    [Fact]
    public async Task TheServerRestartingLosesNothingDoublesNothingAndKeepsWhoYouAre()
    {
        await using var app = await ChatApp.StartAsync();
        await using var alice = await ChatPage.OpenAsync(browser.Browser, app);
        await alice.JoinAsync("Alice");
        var aliceId = await alice.PresenceUsers.First.GetAttributeAsync("data-user-id");
        var (bobSession, bobBefore) = await app.JoinAsync("Bob");
        await using (bobBefore)
        {
            await alice.SendAsync("before the restart");
            await Expect(alice.Sent("before the restart")).ToHaveCountAsync(1);
            await bobBefore.SendMessageAsync("b-1", "bob before the restart");
            await bobBefore.WaitForAsync("ack");
            await Expect(alice.Messages).ToHaveCountAsync(2);

            await app.StopAsync();
        }

        // Down: the page says so and keeps what is typed meanwhile.
        await Expect(alice.Status).ToHaveAttributeAsync("data-state", "reconnecting");
        await alice.SendAsync("while the server was down");
        await Expect(alice.Message("while the server was down")).ToHaveAttributeAsync("data-status", "pending");

        await app.StartAgainAsync();
        await using var bobAfter = await app.ConnectAsync(bobSession);
        await bobAfter.SendMessageAsync("b-2", "bob after the restart");
        await bobAfter.WaitForAsync("ack");

        // The page finds the server again by itself, with the same session, sends what was pending
        // once and catches up on what it missed.
        await alice.ExpectConnectedAsync();
        await Expect(alice.Sent("while the server was down")).ToHaveCountAsync(1);
        await Expect(alice.Sent("bob after the restart")).ToHaveCountAsync(1);
        await alice.Page.WaitForTimeoutAsync(1000);
        // Which of the two new messages took seq 3 depends on how soon the page came back; the
        // page shows exactly the room's history, in seq order, each message once.
        var history = (await app.GetJsonAsync("/api/rooms/lobby/messages")).GetProperty("messages").EnumerateArray().ToArray();
        var historyTexts = history.Select(m => m.GetProperty("text").GetString()!).ToArray();
        Assert.Equal(
            ["before the restart", "bob after the restart", "bob before the restart", "while the server was down"],
            historyTexts.Order(StringComparer.Ordinal));
        await Expect(alice.MessageTexts).ToHaveTextAsync(historyTexts);
        Assert.Equal(new long[] { 1, 2, 3, 4 }, await alice.SeqsAsync());
        await Expect(alice.PresenceUsers.Filter(new() { HasText = "Alice" })).ToHaveAttributeAsync("data-user-id", aliceId!);
        Assert.Equal(aliceId, history.Single(m => m.GetProperty("text").GetString() == "while the server was down")
            .GetProperty("sender").GetProperty("id").GetString());
    }

    [Fact]
    public async Task ReloadingRejoinsTheSameRoomAsTheSameUser()
    {
        await using var app = await ChatApp.StartAsync();
        await using var alice = await ChatPage.OpenAsync(browser.Browser, app);
        await alice.JoinAsync("Alice", "kitchen");
        await alice.SendAsync("hello");
        await Expect(alice.Sent("hello")).ToHaveCountAsync(1);
        var userId = await alice.PresenceUsers.First.GetAttributeAsync("data-user-id");

        await alice.Page.ReloadAsync();

        await alice.ExpectConnectedAsync();
        await Expect(alice.Page.GetByTestId("join-button")).ToBeHiddenAsync();
        await Expect(alice.Sent("hello")).ToHaveCountAsync(1);
        await Expect(alice.PresenceUsers).ToHaveCountAsync(1);
        await Expect(alice.PresenceUsers.First).ToHaveAttributeAsync("data-user-id", userId!);
        Assert.Contains("room=kitchen", alice.Page.Url, StringComparison.Ordinal);
        var presence = await app.GetJsonAsync("/api/rooms/kitchen/presence");
        Assert.Equal(userId, Assert.Single(presence.GetProperty("users").EnumerateArray()).GetProperty("id").GetString());
    }

    [Fact]
    public async Task AMessageThatNeverReachedTheServerSurvivesAReloadAndIsDeliveredOnce()
    {
        await using var room = await BobAndLinkedAliceAsync();
        var (bob, alice, link) = (room.Bob, room.Alice, room.Link);

        link.Mode = LinkMode.SwallowEverything;
        await alice.Page.ReloadAsync();
        await alice.ExpectConnectedAsync();
        await alice.SendAsync("kept in the outbox");
        await Expect(alice.Message("kept in the outbox")).ToHaveAttributeAsync("data-status", "pending");

        link.Mode = LinkMode.PassThrough;
        await alice.Page.ReloadAsync();

        await Expect(alice.Sent("kept in the outbox")).ToHaveCountAsync(1);
        await Expect(bob.Sent("kept in the outbox")).ToHaveCountAsync(1);
        await bob.Page.WaitForTimeoutAsync(1000);
        await Expect(alice.Messages).ToHaveCountAsync(1);
        await Expect(bob.Messages).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task AMessageWhoseAckWasLostIsShownOnceAfterAReload()
    {
        await using var room = await BobAndLinkedAliceAsync();
        var (bob, alice, link) = (room.Bob, room.Alice, room.Link);

        link.Mode = LinkMode.DropServerFrames;
        await alice.Page.ReloadAsync();
        await alice.ExpectConnectedAsync();
        await alice.SendAsync("stored but never acked");
        await Expect(bob.Sent("stored but never acked")).ToHaveCountAsync(1);
        await Expect(alice.Message("stored but never acked")).ToHaveAttributeAsync("data-status", "pending");

        link.Mode = LinkMode.PassThrough;
        await alice.Page.ReloadAsync();

        await Expect(alice.Sent("stored but never acked")).ToHaveCountAsync(1);
        await alice.SendAsync("next");
        await Expect(bob.Sent("next")).ToHaveCountAsync(1);
        await Expect(alice.Sent("next")).ToHaveCountAsync(1);
        await Expect(alice.Messages).ToHaveCountAsync(2);
        await Expect(bob.Messages).ToHaveCountAsync(2);
        var history = await room.App.GetJsonAsync("/api/rooms/lobby/messages");
        Assert.Equal(2, history.GetProperty("messages").GetArrayLength());
    }

    [Fact]
    public async Task ARefusedSessionTokenIsReplacedByANewSessionUnderTheSameName()
    {
        await using var app = await ChatApp.StartAsync();
        await using var alice = await ChatPage.OpenAsync(browser.Browser, app);
        await alice.JoinAsync("Alice");

        await alice.Page.EvaluateAsync("""
            () => {
              const session = JSON.parse(localStorage.getItem('chatdemo.session'));
              session.token = 'forged.' + session.token.slice(7);
              localStorage.setItem('chatdemo.session', JSON.stringify(session));
            }
            """);
        await alice.Page.ReloadAsync();

        await alice.ExpectConnectedAsync();
        await alice.SendAsync("still me");
        await Expect(alice.Sent("still me")).ToHaveCountAsync(1);
        await Expect(alice.Page.GetByTestId("message-sender")).ToHaveTextAsync(["Alice"]);
    }

    [Fact]
    public async Task AMissingFrameIsFilledFromHistoryAndADuplicatedOneIsShownOnce()
    {
        await using var app = await ChatApp.StartAsync();
        await using var alice = await ChatPage.OpenAsync(browser.Browser, app);
        var link = new SocketLink(alice.Context);
        await link.InstallAsync();
        await alice.JoinAsync("Alice");
        // What AWS fan-out may do: lose seq 2 on the way, deliver seq 3 twice.
        var dropped = 0;
        link.ServerFrameFilter = text => text.Contains("\"type\":\"message\"", StringComparison.Ordinal) switch
        {
            true when text.Contains("\"seq\":2,", StringComparison.Ordinal) && Interlocked.Increment(ref dropped) > 0 => [],
            true when text.Contains("\"seq\":3,", StringComparison.Ordinal) => [text, text],
            _ => [text],
        };
        var (_, bob) = await app.JoinAsync("Bob");
        await using var _ = bob;

        for (var i = 1; i <= 4; i++)
        {
            await bob.SendMessageAsync($"b-{i}", $"message {i}");
            await bob.WaitForAsync("ack");
        }

        await Expect(alice.Messages).ToHaveCountAsync(4);
        await alice.Page.WaitForTimeoutAsync(1500);
        await Expect(alice.Messages).ToHaveCountAsync(4);
        var seqs = await alice.SeqsAsync();
        Assert.Equal(new long[] { 1, 2, 3, 4 }, seqs);
        await Expect(alice.MessageTexts).ToHaveTextAsync(["message 1", "message 2", "message 3", "message 4"]);
        Assert.Equal(1, Volatile.Read(ref dropped));
    }

    [Fact]
    public async Task AnExpiredSessionIsRenewedUnderTheSameNameBeforeReconnecting()
    {
        await using var app = await ChatApp.StartAsync();
        await using var alice = await ChatPage.OpenAsync(browser.Browser, app);
        await alice.JoinAsync("Alice");
        var oldUserId = await alice.PresenceUsers.First.GetAttributeAsync("data-user-id");

        await alice.Page.EvaluateAsync("""
            () => {
              const session = JSON.parse(localStorage.getItem('chatdemo.session'));
              session.expiresAt = '2020-01-01T00:00:00.000Z';
              localStorage.setItem('chatdemo.session', JSON.stringify(session));
            }
            """);
        await alice.Page.ReloadAsync();

        await alice.ExpectConnectedAsync();
        await alice.SendAsync("renewed");
        await Expect(alice.Sent("renewed")).ToHaveCountAsync(1);
        var message = (await app.GetJsonAsync("/api/rooms/lobby/messages")).GetProperty("messages")[0];
        Assert.Equal("Alice", message.GetProperty("sender").GetProperty("name").GetString());
        Assert.NotEqual(oldUserId, message.GetProperty("sender").GetProperty("id").GetString());
    }

    private enum LinkMode { PassThrough, SwallowEverything, DropServerFrames }

    /// <summary>
    /// Sits between the page and /ws: passes frames, or (for sockets opened while set so) loses
    /// everything the page sends, or everything the server answers, as a broken network would.
    /// </summary>
    private sealed class SocketLink(IBrowserContext context)
    {
        public LinkMode Mode { get; set; } = LinkMode.PassThrough;

        /// <summary>In pass-through mode, what reaches the page for each server frame.</summary>
        public Func<string, string[]> ServerFrameFilter { get; set; } = text => [text];

        public Task InstallAsync() => context.RouteWebSocketAsync("**/ws?**", route =>
        {
            switch (Mode)
            {
                case LinkMode.SwallowEverything:
                    // Not connected to the server: the page sees an open socket that never answers.
                    route.OnMessage(_ => { });
                    break;
                case LinkMode.DropServerFrames:
                    route.ConnectToServer().OnMessage(_ => { });
                    break;
                default:
                    route.ConnectToServer().OnMessage(frame =>
                    {
                        foreach (var text in ServerFrameFilter(frame.Text ?? "")) route.Send(text);
                    });
                    break;
            }
        });
    }

    /// <summary>Bob and Alice joined in one app, with Alice's socket passing through a <see cref="SocketLink"/>.</summary>
    private async Task<LinkedRoom> BobAndLinkedAliceAsync()
    {
        var app = await ChatApp.StartAsync();
        var bob = await ChatPage.OpenAsync(browser.Browser, app);
        var alice = await ChatPage.OpenAsync(browser.Browser, app);
        var link = new SocketLink(alice.Context);
        await link.InstallAsync();
        await bob.JoinAsync("Bob");
        await alice.JoinAsync("Alice");
        return new LinkedRoom(app, bob, alice, link);
    }

    private sealed record LinkedRoom(ChatApp App, ChatPage Bob, ChatPage Alice, SocketLink Link) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Alice.DisposeAsync();
            await Bob.DisposeAsync();
            await App.DisposeAsync();
        }
    }
}
