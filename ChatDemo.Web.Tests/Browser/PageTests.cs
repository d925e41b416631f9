using ChatDemo.Web.Tests.TestInfrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatDemo.Web.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class PageTests(BrowserFixture browser)
{
    private static readonly BrowserNewContextOptions Phone = new() { ViewportSize = new() { Width = 360, Height = 740 }, IsMobile = true, HasTouch = true };

    [Fact]
    public async Task APhoneSizedScreenHasNoHorizontalScrollInTheFormOrTheRoom()
    {
        await using var app = await ChatApp.StartAsync();
        await using var alice = await ChatPage.OpenAsync(browser.Browser, app, Phone);
        await alice.GotoAsync();
        Assert.False(await HasHorizontalScrollAsync(alice.Page), "the join form scrolls sideways");

        var (_, carol) = await app.JoinAsync("Carolina Wolfeschlegelsteinhau");
        await using var _ = carol;
        await alice.JoinAsync("Alice", "a-room-with-a-rather-long-name-that-keeps-going-and-going-on");
        await alice.SendAsync(new string('w', 300));
        await alice.SendAsync("https://example.com/" + new string('x', 200) + "?query=" + new string('y', 100));
        await Expect(alice.Page.Locator("[data-testid='message'][data-status='sent']")).ToHaveCountAsync(2);
        await alice.Composer.FillAsync("typing something long " + new string('z', 500));

        Assert.False(await HasHorizontalScrollAsync(alice.Page), "the room scrolls sideways");
        await Expect(alice.Page.GetByTestId("send-button")).ToBeInViewportAsync();
        await Expect(alice.Page.GetByTestId("leave-button")).ToBeInViewportAsync();
        await Expect(alice.Status).ToBeInViewportAsync();
    }

    [Fact]
    public async Task ThePageIsServedWithAContentSecurityPolicyWithoutUnsafeInlineAndRunsUnderIt()
    {
        await using var app = await ChatApp.StartAsync();
        using var response = await app.Http.GetAsync("/");
        var policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("style-src 'self'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", policy, StringComparison.Ordinal);

        await using var alice = await ChatPage.OpenAsync(browser.Browser, app);
        await alice.JoinAsync("Alice");
        await alice.SendAsync("hello");
        await Expect(alice.Sent("hello")).ToHaveCountAsync(1);
        Assert.Empty(alice.ConsoleErrors);
    }

    [Fact]
    public async Task EveryModuleIsPreloadedAndServedAsJavaScriptThatIsRevalidated()
    {
        await using var app = await ChatApp.StartAsync();
        var html = await app.Http.GetStringAsync("/");
        var preloaded = System.Text.RegularExpressions.Regex.Matches(html, "<link rel=\"modulepreload\" href=\"([^\"]+)\">")
            .Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal).ToArray();
        // Every module beside the app (the copy the app serves), except the entry point itself.
        var root = Path.Combine(AppContext.BaseDirectory, "wwwroot");
        var modules = Directory.GetFiles(root, "*.mjs", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Where(f => f != "app.mjs").Order(StringComparer.Ordinal).ToArray();
        Assert.NotEmpty(modules);
        Assert.Equal(modules, preloaded);

        foreach (var path in modules.Append("app.mjs"))
        {
            using var response = await app.Http.GetAsync(path);
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());
            Assert.True(response.Headers.ETag is not null, $"{path} has no ETag to revalidate with");
        }
    }

    [Fact]
    public async Task TheThemeFollowsTheSystemAndTheTogglesChoiceIsRemembered()
    {
        await using var app = await ChatApp.StartAsync();
        await using var alice = await ChatPage.OpenAsync(browser.Browser, app, new() { ColorScheme = ColorScheme.Dark });
        await alice.GotoAsync();
        Assert.True(await IsDarkAsync(alice.Page), "a dark system theme should give a dark page");

        await alice.Page.GetByRole(AriaRole.Button, new() { Name = "Switch to light theme" }).ClickAsync();
        Assert.False(await IsDarkAsync(alice.Page));
        await alice.Page.ReloadAsync();
        await Expect(alice.Page.GetByRole(AriaRole.Button, new() { Name = "Switch to dark theme" })).ToBeVisibleAsync();
        Assert.False(await IsDarkAsync(alice.Page), "the toggle's choice should survive a reload");
    }

    [Fact]
    public async Task ARoomInTheLinkPrefillsTheFormAndTheKeyboardAloneJoinsAndSends()
    {
        await using var app = await ChatApp.StartAsync();
        await using var alice = await ChatPage.OpenAsync(browser.Browser, app);
        await alice.GotoAsync("/?room=garden");
        await Expect(alice.Page.GetByTestId("room-input")).ToHaveValueAsync("garden");

        await Expect(alice.Page.GetByTestId("name-input")).ToBeFocusedAsync();
        await alice.Page.Keyboard.TypeAsync("Alice");
        await alice.Page.Keyboard.PressAsync("Tab");
        await Expect(alice.Page.GetByTestId("room-input")).ToBeFocusedAsync();
        await alice.Page.Keyboard.PressAsync("Enter");

        await alice.ExpectConnectedAsync();
        await Expect(alice.Composer).ToBeFocusedAsync();
        await alice.Page.Keyboard.TypeAsync("typed without a mouse");
        await alice.Page.Keyboard.PressAsync("Enter");
        await Expect(alice.Sent("typed without a mouse")).ToHaveCountAsync(1);
        var history = await app.GetJsonAsync("/api/rooms/garden/messages");
        Assert.Single(history.GetProperty("messages").EnumerateArray());
        await Expect(alice.Page.GetByTestId("message-list")).ToHaveAttributeAsync("aria-live", "polite");
    }

    private static async Task<bool> HasHorizontalScrollAsync(IPage page) =>
        await page.EvaluateAsync<bool>(
            "() => document.documentElement.scrollWidth > document.documentElement.clientWidth || document.body.scrollWidth > document.body.clientWidth");

    private static async Task<bool> IsDarkAsync(IPage page) =>
        await page.EvaluateAsync<bool>("""
            () => {
              const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\d+/g).map(Number);
              return (r + g + b) / 3 < 80;
            }
            """);
}
