using ChatDemo.Web.Tests.TestInfrastructure;
using static Microsoft.Playwright.Assertions;

namespace ChatDemo.Web.Tests.Browser;

/// <summary>
/// Protocol v1.1 on the page (docs/chat-page.md, "Messages that change"): editing, deleting,
/// reacting and replying in one browser, seen in another, each against a real Kestrel app.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ChangingMessagesTests(BrowserFixture browser)
{
    [Fact]
    public async Task EditingYourMessageInlineShowsTheNewTextMarkedEditedToEveryoneAndEscapeCancels()
    {
        await using var app = await ChatApp.StartAsync();
        await using var alice = await ChatPage.OpenAsync(browser.Browser, app);
        await using var bob = await ChatPage.OpenAsync(browser.Browser, app);
        await alice.JoinAsync("Alice");
        await bob.JoinAsync("Bob");
        await alice.SendAsync("helo everyone");
        await Expect(bob.Sent("helo everyone")).ToHaveCountAsync(1);
        var mine = alice.BySeq(1);
        await Expect(mine.GetByTestId("edited-marker")).ToBeHiddenAsync();
        // Bob may not edit or delete Alice's message: those buttons are not there for him.
        await bob.BySeq(1).HoverAsync();
        await Expect(bob.BySeq(1).GetByTestId("reply-button")).ToBeVisibleAsync();
        await Expect(bob.BySeq(1).GetByTestId("edit-button")).ToBeHiddenAsync();
        await Expect(bob.BySeq(1).GetByTestId("delete-button")).ToBeHiddenAsync();

        await mine.EditAsync("hello everyone");

        foreach (var page in new[] { alice, bob })
        {
            await Expect(page.BySeq(1).GetByTestId("message-text")).ToHaveTextAsync("hello everyone");
            await Expect(page.BySeq(1).GetByTestId("edited-marker")).ToBeVisibleAsync();
            await Expect(page.BySeq(1)).ToHaveAttributeAsync("data-version", "2");
            await Expect(page.BySeq(1)).ToHaveAttributeAsync("data-change", "");
        }
        await Expect(alice.Composer).ToBeFocusedAsync();

        await mine.GetByTestId("edit-button").ClickAsync();
        await Expect(mine.GetByTestId("edit-input")).ToBeFocusedAsync();
        await Expect(mine.GetByTestId("edit-input")).ToHaveValueAsync("hello everyone");
        await mine.GetByTestId("edit-input").FillAsync("not this");
        await mine.GetByTestId("edit-input").PressAsync("Escape");

        await Expect(mine.GetByTestId("edit-input")).ToHaveCountAsync(0);
        await Expect(mine.GetByTestId("message-text")).ToHaveTextAsync("hello everyone");
        await Expect(alice.Composer).ToBeFocusedAsync();
        await alice.ExpectShowsStoredStateAsync(app, await alice.UserIdAsync());
        var stored = (await app.GetJsonAsync("/api/rooms/lobby/messages/1"));
        Assert.Equal("hello everyone", stored.GetProperty("text").GetString());
        Assert.Empty(alice.ConsoleErrors);
    }

    [Fact]
    public async Task UpArrowInAnEmptyComposerEditsYourLastMessageFromTheKeyboard()
    {
        await using var app = await ChatApp.StartAsync();
        await using var alice = await ChatPage.OpenAsync(browser.Browser, app);
        await alice.JoinAsync("Alice");
        var (_, bob) = await app.JoinAsync("Bob");
        await using var _ = bob;
        await alice.SendAsync("first");
        await alice.SendAsync("secnod");
        await Expect(alice.Sent("secnod")).ToHaveCountAsync(1);
        await bob.SendMessageAsync("b-1", "Bob's is newer");
        await Expect(alice.Sent("Bob's is newer")).ToHaveCountAsync(1);

        await alice.Composer.FocusAsync();
        await alice.Composer.PressAsync("ArrowUp");

        var input = alice.BySeq(2).GetByTestId("edit-input");
        await Expect(input).ToBeFocusedAsync();
        await Expect(input).ToHaveValueAsync("secnod");
        await alice.Page.Keyboard.PressAsync("Control+A");
        await alice.Page.Keyboard.TypeAsync("second");
        await alice.Page.Keyboard.PressAsync("Enter");

        await Expect(alice.BySeq(2).GetByTestId("message-text")).ToHaveTextAsync("second");
        var updated = await bob.WaitForAsync("messageUpdated");
        Assert.Equal(2, updated.GetProperty("seq").GetInt64());
        Assert.Equal("second", updated.GetProperty("text").GetString());
        await Expect(alice.Composer).ToBeFocusedAsync();

        // With text in the composer, Up arrow moves the caret as usual.
        await alice.Composer.FillAsync("a draft");
        await alice.Composer.PressAsync("ArrowUp");
        await Expect(alice.Page.GetByTestId("edit-input")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task DeletingAsksForConfirmationThenLeavesATombstoneForEveryone()
    {
        await using var app = await ChatApp.StartAsync();
        await using var alice = await ChatPage.OpenAsync(browser.Browser, app);
        await using var bob = await ChatPage.OpenAsync(browser.Browser, app);
        await alice.JoinAsync("Alice");
        await bob.JoinAsync("Bob");
        await alice.SendAsync("oops, wrong room");
        await Expect(bob.Sent("oops, wrong room")).ToHaveCountAsync(1);
        var mine = alice.BySeq(1);

        await mine.GetByTestId("delete-button").ClickAsync();
        await Expect(mine.GetByTestId("delete-cancel")).ToBeFocusedAsync();
        await mine.GetByTestId("delete-cancel").ClickAsync();
        await Expect(mine.GetByTestId("delete-confirm")).ToHaveCountAsync(0);
        await mine.GetByTestId("delete-button").ClickAsync();
        await alice.Page.Keyboard.PressAsync("Escape");
        await Expect(mine.GetByTestId("delete-confirm")).ToHaveCountAsync(0);
        await Expect(mine.GetByTestId("delete-button")).ToBeFocusedAsync();
        await bob.Page.WaitForTimeoutAsync(300);
        await Expect(bob.BySeq(1).GetByTestId("message-text")).ToHaveTextAsync("oops, wrong room");

        await mine.DeleteAsync();

        foreach (var page in new[] { alice, bob })
        {
            var tombstone = page.BySeq(1);
            await Expect(tombstone.GetByTestId("message-deleted")).ToHaveTextAsync("Message deleted");
            await Expect(tombstone).ToHaveAttributeAsync("data-deleted", "true");
            await Expect(tombstone.GetByTestId("message-text")).ToBeHiddenAsync();
            await Expect(tombstone.GetByTestId("message-sender")).ToHaveTextAsync("Alice");
            await Expect(tombstone.GetByTestId("message-actions")).ToBeHiddenAsync();
        }
        Assert.DoesNotContain("oops", await bob.Page.GetByTestId("message-list").InnerTextAsync(), StringComparison.Ordinal);
        var stored = await app.GetJsonAsync("/api/rooms/lobby/messages/1");
        Assert.True(stored.GetProperty("deleted").GetBoolean());
        Assert.Equal("", stored.GetProperty("text").GetString());
        Assert.Empty(alice.Dialogs);
    }

    [Fact]
    public async Task ReactionsShowCountsHighlightYourOwnAndToggleWithAClickOrTheKeyboard()
    {
        await using var app = await ChatApp.StartAsync();
        await using var alice = await ChatPage.OpenAsync(browser.Browser, app);
        await using var bob = await ChatPage.OpenAsync(browser.Browser, app);
        await alice.JoinAsync("Alice");
        await bob.JoinAsync("Bob");
        await bob.SendAsync("the build is green");
        await Expect(alice.Sent("the build is green")).ToHaveCountAsync(1);

        await alice.BySeq(1).ReactAsync("🎉");

        foreach (var page in new[] { alice, bob })
            await Expect(page.BySeq(1).Reaction("🎉")).ToHaveAttributeAsync("data-count", "1");
        await Expect(alice.BySeq(1).Reaction("🎉")).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(bob.BySeq(1).Reaction("🎉")).ToHaveAttributeAsync("aria-pressed", "false");
        await Expect(alice.BySeq(1).GetByTestId("reaction-picker")).ToHaveCountAsync(0);

        // Bob joins Alice's reaction from its chip, then adds another with the keyboard only.
        await bob.BySeq(1).Reaction("🎉").ClickAsync();
        await bob.BySeq(1).GetByTestId("react-button").FocusAsync();
        await bob.Page.Keyboard.PressAsync("Enter");
        await Expect(bob.BySeq(1).GetByTestId("reaction-option").First).ToBeFocusedAsync();
        await bob.Page.Keyboard.PressAsync("Enter");

        foreach (var page in new[] { alice, bob })
        {
            await Expect(page.BySeq(1).Reaction("🎉")).ToHaveAttributeAsync("data-count", "2");
            await Expect(page.BySeq(1).Reaction("👍")).ToHaveAttributeAsync("data-count", "1");
        }
        await Expect(bob.BySeq(1).Reaction("🎉")).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(bob.BySeq(1).Reaction("🎉")).ToHaveAccessibleNameAsync("🎉 2 reactions, yours included");

        await alice.BySeq(1).Reaction("🎉").ClickAsync();

        foreach (var page in new[] { alice, bob })
            await Expect(page.BySeq(1).Reaction("🎉")).ToHaveAttributeAsync("data-count", "1");
        await Expect(alice.BySeq(1).Reaction("🎉")).ToHaveAttributeAsync("aria-pressed", "false");
        await alice.ExpectShowsStoredStateAsync(app, await alice.UserIdAsync());
        await bob.ExpectShowsStoredStateAsync(app, await bob.UserIdAsync());
    }

    [Fact]
    public async Task AReplyQuotesItsTargetFetchedWhenNotLoadedAndJumpsToIt()
    {
        await using var app = await ChatApp.StartAsync();
        var (_, carol) = await app.JoinAsync("Carol");
        await using var _ = carol;
        await carol.SendMessageAsync("c-0", "Where is the release checklist?");
        await carol.WaitForAsync("ack");
        // Enough after it that a newcomer's first page does not hold it (a connection may burst 20).
        for (var sender = 0; sender < 3; sender++)
        {
            var (_, filler) = await app.JoinAsync($"Filler {sender}");
            await using var __ = filler;
            for (var i = 0; i < 18; i++)
            {
                await filler.SendMessageAsync($"f{sender}-{i}", $"filler {sender}-{i}");
                await filler.WaitForAsync("ack");
            }
        }
        await carol.SendJsonAsync(new { action = "sendMessage", clientMessageId = "c-56", text = "Found it, never mind", replyTo = 1 });
        await carol.WaitForAsync("ack");
        await using var alice = await ChatPage.OpenAsync(browser.Browser, app);
        await alice.JoinAsync("Alice");
        await Expect(alice.BySeq(1)).ToHaveCountAsync(0);

        var quote = alice.BySeq(56).GetByTestId("reply-quote");
        await Expect(quote.GetByTestId("reply-quote-sender")).ToHaveTextAsync("Carol");
        await Expect(quote.GetByTestId("reply-quote-text")).ToHaveTextAsync("Where is the release checklist?");
        await quote.ClickAsync();
        await Expect(alice.BySeq(1)).ToBeFocusedAsync();
        await Expect(alice.BySeq(1)).ToBeInViewportAsync();

        // Alice replies to the reply from the page: her message quotes it, for Carol too.
        await alice.ReplyAsync(alice.BySeq(56), "Great, thanks");
        await Expect(alice.Sent("Great, thanks").GetByTestId("reply-quote-text")).ToHaveTextAsync("Found it, never mind");
        var reply = await carol.WaitForAsync("message", m => m.GetProperty("text").GetString() == "Great, thanks");
        Assert.Equal(56, reply.GetProperty("replyTo").GetInt64());
        await Expect(alice.Page.GetByTestId("composer-reply")).ToBeHiddenAsync();

        // The quotes follow their targets: an edit, then a delete.
        await carol.SendJsonAsync(new { action = "editMessage", seq = 56, text = "Found it in the wiki" });
        await Expect(alice.Sent("Great, thanks").GetByTestId("reply-quote-text")).ToHaveTextAsync("Found it in the wiki");
        await carol.SendJsonAsync(new { action = "deleteMessage", seq = 1 });
        await Expect(alice.BySeq(56).GetByTestId("reply-quote-text")).ToHaveTextAsync("deleted message");
        await Expect(alice.BySeq(1).GetByTestId("message-deleted")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task ReplyingCanBeCancelledWithEscapeAndTheMessageGoesAsAnOrdinaryOne()
    {
        await using var app = await ChatApp.StartAsync();
        await using var alice = await ChatPage.OpenAsync(browser.Browser, app);
        await alice.JoinAsync("Alice");
        await alice.SendAsync("question");
        await Expect(alice.Sent("question")).ToHaveCountAsync(1);

        await alice.BySeq(1).GetByTestId("reply-button").ClickAsync();
        await Expect(alice.Page.GetByTestId("composer-reply")).ToContainTextAsync("Replying to Alice");
        await Expect(alice.Composer).ToBeFocusedAsync();
        await alice.Composer.PressAsync("Escape");
        await Expect(alice.Page.GetByTestId("composer-reply")).ToBeHiddenAsync();
        await alice.SendAsync("not a reply");

        await Expect(alice.Sent("not a reply")).ToHaveCountAsync(1);
        await Expect(alice.Sent("not a reply").GetByTestId("reply-quote")).ToHaveCountAsync(0);
        var stored = await app.GetJsonAsync("/api/rooms/lobby/messages/2");
        Assert.False(stored.TryGetProperty("replyTo", out _));
    }

    [Fact]
    public async Task ABrowserThatWasOfflineWhileAMessageWasEditedDeletedAndReactedToShowsExactlyTheStoredState()
    {
        await using var app = await ChatApp.StartAsync();
        await using var alice = await ChatPage.OpenAsync(browser.Browser, app);
        await using var bob = await ChatPage.OpenAsync(browser.Browser, app);
        await alice.JoinAsync("Alice");
        await bob.JoinAsync("Bob");
        var (_, carol) = await app.JoinAsync("Carol");
        await using var _ = carol;
        foreach (var text in new[] { "keep me", "edit me", "delete me" })
            await alice.SendAsync(text);
        await Expect(bob.Sent("delete me")).ToHaveCountAsync(1);
        await bob.BySeq(3).ReactAsync("👍");
        await Expect(alice.BySeq(3).Reaction("👍")).ToHaveAttributeAsync("data-count", "1");

        var bobsChangeReads = new List<string>();
        bob.Page.Request += (_, request) =>
        {
            if (request.Url.Contains("changedSince=", StringComparison.Ordinal)) lock (bobsChangeReads) bobsChangeReads.Add(request.Url);
        };
        await bob.Context.SetOfflineAsync(true);
        await Expect(bob.Status).ToHaveAttributeAsync("data-state", "offline");
        await alice.BySeq(2).EditAsync("edited while Bob was away");
        await alice.BySeq(3).DeleteAsync();
        await alice.BySeq(1).ReactAsync("🎉");
        await carol.SendJsonAsync(new { action = "react", seq = 1, emoji = "🎉", op = "add" });
        await carol.SendJsonAsync(new { action = "react", seq = 2, emoji = "❤️", op = "add" });
        await alice.SendAsync("a new one");
        await alice.ExpectShowsStoredStateAsync(app, await alice.UserIdAsync());
        // Bob reacts while offline: shown at once as pending, sent when he is back.
        await bob.BySeq(1).ReactAsync("😂");
        await Expect(bob.BySeq(1)).ToHaveAttributeAsync("data-change", "pending");
        await bob.Page.WaitForTimeoutAsync(500);
        await Expect(bob.BySeq(2).GetByTestId("message-text")).ToHaveTextAsync("edit me");
        await Expect(bob.BySeq(3).GetByTestId("message-text")).ToHaveTextAsync("delete me");

        await bob.Context.SetOfflineAsync(false);

        await bob.ExpectConnectedAsync();
        var bobId = await bob.UserIdAsync();
        await bob.ExpectShowsStoredStateAsync(app, bobId);
        await alice.ExpectShowsStoredStateAsync(app, await alice.UserIdAsync());
        var kept = await app.GetJsonAsync("/api/rooms/lobby/messages/1");
        Assert.Equal(["🎉", "😂"], kept.GetProperty("reactions").EnumerateArray().Select(r => r.GetProperty("emoji").GetString()!).ToArray());
        Assert.Equal(2, kept.GetProperty("reactions")[0].GetProperty("count").GetInt32());
        await Expect(bob.BySeq(3).GetByTestId("message-deleted")).ToBeVisibleAsync();
        await Expect(bob.BySeq(3).GetByTestId("reactions")).ToBeHiddenAsync();
        // The changes came from the revision catch-up (10.8), read from the revision Bob held.
        lock (bobsChangeReads) Assert.Contains(bobsChangeReads, url => url.Contains("changedSince=1&", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ARefusedChangeSaysWhyUndoesWhatItShowedAndCanBeDiscarded()
    {
        // Bob's socket sends a message and 20 reactions at once: more than the default burst.
        await using var app = await ChatApp.StartAsync(new Dictionary<string, string?> { ["Chat:Limits:SendBurst"] = "100" });
        await using var alice = await ChatPage.OpenAsync(browser.Browser, app);
        await alice.JoinAsync("Alice");
        var (_, bob) = await app.JoinAsync("Bob");
        await using var _ = bob;
        await bob.SendMessageAsync("b-1", "a popular message");
        await bob.WaitForAsync("ack");
        // 20 distinct emoji, none of them the picker's: the most one message may carry (10.5).
        foreach (var emoji in new[] { "🍎", "🍌", "🍇", "🍉", "🍓", "🍒", "🍑", "🍍", "🥝", "🥥", "🥑", "🍆", "🥕", "🌽", "🥒", "🥦", "🧄", "🧅", "🍄", "🥜" })
        {
            await bob.SendJsonAsync(new { action = "react", seq = 1, emoji, op = "add" });
            await bob.WaitForAsync("updateAck");
        }
        var message = alice.BySeq(1);
        await Expect(message.GetByTestId("reaction")).ToHaveCountAsync(20);

        await message.ReactAsync("👍");

        await Expect(message).ToHaveAttributeAsync("data-change", "failed");
        var state = message.GetByTestId("change-state");
        await Expect(state).ToHaveAttributeAsync("data-status", "failed");
        await Expect(state).ToContainTextAsync("Reaction 👍 not saved: that message has too many reactions");
        await Expect(state.GetByTestId("change-retry")).ToHaveCountAsync(0);
        await Expect(message.Reaction("👍")).ToHaveCountAsync(0);
        await Expect(message.GetByTestId("reaction")).ToHaveCountAsync(20);

        await state.GetByTestId("change-discard").ClickAsync();

        await Expect(message).ToHaveAttributeAsync("data-change", "");
        await Expect(state).ToBeHiddenAsync();
        Assert.Null(await alice.Page.EvaluateAsync<string?>("() => localStorage.getItem('chatdemo.changes.lobby')"));
        await alice.ExpectShowsStoredStateAsync(app, await alice.UserIdAsync());
    }
}
