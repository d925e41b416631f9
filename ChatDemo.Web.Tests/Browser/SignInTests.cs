using ChatDemo.Web.Accounts;
using ChatDemo.Web.Tests.Accounts;
using ChatDemo.Web.Tests.TestInfrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatDemo.Web.Tests.Browser;

/// <summary>Signing in on the page through a real OpenID provider's own login form (npm oidc-provider).</summary>
[Collection(BrowserCollection.Name)]
public sealed class SignInTests(BrowserFixture browser)
{
    private const string UserIdScript = "() => JSON.parse(localStorage.getItem('chatdemo.session') ?? 'null')?.userId ?? null";

    /// <summary>Clicks Sign in, signs in on the provider's form as <paramref name="login"/>, and waits until the page is back.</summary>
    private static async Task SignInAsync(ChatPage tab, OidcProvider provider, ChatApp app, string login)
    {
        await tab.Page.GetByTestId("sign-in-button").ClickAsync();
        try
        {
            // Not until "load": the provider's page imports a web font from the internet, which may hang here.
            await tab.Page.WaitForURLAsync(url => url.StartsWith(provider.Issuer + "/interaction/", StringComparison.Ordinal),
                new() { WaitUntil = WaitUntilState.DOMContentLoaded, Timeout = 40_000 });
        }
        catch (TimeoutException e)
        {
            var said = await tab.Page.Locator("#join-error").TextContentAsync(new() { Timeout = 1000 });
            throw new TimeoutException($"Sign in did not reach the provider's login form from {tab.Page.Url}; the page says: '{said}'", e);
        }
        await tab.Page.Locator("input[name=login]").FillAsync(login);
        await tab.Page.Locator("input[name=password]").FillAsync("any password: the provider's development form takes every one");
        await tab.Page.Locator("button[type=submit]").ClickAsync();
        await tab.Page.WaitForURLAsync(url => url.StartsWith(app.BaseUri.ToString(), StringComparison.Ordinal));
    }

    private static async Task JoinAsMemberAsync(ChatPage tab, string room)
    {
        await tab.Page.GetByTestId("room-input").FillAsync(room);
        await tab.Page.RunAndWaitForResponseAsync(
            () => tab.Page.GetByTestId("join-button").ClickAsync(),
            response => response.Url.Contains($"/api/rooms/{room}/presence", StringComparison.Ordinal));
        await tab.ExpectConnectedAsync();
    }

    [Fact]
    public async Task AMemberSignsInOnTheProvidersFormChatsReloadsAndIsTheSameUserInAnotherBrowser()
    {
        await using var provider = await OidcProvider.StartAsync();
        await using var app = await ChatApp.StartAsync(ProviderApp.Settings(provider));
        var aliceId = MemberIdentity.UserId(provider.Issuer, "alice");

        await using var laptop = await ChatPage.OpenAsync(browser.Browser, app);
        // The provider's own pages log their own errors (web fonts it cannot fetch here, no favicon); ours must log none.
        var pageErrors = new List<string>();
        laptop.Page.Console += (_, message) =>
        {
            if (message.Type == "error" && message.Location.StartsWith(app.BaseUri.ToString(), StringComparison.Ordinal)) pageErrors.Add(message.Text);
        };
        laptop.Page.PageError += (_, error) => pageErrors.Add(error);
        await laptop.GotoAsync();
        await Expect(laptop.Page.GetByTestId("sign-in-button")).ToBeVisibleAsync();
        await Expect(laptop.Page.GetByText("or continue as a guest")).ToBeVisibleAsync();
        await Expect(laptop.Page.GetByTestId("name-input")).ToBeVisibleAsync();

        await SignInAsync(laptop, provider, app, "alice");
        await Expect(laptop.Page.GetByTestId("signed-in-name")).ToHaveTextAsync("Alice Liddell");
        await Expect(laptop.Page.GetByTestId("name-input")).ToBeHiddenAsync();
        await Expect(laptop.Page.GetByTestId("sign-in-button")).ToBeHiddenAsync();
        Assert.DoesNotContain("code=", laptop.Page.Url, StringComparison.Ordinal);

        await JoinAsMemberAsync(laptop, "members");
        await laptop.SendAsync("hello as a member");
        await Expect(laptop.Sent("hello as a member")).ToHaveCountAsync(1);
        await Expect(laptop.PresenceUsers.GetByText("Alice Liddell")).ToHaveCountAsync(1);
        Assert.Equal(aliceId, await laptop.Page.EvaluateAsync<string>(UserIdScript));

        // The provider's ID token is in this tab's sessionStorage, and nowhere in localStorage.
        var idToken = await laptop.Page.EvaluateAsync<string>("() => sessionStorage.getItem('chatdemo.oidc.idToken')");
        Assert.StartsWith("eyJ", idToken, StringComparison.Ordinal);
        var stored = await laptop.Page.EvaluateAsync<string[]>("() => Object.keys(localStorage).map(k => localStorage.getItem(k))");
        // Neither it nor any other token of the provider (they share its signed header) is in localStorage.
        Assert.DoesNotContain(stored, value => value.Contains(idToken.Split('.')[0], StringComparison.Ordinal));

        await laptop.Page.ReloadAsync();
        await laptop.ExpectConnectedAsync();
        await Expect(laptop.Sent("hello as a member")).ToHaveCountAsync(1);
        Assert.Equal(aliceId, await laptop.Page.EvaluateAsync<string>(UserIdScript));

        // Another device: nothing shared but the person.
        await using var phone = await ChatPage.OpenAsync(browser.Browser, app);
        await phone.GotoAsync();
        await SignInAsync(phone, provider, app, "alice");
        await Expect(phone.Page.GetByTestId("signed-in-name")).ToHaveTextAsync("Alice Liddell");
        Assert.Equal(aliceId, await phone.Page.EvaluateAsync<string>(UserIdScript));
        await JoinAsMemberAsync(phone, "members");
        await Expect(phone.Sent("hello as a member")).ToHaveCountAsync(1);
        await phone.SendAsync("and from my phone");
        await Expect(laptop.Sent("and from my phone")).ToHaveCountAsync(1);
        // One person with two connections is listed once.
        await Expect(laptop.PresenceUsers).ToHaveCountAsync(1);

        await phone.Page.GetByTestId("leave-button").ClickAsync();
        await phone.Page.GetByTestId("sign-out-button").ClickAsync();
        await Expect(phone.Page.GetByTestId("sign-in-button")).ToBeVisibleAsync();
        await Expect(phone.Page.GetByTestId("name-input")).ToBeVisibleAsync();
        Assert.Null(await phone.Page.EvaluateAsync<string?>(UserIdScript));
        Assert.Null(await phone.Page.EvaluateAsync<string?>("() => sessionStorage.getItem('chatdemo.oidc.idToken')"));
        Assert.Empty(pageErrors);
    }

    [Fact]
    public async Task WithGuestsDisabledThePageOffersOnlySigningIn()
    {
        await using var provider = await OidcProvider.StartAsync();
        await using var app = await ChatApp.StartAsync(ProviderApp.Settings(provider, guests: false));
        await using var tab = await ChatPage.OpenAsync(browser.Browser, app);
        await tab.GotoAsync();

        await Expect(tab.Page.GetByTestId("sign-in-button")).ToBeVisibleAsync();
        await Expect(tab.Page.GetByTestId("name-input")).ToBeHiddenAsync();
        await Expect(tab.Page.GetByTestId("join-button")).ToBeHiddenAsync();
        await Expect(tab.Page.GetByText("or continue as a guest")).ToBeHiddenAsync();

        await SignInAsync(tab, provider, app, "bob");
        await Expect(tab.Page.GetByTestId("signed-in-name")).ToHaveTextAsync("bob.builder");
        await JoinAsMemberAsync(tab, "lobby");
    }

    [Fact]
    public async Task WithoutAProviderThePageIsTheGuestFormAsBefore()
    {
        await using var app = await ChatApp.StartAsync();
        await using var tab = await ChatPage.OpenAsync(browser.Browser, app);
        await tab.JoinAsync("Guest");
        await tab.Page.GetByTestId("leave-button").ClickAsync();
        await Expect(tab.Page.GetByTestId("name-input")).ToBeVisibleAsync();
        await Expect(tab.Page.GetByTestId("account")).ToBeHiddenAsync();
    }
}
