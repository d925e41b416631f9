using ChatDemo.Web.Configuration;
using Microsoft.Extensions.Options;

namespace ChatDemo.Web.Accounts;

/// <summary>
/// Reads the provider's discovery document and keys once at start, in the background: the first
/// sign-in then does not wait for them, and the page's Content-Security-Policy knows the token
/// endpoint's origin from the first page served. A provider that is down only gets logged here.
/// </summary>
internal sealed class ProviderWarmUp(ProviderTokenValidator provider, IOptions<ChatOptions> options) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Awaited as a plain Task: this method's state would otherwise hold the document's type,
        // and loading it loads IdentityModel on every start, with a provider or without.
        if (options.Value.Auth.OidcEnabled) await (Task)provider.TryGetProviderConfigurationAsync(stoppingToken);
    }
}
