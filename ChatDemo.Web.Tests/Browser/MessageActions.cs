using System.Text.Json;
using ChatDemo.Web.Tests.TestInfrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatDemo.Web.Tests.Browser;

/// <summary>
/// What a person does to a message on the page (protocol v1.1: edit, delete, react, reply), through
/// the hooks docs/chat-page.md lists, and what the page shows of a room compared with what is stored.
/// </summary>
internal static class MessageActions
{
    public static ILocator BySeq(this ChatPage page, long seq) =>
        page.Page.Locator($"[data-testid='message'][data-seq='{seq}']");

    public static ILocator Reaction(this ILocator message, string emoji) =>
        message.Locator($"[data-testid='reaction'][data-emoji='{emoji}']");

    /// <summary>Edit, new text, Enter.</summary>
    public static async Task EditAsync(this ILocator message, string text)
    {
        await message.GetByTestId("edit-button").ClickAsync();
        var input = message.GetByTestId("edit-input");
        await input.FillAsync(text);
        await input.PressAsync("Enter");
    }

    /// <summary>Delete, then Delete again in the confirmation.</summary>
    public static async Task DeleteAsync(this ILocator message)
    {
        await message.GetByTestId("delete-button").ClickAsync();
        await message.GetByTestId("delete-confirm").ClickAsync();
    }

    /// <summary>The reaction button, then the emoji in the picker.</summary>
    public static async Task ReactAsync(this ILocator message, string emoji)
    {
        await message.GetByTestId("react-button").ClickAsync();
        await message.Locator($"[data-testid='reaction-option'][data-emoji='{emoji}']").ClickAsync();
    }

    /// <summary>Reply on the message, then the text sent from the composer.</summary>
    public static async Task ReplyAsync(this ChatPage page, ILocator message, string text)
    {
        await message.GetByTestId("reply-button").ClickAsync();
        await Expect(page.Page.GetByTestId("composer-reply")).ToBeVisibleAsync();
        await page.SendAsync(text);
    }

    public static async Task<string> UserIdAsync(this ChatPage page) =>
        await page.Page.EvaluateAsync<string>("() => JSON.parse(localStorage.getItem('chatdemo.session')).userId");

    /// <summary>
    /// Waits until the page shows exactly the room's stored state, message by message: seq, version,
    /// text or tombstone, the edited marker, each reaction with its count and whether it is the
    /// viewer's. Fails with both sides when it does not within the timeout.
    /// </summary>
    public static async Task ExpectShowsStoredStateAsync(this ChatPage page, ChatApp app, string viewerId, string room = "lobby")
    {
        string[] expected = [], shown = [];
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            var history = await app.GetJsonAsync($"/api/rooms/{room}/messages?limit=100");
            expected = history.GetProperty("messages").EnumerateArray().Select(m => Describe(m, viewerId)).ToArray();
            shown = await page.Page.GetByTestId("message").EvaluateAllAsync<string[]>("""
                items => items.map(m => {
                  const edited = m.querySelector('[data-testid="edited-marker"]');
                  const reactions = [...m.querySelectorAll('[data-testid="reaction"]')]
                    .map(r => `${r.dataset.emoji}${r.dataset.count}${r.getAttribute('aria-pressed') === 'true' ? '*' : ''}`).join(' ');
                  const deleted = m.dataset.deleted === 'true' && m.querySelector('[data-testid="message-deleted"]').checkVisibility();
                  const text = deleted ? '(deleted)' : m.querySelector('[data-testid="message-text"]').textContent;
                  return `${m.dataset.seq} v${m.dataset.version} ${text}${edited && !edited.hidden ? ' (edited)' : ''} [${reactions}] ${m.dataset.change || 'settled'}`;
                })
                """);
            if (expected.SequenceEqual(shown)) return;
            await Task.Delay(200);
        }
        Assert.Equal(expected, shown);
    }

    private static string Describe(JsonElement message, string viewerId)
    {
        var version = message.TryGetProperty("version", out var v) ? v.GetInt64() : 1;
        var deleted = message.TryGetProperty("deleted", out var d) && d.GetBoolean();
        var text = deleted ? "(deleted)" : message.GetProperty("text").GetString();
        var edited = message.TryGetProperty("editedAt", out _) ? " (edited)" : "";
        var reactions = message.TryGetProperty("reactions", out var r)
            ? string.Join(" ", r.EnumerateArray().Select(x =>
                $"{x.GetProperty("emoji").GetString()}{x.GetProperty("count").GetInt32()}" +
                (x.GetProperty("users").EnumerateArray().Any(u => u.GetProperty("id").GetString() == viewerId) ? "*" : "")))
            : "";
        return $"{message.GetProperty("seq").GetInt64()} v{version} {text}{edited} [{reactions}] settled";
    }
}
