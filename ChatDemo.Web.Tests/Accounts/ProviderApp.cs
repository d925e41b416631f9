using ChatDemo.Web.Tests.TestInfrastructure;

namespace ChatDemo.Web.Tests.Accounts;

/// <summary>A real OpenID provider and a ChatDemo app configured to accept its tokens (alice is an administrator).</summary>
public sealed class ProviderApp : IAsyncLifetime
{
    public OidcProvider Provider { get; private set; } = null!;

    public ChatApp App { get; private set; } = null!;

    /// <summary>The settings that point an app at <paramref name="provider"/>.</summary>
    public static Dictionary<string, string?> Settings(OidcProvider provider, bool guests = true) => new()
    {
        ["Chat:Auth:Oidc:Authority"] = provider.Issuer,
        ["Chat:Auth:Oidc:ClientId"] = OidcProvider.ClientId,
        ["Chat:Auth:Admins"] = "groups=chat-admins",
        ["Chat:Auth:Guests"] = guests ? "true" : "false",
    };

    public async Task InitializeAsync()
    {
        Provider = await OidcProvider.StartAsync();
        App = await ChatApp.StartAsync(Settings(Provider));
    }

    public async Task DisposeAsync()
    {
        if (App is not null) await App.DisposeAsync();
        if (Provider is not null) await Provider.DisposeAsync();
    }
}
