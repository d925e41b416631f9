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

    /// <summary>
    /// Every visible input, button, select, textarea, link and card (.join-card, .composer) whose
    /// box reaches past the left or right edge of its parent's content box, or of the card it sits in,
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
              for (const control of document.querySelectorAll('input, button, select, textarea, a, .join-card, .composer')) {
                if (!control.checkVisibility()) continue;
                const box = control.getBoundingClientRect();
                if (box.width === 0) continue;
                const containers = [control.parentElement, control.parentElement.closest('.join-card, .composer')]
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
