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
            if (message.Type == "error") ConsoleErrors.Add(message.Text);
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
