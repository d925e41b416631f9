using System.Net;
using Microsoft.Extensions.Options;

namespace ChatDemo.Web.Configuration;

/// <summary>
/// Checks <c>Chat__ForwardedHeaders__…</c> and <c>Chat__RateLimits__…</c> at start-up, naming the
/// setting, as <see cref="ChatOptionsValidator"/> does for the rest of the section.
/// </summary>
internal sealed class ClientAddressOptionsValidator : IValidateOptions<ChatOptions>
{
    public ValidateOptionsResult Validate(string? name, ChatOptions options)
    {
        var failures = new List<string>();
        var forwarded = options.ForwardedHeaders;
        foreach (var proxy in SettingList.Parse(forwarded.KnownProxies))
        {
            if (!IPAddress.TryParse(proxy, out _) || proxy.Contains('/'))
                failures.Add($"Chat__ForwardedHeaders__KnownProxies entry '{proxy}' is not an IP address such as 10.0.0.5 (networks go in Chat__ForwardedHeaders__KnownNetworks).");
        }
        foreach (var network in SettingList.Parse(forwarded.KnownNetworks))
        {
            if (!IPNetwork.TryParse(network, out _))
                failures.Add($"Chat__ForwardedHeaders__KnownNetworks entry '{network}' is not a network in CIDR notation such as 10.0.0.0/8.");
        }
        if (forwarded.ForwardLimit is < 1 or > 10)
            failures.Add($"Chat__ForwardedHeaders__ForwardLimit must be between 1 and 10 proxies (got {forwarded.ForwardLimit}).");

        var limits = options.RateLimits;
        void Positive(string setting, int value)
        {
            if (value < 1) failures.Add($"Chat__RateLimits__{setting} must be at least 1 (got {value}).");
        }
        Positive(nameof(limits.SessionsBurst), limits.SessionsBurst);
        Positive(nameof(limits.SessionsPerMinute), limits.SessionsPerMinute);
        Positive(nameof(limits.ApiBurst), limits.ApiBurst);
        Positive(nameof(limits.ApiPerMinute), limits.ApiPerMinute);

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
