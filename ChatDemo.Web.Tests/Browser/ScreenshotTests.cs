using ChatDemo.Web.Tests.Accounts;
using ChatDemo.Web.Tests.TestInfrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatDemo.Web.Tests.Browser;

/// <summary>
/// Renders the page from a real conversation: the README's three (desktop, phone, dark: the chat
/// at 1280 px light, 360 px light, 1280 px dark), the rest of the chat view and the join view at
/// 360, 768 and 1280 px, light and dark (<c>{view}-{width}-{theme}.png</c>), to look at before
/// shipping a layout change. They are always rendered and checked; with
/// CHATDEMO_SCREENSHOTS=folder set (for example
/// <c>CHATDEMO_SCREENSHOTS=$PWD/docs/screenshots dotnet test --filter Category=Screenshots</c>)
/// they are also written there.
/// </summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "Screenshots")]
public sealed class ScreenshotTests(BrowserFixture browser)
{
    private static readonly BrowserNewContextOptions Phone =
        new() { ViewportSize = new() { Width = 360, Height = 740 }, IsMobile = true, HasTouch = true, DeviceScaleFactor = 2, Locale = "en-GB" };

    private static readonly ViewportSize Desktop = new() { Width = 1280, Height = 800 };

    private static readonly ViewportSize Tablet = new() { Width = 768, Height = 1024 };

    [Fact]
    public async Task TheScreenshotsRenderFromARealConversation()
    {
        var folder = Environment.GetEnvironmentVariable("CHATDEMO_SCREENSHOTS")
                     ?? Path.Combine(Path.GetTempPath(), "chatdemo-screenshots", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        await using var app = await ChatApp.StartAsync();
        await using var alice = await ChatPage.OpenAsync(browser.Browser, app, new() { ViewportSize = Desktop, Locale = "en-GB" });
        await using var bob = await ChatPage.OpenAsync(browser.Browser, app, Phone);
        await using var carol = await ChatPage.OpenAsync(browser.Browser, app, new() { ViewportSize = Desktop, ColorScheme = ColorScheme.Dark, Locale = "en-GB" });
        await using var visitor = await ChatPage.OpenAsync(browser.Browser, app, new() { ViewportSize = Desktop, Locale = "en-GB" });
        await using var phoneVisitor = await ChatPage.OpenAsync(browser.Browser, app, Phone);

        var shots = new List<string>();
        async Task ShootAsync(ChatPage page, string file, ViewportSize? size = null, ColorScheme? scheme = null)
        {
            if (size is not null) await page.Page.SetViewportSizeAsync(size.Width, size.Height);
            if (scheme is not null) await page.Page.EmulateMediaAsync(new() { ColorScheme = scheme });
            await page.Page.ScreenshotAsync(new() { Path = Path.Combine(folder, file) });
            shots.Add(file);
        }

        foreach (var visiting in new[] { visitor, phoneVisitor })
        {
            await visiting.GotoAsync("/?room=lobby");
            await Expect(visiting.Page.GetByTestId("name-input")).ToBeFocusedAsync();
        }
        foreach (var (scheme, theme) in new[] { (ColorScheme.Light, "light"), (ColorScheme.Dark, "dark") })
        {
            await ShootAsync(phoneVisitor, $"join-360-{theme}.png", scheme: scheme);
            await ShootAsync(visitor, $"join-768-{theme}.png", Tablet, scheme);
            await ShootAsync(visitor, $"join-1280-{theme}.png", Desktop, scheme);
        }

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

        // The README's three are the chat at 1280 light, 360 light and 1280 dark; then the rest.
        await ShootAsync(alice, "desktop.png");
        await ShootAsync(bob, "phone.png");
        await ShootAsync(carol, "dark.png");
        await ShootAsync(bob, "chat-360-dark.png", scheme: ColorScheme.Dark);
        await ShootAsync(alice, "chat-768-light.png", Tablet);
        await ShootAsync(alice, "chat-768-dark.png", scheme: ColorScheme.Dark);

        Assert.Equal(12, shots.Count);
        foreach (var file in shots)
            Assert.True(new FileInfo(Path.Combine(folder, file)).Length > 10_000, $"{file} looks empty");
    }

    /// <summary>The join view with an OpenID provider configured: Sign in, and the guest form below
    /// it (<c>signin-{width}-{theme}.png</c>); and signed in (<c>signedin-{width}-{theme}.png</c>).</summary>
    [Fact]
    public async Task TheSignInScreenshotsRenderAgainstARealProvider()
    {
        var folder = Environment.GetEnvironmentVariable("CHATDEMO_SCREENSHOTS")
                     ?? Path.Combine(Path.GetTempPath(), "chatdemo-screenshots", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        await using var provider = await OidcProvider.StartAsync();
        await using var app = await ChatApp.StartAsync(ProviderApp.Settings(provider));
        await using var visitor = await ChatPage.OpenAsync(browser.Browser, app, new() { ViewportSize = Desktop, Locale = "en-GB" });
        await visitor.GotoAsync("/?room=lobby");
        await Expect(visitor.Page.GetByTestId("sign-in-button")).ToBeVisibleAsync();

        var shots = new List<string>();
        async Task ShootAllAsync(string view) => shots.AddRange(await ShootEverySizeAsync(visitor.Page, folder, view));

        await ShootAllAsync("signin");
        await visitor.Page.GetByTestId("sign-in-button").ClickAsync();
        await visitor.Page.WaitForURLAsync(url => url.StartsWith(provider.Issuer + "/interaction/", StringComparison.Ordinal),
            new() { WaitUntil = WaitUntilState.DOMContentLoaded, Timeout = 40_000 });
        await visitor.Page.Locator("input[name=login]").FillAsync("alice");
        await visitor.Page.Locator("input[name=password]").FillAsync("any");
        await visitor.Page.Locator("button[type=submit]").ClickAsync();
        await visitor.Page.WaitForURLAsync(url => url.StartsWith(app.BaseUri.ToString(), StringComparison.Ordinal));
        await Expect(visitor.Page.GetByTestId("signed-in-name")).ToHaveTextAsync("Alice Liddell");
        await ShootAllAsync("signedin");

        Assert.Equal(12, shots.Count);
        foreach (var file in shots)
            Assert.True(new FileInfo(Path.Combine(folder, file)).Length > 10_000, $"{file} looks empty");
    }

    /// <summary>
    /// Messages that change (protocol v1.1), at 360, 768 and 1280 px, light and dark
    /// (<c>lifecycle-{width}-{theme}.png</c>): replies with their quotes, an edited message,
    /// reactions (yours highlighted), a tombstone, and the reaction picker open.
    /// </summary>
    [Fact]
    public async Task TheMessageLifecycleScreenshotsRender()
    {
        var folder = Environment.GetEnvironmentVariable("CHATDEMO_SCREENSHOTS")
                     ?? Path.Combine(Path.GetTempPath(), "chatdemo-screenshots", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        await using var app = await ChatApp.StartAsync();
        var (_, carol) = await app.JoinAsync("Carol");
        await using var _ = carol;
        var (_, bob) = await app.JoinAsync("Bob");
        await using var __ = bob;
        await using var alice = await ChatPage.OpenAsync(browser.Browser, app, new() { ViewportSize = Desktop, Locale = "en-GB" });
        await alice.JoinAsync("Alice", "lobby");

        await carol.SendMessageAsync("c-1", "Who's up for lunch at 12:30?");
        await carol.WaitForAsync("ack");
        await bob.SendJsonAsync(new { action = "sendMessage", clientMessageId = "b-1", text = "Me! The usual place?", replyTo = 1 });
        await bob.WaitForAsync("ack");
        await Expect(alice.MessageTexts).ToHaveCountAsync(2);
        await alice.ReplyAsync(alice.BySeq(2), "Count me in. I'll book a table for four.");
        await Expect(alice.Sent("Count me in. I'll book a table for four.")).ToHaveCountAsync(1);
        await alice.BySeq(3).EditAsync("Count me in. I'll book a table for three.");
        await bob.SendMessageAsync("b-2", "Wrong chat, sorry");
        await bob.WaitForAsync("ack");
        await bob.SendJsonAsync(new { action = "deleteMessage", seq = 4 });
        foreach (var (socket, seq, emoji) in new[] { (carol, 3, "👍"), (bob, 3, "👍"), (bob, 1, "🎉"), (carol, 2, "😂") })
            await socket.SendJsonAsync(new { action = "react", seq, emoji, op = "add" });
        await alice.BySeq(1).ReactAsync("🎉");
        await Expect(alice.BySeq(4).GetByTestId("message-deleted")).ToBeVisibleAsync();
        await Expect(alice.BySeq(3).Reaction("👍")).ToHaveAttributeAsync("data-count", "2");
        await Expect(alice.BySeq(1).Reaction("🎉")).ToHaveAttributeAsync("data-count", "2");
        await Expect(alice.BySeq(2).Reaction("😂")).ToHaveAttributeAsync("data-count", "1");
        await Expect(alice.BySeq(3).GetByTestId("edited-marker")).ToBeVisibleAsync();
        await alice.BySeq(2).GetByTestId("react-button").ClickAsync();
        await Expect(alice.BySeq(2).GetByTestId("reaction-picker")).ToBeVisibleAsync();

        var shots = await ShootEverySizeAsync(alice.Page, folder, "lifecycle");

        Assert.Equal(6, shots.Count);
        foreach (var file in shots)
            Assert.True(new FileInfo(Path.Combine(folder, file)).Length > 10_000, $"{file} looks empty");
    }

    /// <summary>
    /// Rooms (<c>rooms-{width}-{theme}.png</c>: a private room with the room list open, unread
    /// badges on the others), the members panel of its owner with a muted member's actions open
    /// (<c>members-{width}-{theme}.png</c>: "muted until", Unmute), and someone banned from a
    /// public room for a day while in it (<c>banned-{width}-{theme}.png</c>).
    /// </summary>
    [Fact]
    public async Task TheRoomScreenshotsRenderFromRealRooms()
    {
        var folder = Environment.GetEnvironmentVariable("CHATDEMO_SCREENSHOTS")
                     ?? Path.Combine(Path.GetTempPath(), "chatdemo-screenshots", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        await using var app = await ChatApp.StartAsync();
        await using var olive = await ChatPage.OpenAsync(browser.Browser, app, new() { ViewportSize = Desktop, Locale = "en-GB" });
        await using var ivy = await ChatPage.OpenAsync(browser.Browser, app, new() { ViewportSize = Desktop, Locale = "en-GB" });
        await using var bob = await ChatPage.OpenAsync(browser.Browser, app, new() { ViewportSize = Desktop, Locale = "en-GB" });

        await olive.JoinAsync("Olive", "lobby");
        await olive.SendAsync("Welcome! The design review is in #design at three.");
        await olive.CreateRoomAsync("design", isPrivate: false, title: "Design reviews");
        await olive.SendAsync("Agenda: the room list, the members panel, moderation.");
        await olive.CreateRoomAsync("team-a", isPrivate: true, title: "Team A");
        await olive.OpenMembersAsync();
        var link = await olive.CreateInviteLinkAsync();
        await ivy.JoinByInviteAsync(link, "Ivy");
        var ivyId = await ivy.UserIdAsync();
        await Expect(olive.Member(ivyId)).ToBeVisibleAsync();
        await olive.Page.GetByTestId("members-close").ClickAsync();
        await ivy.SendAsync("Thanks for the invite! Reading the agenda in #design now.");
        await olive.SendAsync("Great, welcome to Team A.");
        await Expect(ivy.Sent("Great, welcome to Team A.")).ToHaveCountAsync(1);
        // Ivy reads the lobby while Olive writes in Team A: a badge on Team A.
        await ivy.OpenRoomFromListAsync("lobby");
        await olive.SendAsync("Ivy, could you look at the phone layout?");
        await Expect(ivy.RoomItem("team-a").GetByTestId("room-unread")).ToHaveTextAsync("1", new() { Timeout = 30_000 });
        // Ivy muted for an hour: the owner's panel says until when and offers Unmute.
        await olive.OpenMembersAsync();
        var actions = await olive.MemberActionsAsync(ivyId);
        await actions.GetByTestId("mute-duration").SelectOptionAsync("3600");
        await actions.GetByTestId("mute-button").ClickAsync();
        await Expect(olive.Member(ivyId).GetByTestId("member-muted")).ToBeVisibleAsync();
        await Expect(actions.GetByTestId("unmute-button")).ToBeVisibleAsync();

        // Bob, in #design, is banned from it for a day by Olive.
        await bob.JoinAsync("Bob", "design");
        await bob.SendAsync("Is the review still at three?");
        await Expect(bob.Sent("Is the review still at three?")).ToHaveCountAsync(1);
        var bobId = await bob.UserIdAsync();
        Assert.Equal(200, await olive.Page.EvaluateAsync<int>("""
            async userId => (await fetch('/api/rooms/design/moderation', {
              method: 'POST',
              headers: { 'content-type': 'application/json', authorization: `Bearer ${JSON.parse(localStorage.getItem('chatdemo.session')).token}` },
              body: JSON.stringify({ action: 'ban', userId, durationSeconds: 86400 }),
            })).status
            """, bobId));
        await Expect(bob.Notice).ToHaveAttributeAsync("data-reason", "banned");

        var shots = new List<string>();
        foreach (var (scheme, theme) in new[] { (ColorScheme.Light, "light"), (ColorScheme.Dark, "dark") })
            foreach (var size in new[] { new ViewportSize { Width = 360, Height = 740 }, Tablet, Desktop })
            {
                await ivy.Page.SetViewportSizeAsync(size.Width, size.Height);
                await ivy.Page.EmulateMediaAsync(new() { ColorScheme = scheme });
                var toggle = ivy.Page.GetByTestId("rooms-button");
                if (await toggle.IsVisibleAsync() && await toggle.GetAttributeAsync("aria-expanded") != "true") await toggle.ClickAsync();
                await Expect(ivy.Page.GetByTestId("room-list-panel")).ToBeInViewportAsync();
                var file = $"rooms-{size.Width}-{theme}.png";
                await ivy.Page.ScreenshotAsync(new() { Path = Path.Combine(folder, file) });
                shots.Add(file);
                if (await toggle.IsVisibleAsync()) await toggle.ClickAsync();

                await olive.Page.SetViewportSizeAsync(size.Width, size.Height);
                await olive.Page.EmulateMediaAsync(new() { ColorScheme = scheme });
                if (!await olive.Page.GetByTestId("members-panel").IsVisibleAsync())
                {
                    await olive.OpenMembersAsync();
                    await olive.MemberActionsAsync(ivyId);
                }
                file = $"members-{size.Width}-{theme}.png";
                await olive.Page.ScreenshotAsync(new() { Path = Path.Combine(folder, file) });
                shots.Add(file);

                await bob.Page.SetViewportSizeAsync(size.Width, size.Height);
                await bob.Page.EmulateMediaAsync(new() { ColorScheme = scheme });
                await Expect(bob.Notice).ToBeInViewportAsync();
                file = $"banned-{size.Width}-{theme}.png";
                await bob.Page.ScreenshotAsync(new() { Path = Path.Combine(folder, file) });
                shots.Add(file);
            }

        Assert.Equal(18, shots.Count);
        foreach (var file in shots)
            Assert.True(new FileInfo(Path.Combine(folder, file)).Length > 10_000, $"{file} looks empty");
    }

    /// <summary>The page as it is at 360, 768 and 1280 px, light and dark: <c>{view}-{width}-{theme}.png</c> in the folder.</summary>
    private static async Task<List<string>> ShootEverySizeAsync(IPage page, string folder, string view)
    {
        var shots = new List<string>();
        foreach (var (scheme, theme) in new[] { (ColorScheme.Light, "light"), (ColorScheme.Dark, "dark") })
            foreach (var size in new[] { new ViewportSize { Width = 360, Height = 740 }, Tablet, Desktop })
            {
                await page.SetViewportSizeAsync(size.Width, size.Height);
                await page.EmulateMediaAsync(new() { ColorScheme = scheme });
                var file = $"{view}-{size.Width}-{theme}.png";
                await page.ScreenshotAsync(new() { Path = Path.Combine(folder, file) });
                shots.Add(file);
            }
        return shots;
    }
}
