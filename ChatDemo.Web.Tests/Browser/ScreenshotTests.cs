using ChatDemo.Web.Tests.TestInfrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatDemo.Web.Tests.Browser;

/// <summary>
/// Renders the README's screenshots from a real conversation: desktop, phone and dark. They are
/// always rendered and checked; with CHATDEMO_SCREENSHOTS=folder set (for example
/// <c>CHATDEMO_SCREENSHOTS=$PWD/docs/screenshots dotnet test --filter Category=Screenshots</c>)
/// they are also written there.
/// </summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "Screenshots")]
public sealed class ScreenshotTests(BrowserFixture browser)
{
    [Fact]
    public async Task TheReadmeScreenshotsRenderFromARealConversation()
    {
        var folder = Environment.GetEnvironmentVariable("CHATDEMO_SCREENSHOTS")
                     ?? Path.Combine(Path.GetTempPath(), "chatdemo-screenshots", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        await using var app = await ChatApp.StartAsync();
        var desktop = new ViewportSize { Width = 1280, Height = 800 };
        await using var alice = await ChatPage.OpenAsync(browser.Browser, app, new() { ViewportSize = desktop, Locale = "en-GB" });
        await using var bob = await ChatPage.OpenAsync(browser.Browser, app,
            new() { ViewportSize = new() { Width = 360, Height = 740 }, IsMobile = true, HasTouch = true, DeviceScaleFactor = 2, Locale = "en-GB" });
        await using var carol = await ChatPage.OpenAsync(browser.Browser, app, new() { ViewportSize = desktop, ColorScheme = ColorScheme.Dark, Locale = "en-GB" });

        await alice.JoinAsync("Alice", "lobby");
        await bob.JoinAsync("Bob", "lobby");
        await alice.SendAsync("Morning all! Is the demo build ready?");
        await bob.SendAsync("Almost. Tests are green, I'm just polishing the page.");
        await carol.JoinAsync("Carol", "lobby");
        await carol.SendAsync("I tried it on my phone on the train: it reconnected by itself after the tunnel.");
        await alice.SendAsync("Nice. And the messages you sent in the tunnel?");
        await carol.SendAsync("Delivered once we were back, exactly once.\nThe page keeps them until the server acks.");
        await bob.SendAsync("That's the outbox in localStorage. Even a reload keeps them.");
        foreach (var page in new[] { alice, bob, carol })
            await Expect(page.Page.Locator("[data-testid='message'][data-status='sent']")).ToHaveCountAsync(6);
        await carol.Composer.PressSequentiallyAsync("Ship it");
        await Expect(alice.Typing).ToHaveTextAsync("Carol is typing…");

        var shots = new[] { (alice, "desktop.png"), (bob, "phone.png"), (carol, "dark.png") };
        foreach (var (page, file) in shots)
        {
            await page.Page.ScreenshotAsync(new() { Path = Path.Combine(folder, file) });
            Assert.True(new FileInfo(Path.Combine(folder, file)).Length > 10_000, $"{file} looks empty");
        }
    }
}
