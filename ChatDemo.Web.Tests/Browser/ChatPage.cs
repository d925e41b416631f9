using ChatDemo.Web.Tests.TestInfrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatDemo.Web.Tests.Browser;

/// <summary>
/// One person's tab: its own browser context (own localStorage, own network switch) on the
/// page, driven only through the data-testid hooks listed in docs/chat-page.md.
/// </summary>
public sealed class ChatPage : IAsyncDisposable
{
    // Asked on every navigation: a restarted app listens on a new port.
    private readonly Func<Uri> _baseUri;

    private ChatPage(Func<Uri> baseUri, IBrowserContext context, IPage page)
    {
        _baseUri = baseUri;
        Context = context;
        Page = page;
        Page.Dialog += (_, dialog) =>
        {
            Dialogs.Add(dialog.Message);
            _ = dialog.DismissAsync();
        };
        Page.Console += (_, message) =>
        {
            // "Failed to load resource" names no resource; its location does.
            if (message.Type == "error") ConsoleErrors.Add(string.IsNullOrEmpty(message.Location) ? message.Text : $"{message.Text} at {message.Location}");
        };
        Page.PageError += (_, error) => ConsoleErrors.Add(error);
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    /// <summary>Messages of any alert/confirm/prompt the page opened (there should be none).</summary>
    public List<string> Dialogs { get; } = [];

    public List<string> ConsoleErrors { get; } = [];

    public ILocator Messages => Page.GetByTestId("message");

    public ILocator MessageTexts => Page.GetByTestId("message-text");

    public ILocator SystemLines => Page.GetByTestId("system-line");

    public ILocator PresenceUsers => Page.GetByTestId("presence-user");

    public ILocator Typing => Page.GetByTestId("typing-indicator");

    public ILocator Status => Page.GetByTestId("connection-status");

    public ILocator Composer => Page.GetByTestId("composer-input");

    /// <summary>The room list's entry for a room (docs/chat-page.md, "Rooms").</summary>
    public ILocator RoomItem(string room) => Page.Locator($"[data-testid='room-item'][data-room='{room}']");

    /// <summary>A member's row in the members panel.</summary>
    public ILocator Member(string userId) => Page.Locator($"[data-testid='member'][data-user-id='{userId}']");

    public ILocator Notice => Page.GetByTestId("room-notice");

    /// <summary>This tab's user id, from the session the page remembers.</summary>
    public async Task<string> UserIdAsync() =>
        await Page.EvaluateAsync<string>("() => JSON.parse(localStorage.getItem('chatdemo.session')).userId");

    /// <summary>
    /// Opens the room list (a panel behind the header's Rooms button below 1000 px, a column above)
    /// and enters a room from it; waits until the page is connected there.
    /// </summary>
    public async Task OpenRoomFromListAsync(string room)
    {
        var toggle = Page.GetByTestId("rooms-button");
        if (await toggle.IsVisibleAsync()) await toggle.ClickAsync();
        await Page.RunAndWaitForResponseAsync(
            () => RoomItem(room).ClickAsync(),
            response => response.Url.Contains($"/api/rooms/{room}/presence", StringComparison.Ordinal));
        await ExpectConnectedAsync();
        await Expect(Page.Locator("#room-name")).ToHaveTextAsync($"#{room}");
    }

    /// <summary>Creates a room with the New room dialog; the page then enters it.</summary>
    public async Task CreateRoomAsync(string room, bool isPrivate, string? title = null)
    {
        var toggle = Page.GetByTestId("rooms-button");
        if (await toggle.IsVisibleAsync()) await toggle.ClickAsync();
        await Page.GetByTestId("new-room-button").ClickAsync();
        await Page.GetByTestId("new-room-name").FillAsync(room);
        if (title is not null) await Page.GetByTestId("new-room-title").FillAsync(title);
        await Page.GetByTestId(isPrivate ? "new-room-private" : "new-room-public").CheckAsync();
        await Page.RunAndWaitForResponseAsync(
            () => Page.GetByTestId("create-room-submit").ClickAsync(),
            response => response.Url.Contains($"/api/rooms/{room}/presence", StringComparison.Ordinal));
        await ExpectConnectedAsync();
    }

    /// <summary>Opens the members panel and waits for the member list to be read.</summary>
    public async Task OpenMembersAsync()
    {
        await Page.GetByTestId("members-button").ClickAsync();
        await Expect(Page.GetByTestId("members-panel")).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("member").First).ToBeVisibleAsync();
    }

    /// <summary>Creates an invite in the members panel (open) and returns its link.</summary>
    public async Task<string> CreateInviteLinkAsync()
    {
        await Page.GetByTestId("invite-button").ClickAsync();
        var link = Page.GetByTestId("invite-link");
        await Expect(link).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("invite="));
        return await link.InputValueAsync();
    }

    /// <summary>Opens an invite link (from another browser), joins under this name and waits until connected.</summary>
    public async Task JoinByInviteAsync(string link, string name)
    {
        await Page.GotoAsync(link);
        await Page.GetByTestId("name-input").FillAsync(name);
        await Page.GetByTestId("join-button").ClickAsync();
        await ExpectConnectedAsync();
    }

    /// <summary>Opens a member's actions in the members panel.</summary>
    public async Task<ILocator> MemberActionsAsync(string userId)
    {
        var member = Member(userId);
        var summary = member.GetByTestId("member-actions");
        if (await member.Locator("details[open]").CountAsync() == 0) await summary.ClickAsync();
        return member;
    }

    public static Task<ChatPage> OpenAsync(IBrowser browser, ChatApp app, BrowserNewContextOptions? options = null) =>
        OpenAsync(browser, () => app.BaseUri, options);

    /// <summary>A page at another address than the app's own (e.g. the proxy in front of it).</summary>
    public static async Task<ChatPage> OpenAsync(IBrowser browser, Func<Uri> baseUri, BrowserNewContextOptions? options = null)
    {
        var context = await browser.NewContextAsync(options ?? new BrowserNewContextOptions());
        context.SetDefaultTimeout(20_000);
        var page = await context.NewPageAsync();
        return new ChatPage(baseUri, context, page);
    }

    public async Task GotoAsync(string pathAndQuery = "/") =>
        await Page.GotoAsync(new Uri(_baseUri(), pathAndQuery).ToString());

    /// <summary>Joins through the form and waits until the page has loaded history and presence.</summary>
    public async Task JoinAsync(string name, string room = "lobby")
    {
        await GotoAsync($"/?room={room}");
        await Page.GetByTestId("name-input").FillAsync(name);
        await Page.GetByTestId("room-input").FillAsync(room);
        await Page.RunAndWaitForResponseAsync(
            () => Page.GetByTestId("join-button").ClickAsync(),
            response => response.Url.Contains($"/api/rooms/{room}/presence", StringComparison.Ordinal));
        await ExpectConnectedAsync();
    }

    public async Task ExpectConnectedAsync() => await Expect(Status).ToHaveAttributeAsync("data-state", "connected");

    /// <summary>Types a message and presses Enter, as a person would.</summary>
    public async Task SendAsync(string text)
    {
        await Composer.FillAsync(text);
        await Composer.PressAsync("Enter");
    }

    /// <summary>The message with this text, once sent (acked by the server).</summary>
    public ILocator Sent(string text) =>
        Page.Locator("[data-testid='message'][data-status='sent']").Filter(new() { Has = Page.GetByTestId("message-text").GetByText(text, new() { Exact = true }) });

    public ILocator Message(string text) =>
        Messages.Filter(new() { Has = Page.GetByTestId("message-text").GetByText(text, new() { Exact = true }) });

    /// <summary>The seq of every message in document order.</summary>
    public async Task<long[]> SeqsAsync() =>
        (await Messages.EvaluateAllAsync<string[]>("items => items.map(m => m.dataset.seq)")).Select(long.Parse).ToArray();

    public async Task<string[]> IdsAsync() =>
        await Messages.EvaluateAllAsync<string[]>("items => items.map(m => m.dataset.id)");

    public async ValueTask DisposeAsync() => await Context.DisposeAsync();
}
