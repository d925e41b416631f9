using ChatDemo.Web.Tests.TestInfrastructure;
using static Microsoft.Playwright.Assertions;

namespace ChatDemo.Web.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class ChattingTests(BrowserFixture browser)
{
    [Fact]
    public async Task TwoPeopleInTwoBrowsersChatBothWays()
    {
        await using var app = await ChatApp.StartAsync();
        await using var alice = await ChatPage.OpenAsync(browser.Browser, app);
        await using var bob = await ChatPage.OpenAsync(browser.Browser, app);
        await alice.JoinAsync("Alice");
        await bob.JoinAsync("Bob");

        await alice.SendAsync("Hi Bob");
        await Expect(bob.Sent("Hi Bob")).ToHaveCountAsync(1);
        await bob.SendAsync("Hello Alice\nhow are you?");
        await Expect(alice.Sent("Hello Alice\nhow are you?")).ToHaveCountAsync(1);

        foreach (var page in new[] { alice, bob })
        {
            await Expect(page.Messages).ToHaveCountAsync(2);
            var seqs = await page.SeqsAsync();
            Assert.Equal(new long[] { 1, 2 }, seqs);
            await Expect(page.Page.GetByTestId("message-sender")).ToHaveTextAsync(["Alice", "Bob"]);
            await Expect(page.Messages.First).ToHaveAttributeAsync("data-status", "sent");
        }
        var aliceOwn = alice.Sent("Hi Bob");
        await Expect(aliceOwn).ToHaveAttributeAsync("data-id", new System.Text.RegularExpressions.Regex("^m_"));
        await Expect(aliceOwn).ToHaveAttributeAsync("data-client-id", new System.Text.RegularExpressions.Regex(".+"));
        Assert.Equal(await alice.IdsAsync(), await bob.IdsAsync());
    }

    [Fact]
    public async Task PresenceListsBothUsersAndJoinAndLeaveShowAsSystemLines()
    {
        await using var app = await ChatApp.StartAsync();
        await using var alice = await ChatPage.OpenAsync(browser.Browser, app);
        await using var bob = await ChatPage.OpenAsync(browser.Browser, app);
        await alice.JoinAsync("Alice");
        await bob.JoinAsync("Bob");

        await Expect(alice.PresenceUsers).ToHaveCountAsync(2);
        await Expect(bob.PresenceUsers).ToHaveCountAsync(2);
        await Expect(alice.SystemLines).ToHaveTextAsync(["Bob joined"]);
        await Expect(bob.SystemLines).ToHaveCountAsync(0);
        var userIds = await alice.PresenceUsers.EvaluateAllAsync<string[]>("users => users.map(u => u.dataset.userId)");
        Assert.All(userIds, id => Assert.StartsWith("u_", id));
        Assert.Equal(userIds.Order(), (await bob.PresenceUsers.EvaluateAllAsync<string[]>("users => users.map(u => u.dataset.userId)")).Order());

        await bob.Page.GetByTestId("leave-button").ClickAsync();

        await Expect(bob.Page.GetByTestId("join-button")).ToBeVisibleAsync();
        await Expect(alice.SystemLines).ToHaveTextAsync(["Bob joined", "Bob left"]);
        await Expect(alice.PresenceUsers).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task TypingInOneBrowserShowsTheTypingLineInTheOtherUntilItGoesQuiet()
    {
        await using var app = await ChatApp.StartAsync();
        await using var alice = await ChatPage.OpenAsync(browser.Browser, app);
        await using var bob = await ChatPage.OpenAsync(browser.Browser, app);
        await alice.JoinAsync("Alice");
        await bob.JoinAsync("Bob");

        await bob.Composer.PressSequentiallyAsync("hel");

        await Expect(alice.Typing).ToHaveTextAsync("Bob is typing…");
        await Expect(bob.Typing).ToBeEmptyAsync();
        // Shown for about five seconds after the last typing frame.
        await Expect(alice.Typing).ToBeEmptyAsync(new() { Timeout = 30_000 });
    }

    [Fact]
    public async Task MarkupInAMessageRendersAsInertText()
    {
        await using var app = await ChatApp.StartAsync();
        await using var alice = await ChatPage.OpenAsync(browser.Browser, app);
        await using var bob = await ChatPage.OpenAsync(browser.Browser, app);
        await alice.JoinAsync("Alice");
        await bob.JoinAsync("Bob");
        const string payload = "<img src=x onerror=alert(1)><script>alert(2)</script><b>bold</b>";

        await alice.SendAsync(payload);

        foreach (var page in new[] { alice, bob })
        {
            await Expect(page.Sent(payload)).ToHaveCountAsync(1);
            Assert.Equal(payload, await page.MessageTexts.First.TextContentAsync());
            await Expect(page.Page.Locator("[data-testid='message-list'] img, [data-testid='message-list'] script, [data-testid='message-list'] b")).ToHaveCountAsync(0);
        }
        await bob.Page.WaitForTimeoutAsync(500);
        Assert.Empty(alice.Dialogs);
        Assert.Empty(bob.Dialogs);
    }

    [Fact]
    public async Task OlderMessagesLoadOnDemandAndStayInSeqOrder()
    {
        await using var app = await ChatApp.StartAsync();
        // 60 messages from three senders (a connection may burst 20).
        for (var sender = 0; sender < 3; sender++)
        {
            var (_, socket) = await app.JoinAsync($"Seeder {sender}");
            await using var _ = socket;
            for (var i = 0; i < 20; i++)
            {
                await socket.SendMessageAsync($"s{sender}-{i}", $"message {sender * 20 + i + 1}");
                await socket.WaitForAsync("ack");
            }
        }
        await using var alice = await ChatPage.OpenAsync(browser.Browser, app);
        await alice.JoinAsync("Alice");

        await Expect(alice.Messages).ToHaveCountAsync(50);
        Assert.Equal(Enumerable.Range(11, 50).Select(i => (long)i), await alice.SeqsAsync());
        var loadOlder = alice.Page.GetByTestId("load-older");
        await Expect(loadOlder).ToBeVisibleAsync();

        await loadOlder.ClickAsync();

        await Expect(alice.Messages).ToHaveCountAsync(60);
        Assert.Equal(Enumerable.Range(1, 60).Select(i => (long)i), await alice.SeqsAsync());
        await Expect(alice.MessageTexts.First).ToHaveTextAsync("message 1");
        await Expect(loadOlder).ToBeHiddenAsync();
    }
}
