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
              for (let i = 1; i <= 8; i++) {
                composer.value = `burst ${i}`;
                composer.dispatchEvent(new Event('input', { bubbles: true }));
                composer.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
              }
            }
            """);

        // Eight at once against a bucket of two: some are refused however slowly the server runs.
        await Expect(alice.Page.Locator("[data-testid='message'][data-status='pending']")).ToHaveCountAsync(0);
        var failed = alice.Page.Locator("[data-testid='message'][data-status='failed']");
        var failedCount = await failed.CountAsync();
        Assert.InRange(failedCount, 1, 6);
        await Expect(failed.First).ToContainTextAsync("Not sent: too many messages");
        await Expect(bob.Messages).ToHaveCountAsync(8 - failedCount);

        // The budget refills within a second; then the retry goes through, once, with the same id.
        var clientId = await failed.First.GetAttributeAsync("data-client-id");
        var retried = alice.Page.Locator($"[data-testid='message'][data-client-id='{clientId}']");
        await alice.Page.WaitForTimeoutAsync(1500);
        await retried.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Retry" }).ClickAsync();

        await Expect(retried).ToHaveAttributeAsync("data-status", "sent");
        await Expect(bob.Messages).ToHaveCountAsync(8 - failedCount + 1);
        await bob.Page.WaitForTimeoutAsync(500);
        await Expect(bob.Messages).ToHaveCountAsync(8 - failedCount + 1);
        var history = await app.GetJsonAsync("/api/rooms/lobby/messages");
        Assert.Equal(8 - failedCount + 1, history.GetProperty("messages").GetArrayLength());
    }
}
