using ChatDemo.Web.Tests.TestInfrastructure;
using static Microsoft.Playwright.Assertions;

namespace ChatDemo.Web.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class ComposerTests(BrowserFixture browser)
{
    [Fact]
    public async Task EnterSendsAndShiftEnterStartsANewLine()
    {
        await using var app = await ChatApp.StartAsync();
        await using var alice = await ChatPage.OpenAsync(browser.Browser, app);
        await alice.JoinAsync("Alice");

        await alice.Composer.PressSequentiallyAsync("line one");
        await alice.Composer.PressAsync("Shift+Enter");
        await alice.Composer.PressSequentiallyAsync("line two");
        await Expect(alice.Messages).ToHaveCountAsync(0);
        await alice.Composer.PressAsync("Enter");

        await Expect(alice.Sent("line one\nline two")).ToHaveCountAsync(1);
        await Expect(alice.Composer).ToHaveValueAsync("");
    }

    [Fact]
    public async Task TextOverTwoThousandCharactersIsBlockedBeforeSendingAndTheCounterSaysWhy()
    {
        await using var app = await ChatApp.StartAsync();
        await using var alice = await ChatPage.OpenAsync(browser.Browser, app);
        await alice.JoinAsync("Alice");
        var send = alice.Page.GetByTestId("send-button");

        await alice.Composer.FillAsync(new string('a', 2001));

        await Expect(send).ToBeDisabledAsync();
        await Expect(alice.Page.GetByText("2001 / 2000")).ToBeVisibleAsync();
        await alice.Composer.PressAsync("Enter");
        await alice.Page.WaitForTimeoutAsync(500);
        await Expect(alice.Messages).ToHaveCountAsync(0);

        await alice.Composer.PressAsync("Backspace");
        await Expect(send).ToBeEnabledAsync();
        await send.ClickAsync();
        await Expect(alice.Sent(new string('a', 2000))).ToHaveCountAsync(1);
        var history = await app.GetJsonAsync("/api/rooms/lobby/messages");
        Assert.Single(history.GetProperty("messages").EnumerateArray());
    }

    [Fact]
    public async Task AMessageTheServerRejectsShowsFailedWithTheReasonAndARetryThatSendsIt()
    {
        // A tiny send budget, so that a quick burst from the page is refused with rate_limited.
        await using var app = await ChatApp.StartAsync(new Dictionary<string, string?> { ["Chat:Limits:SendBurst"] = "2" });
        await using var alice = await ChatPage.OpenAsync(browser.Browser, app);
        await using var bob = await ChatPage.OpenAsync(browser.Browser, app);
        await alice.JoinAsync("Alice");
        await bob.JoinAsync("Bob");

        await alice.Page.EvaluateAsync("""
            () => {
              const composer = document.querySelector('[data-testid="composer-input"]');
              for (let i = 1; i <= 4; i++) {
                composer.value = `burst ${i}`;
                composer.dispatchEvent(new Event('input', { bubbles: true }));
                composer.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
              }
            }
            """);

        var failed = alice.Page.Locator("[data-testid='message'][data-status='failed']");
        await Expect(failed.First).ToBeVisibleAsync();
        await Expect(failed.First).ToContainTextAsync("Not sent: too many messages");
        var failedCount = await failed.CountAsync();
        Assert.InRange(failedCount, 1, 2);
        await Expect(bob.Messages).ToHaveCountAsync(4 - failedCount);

        // The budget refills within a second; then every retry goes through, once.
        await alice.Page.WaitForTimeoutAsync(1500);
        while (await failed.CountAsync() > 0)
            await failed.First.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Retry" }).ClickAsync();

        await Expect(alice.Page.Locator("[data-testid='message'][data-status='sent']")).ToHaveCountAsync(4);
        await Expect(bob.Messages).ToHaveCountAsync(4);
        var history = await app.GetJsonAsync("/api/rooms/lobby/messages");
        Assert.Equal(4, history.GetProperty("messages").GetArrayLength());
    }
}
