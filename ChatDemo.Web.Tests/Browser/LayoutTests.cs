using ChatDemo.Web.Tests.TestInfrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatDemo.Web.Tests.Browser;

/// <summary>
/// What a person sees at phone, tablet and desktop widths: no control sticks out of the box it
/// sits in, and each view has one level-one heading.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class LayoutTests(BrowserFixture browser)
{
    public static TheoryData<int, int> Widths => new() { { 360, 740 }, { 768, 1024 }, { 1280, 800 } };

    [Theory]
    [MemberData(nameof(Widths))]
    public async Task NoControlOfTheJoinFormOrTheChatSticksOutOfItsContainer(int width, int height)
    {
        await using var app = await ChatApp.StartAsync();
        await using var alice = await ChatPage.OpenAsync(browser.Browser, app,
            new() { ViewportSize = new() { Width = width, Height = height }, ColorScheme = ColorScheme.Light });

        await alice.GotoAsync();
        await Expect(alice.Page.GetByTestId("name-input")).ToBeVisibleAsync();
        Assert.Empty(await OverflowingControlsAsync(alice.Page));
        await Expect(alice.Page.Locator("h1:visible")).ToHaveTextAsync(["Join a room"]);

        var (_, bob) = await app.JoinAsync("Bob");
        await using var _ = bob;
        await alice.JoinAsync("Alice");
        await alice.SendAsync("Hello! A message long enough to wrap onto a second line on a narrow phone screen.");
        await Expect(alice.Sent("Hello! A message long enough to wrap onto a second line on a narrow phone screen.")).ToHaveCountAsync(1);
        await Expect(alice.PresenceUsers).ToHaveCountAsync(2);
        await alice.Composer.FillAsync("a draft");

        Assert.Empty(await OverflowingControlsAsync(alice.Page));
        // axe-core's page-has-heading-one: the room's name is the chat view's heading.
        await Expect(alice.Page.Locator("h1:visible")).ToHaveTextAsync(["#lobby"]);

        // v1.1's controls fit too, and each has a name: a reply's quote, an edited message, reactions,
        // a tombstone, the reaction picker on a short message, the inline editor and the reply bar.
        await bob.SendMessageAsync("b-1", "ok");
        await bob.SendJsonAsync(new { action = "react", seq = 1, emoji = "👍", op = "add" });
        await alice.ReplyAsync(alice.BySeq(1), "A reply quoting the long message above, long enough itself to wrap on a phone.");
        await alice.BySeq(3).EditAsync("An edited reply quoting the long message above, long enough itself to wrap on a phone.");
        await alice.SendAsync("to be deleted");
        await alice.BySeq(4).DeleteAsync();
        await alice.BySeq(2).ReactAsync("🎉");
        await Expect(alice.BySeq(3).GetByTestId("edited-marker")).ToBeVisibleAsync();
        await Expect(alice.BySeq(4).GetByTestId("message-deleted")).ToBeVisibleAsync();
        await Expect(alice.BySeq(2).Reaction("🎉")).ToHaveAttributeAsync("aria-pressed", "true");
        await alice.BySeq(2).GetByTestId("react-button").ClickAsync();
        await alice.BySeq(3).GetByTestId("edit-button").ClickAsync();
        await alice.BySeq(1).GetByTestId("reply-button").ClickAsync();
        await Expect(alice.BySeq(2).GetByTestId("reaction-picker")).ToBeVisibleAsync();
        await Expect(alice.BySeq(3).GetByTestId("edit-input")).ToBeVisibleAsync();

        Assert.Empty(await OverflowingControlsAsync(alice.Page));
        Assert.Empty(await alice.Page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('main button, main textarea, main input')]
              .filter(c => c.checkVisibility() && !(c.getAttribute('aria-label') || c.labels?.length || c.textContent.trim()))
              .map(c => c.outerHTML)
            """));
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public async Task TheRoomListTheMembersPanelTheNewRoomDialogAndTheBannedNoticeFitInLightAndDark(int width, int height)
    {
        await using var app = await ChatApp.StartAsync();
        var size = new ViewportSize { Width = width, Height = height };
        await using var olive = await ChatPage.OpenAsync(browser.Browser, app, new() { ViewportSize = size, ColorScheme = ColorScheme.Light });
        await using var ivy = await ChatPage.OpenAsync(browser.Browser, app, new() { ViewportSize = size });
        await olive.JoinAsync("Olive");
        await olive.CreateRoomAsync("a-room-with-a-rather-long-name-for-a-narrow-screen", isPrivate: true,
            title: "A title long enough to wrap or be cut on a phone screen, eighty at most");
        await olive.OpenMembersAsync();
        var link = await olive.CreateInviteLinkAsync();
        await ivy.JoinByInviteAsync(link, "Ivy with a long display name");
        var member = await olive.MemberActionsAsync(await ivy.UserIdAsync());
        await Expect(member.GetByTestId("ban-button")).ToBeVisibleAsync();

        var rooms = olive.Page.GetByTestId("rooms-button");
        foreach (var scheme in new[] { ColorScheme.Light, ColorScheme.Dark })
        {
            await olive.Page.EmulateMediaAsync(new() { ColorScheme = scheme });
            Assert.Empty(await OverflowingControlsAsync(olive.Page)); // the members panel, a member's actions open
            await olive.Page.Keyboard.PressAsync("Escape");
            await Expect(olive.Page.GetByTestId("members-panel")).ToBeHiddenAsync();

            if (width < 1000)
            {
                await Expect(olive.Page.GetByTestId("room-list-panel")).Not.ToBeInViewportAsync();
                await rooms.ClickAsync();
                await Expect(rooms).ToHaveAttributeAsync("aria-expanded", "true");
            }
            await Expect(olive.Page.GetByTestId("room-list-panel")).ToBeInViewportAsync();
            Assert.Empty(await OverflowingControlsAsync(olive.Page)); // the room list
            await olive.Page.GetByTestId("new-room-button").ClickAsync();
            await Expect(olive.Page.GetByTestId("new-room-name")).ToBeFocusedAsync();
            Assert.Empty(await OverflowingControlsAsync(olive.Page)); // the New room dialog
            await olive.Page.Keyboard.PressAsync("Escape");
            if (width < 1000)
            {
                await olive.Page.GetByTestId("new-room-button").PressAsync("Escape");
                await Expect(rooms).ToHaveAttributeAsync("aria-expanded", "false");
            }
            await olive.Page.GetByTestId("members-button").ClickAsync();
            await Expect(olive.Page.GetByTestId("members-panel")).ToBeVisibleAsync();
        }
        await Expect(olive.Page.Locator("h1:visible")).ToHaveTextAsync(["#a-room-with-a-rather-long-name-for-a-narrow-screen"]);

        // Banned for an hour: the notice and its way back to the room list fit, and it has the focus.
        member = await olive.MemberActionsAsync(await ivy.UserIdAsync());
        await member.GetByTestId("ban-duration").SelectOptionAsync("3600");
        await member.GetByTestId("ban-button").ClickAsync();
        await Expect(ivy.Notice).ToHaveAttributeAsync("data-reason", "banned");
        await Expect(ivy.Page.GetByTestId("notice-action")).ToBeFocusedAsync();
        foreach (var scheme in new[] { ColorScheme.Light, ColorScheme.Dark })
        {
            await ivy.Page.EmulateMediaAsync(new() { ColorScheme = scheme });
            Assert.Empty(await OverflowingControlsAsync(ivy.Page));
        }
    }

    /// <summary>
    /// Every visible input, button, select, textarea, link, summary and card (.join-card, .composer,
    /// .room-notice, a member's row, a room's entry) whose box reaches past the left or right edge of
    /// its parent's content box, or of the card, dialog or room list it sits in,
    /// described as "control: container by N px". Sideways only: scrolling containers legitimately
    /// hold controls above or below what they show.
    /// </summary>
    private static async Task<string[]> OverflowingControlsAsync(IPage page) =>
        await page.EvaluateAsync<string[]>("""
            () => {
              const describe = e => {
                const name = e.dataset.testid || e.id;
                return e.tagName.toLowerCase() + (name ? `[${name}]` : [...e.classList].map(c => `.${c}`).join(''));
              };
              const contentBox = e => {
                const r = e.getBoundingClientRect(), s = getComputedStyle(e);
                return {
                  left: r.left + parseFloat(s.borderLeftWidth) + parseFloat(s.paddingLeft),
                  right: r.right - parseFloat(s.borderRightWidth) - parseFloat(s.paddingRight),
                };
              };
              const problems = [];
              // The cards themselves must fit their parents too (the join card once ran past a phone's edges).
              for (const control of document.querySelectorAll('input, button, select, textarea, a, summary, .join-card, .composer, .room-notice, .member, .room-item')) {
                if (!control.checkVisibility()) continue;
                const box = control.getBoundingClientRect();
                if (box.width === 0) continue;
                const containers = [control.parentElement, control.parentElement.closest('.join-card, .composer, .dialog, .rooms')]
                  .filter((c, i, all) => c && all.indexOf(c) === i);
                for (const container of containers) {
                  const inner = contentBox(container);
                  const over = Math.max(inner.left - box.left, box.right - inner.right);
                  if (over > 0.5) problems.push(`${describe(control)}: ${describe(container)} by ${over.toFixed(1)} px`);
                }
              }
              return problems;
            }
            """);
}
