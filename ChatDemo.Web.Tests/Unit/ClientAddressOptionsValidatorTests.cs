using ChatDemo.Web.Configuration;

namespace ChatDemo.Web.Tests.Unit;

public sealed class ClientAddressOptionsValidatorTests
{
    private static string[] Failures(ChatOptions options)
    {
        var result = new ClientAddressOptionsValidator().Validate(null, options);
        return result.Failed ? result.Failures.ToArray() : [];
    }

    [Fact]
    public void TheDefaultsAreValidAndTrustNoProxy()
    {
        var options = new ChatOptions();
        Assert.Empty(Failures(options));
        Assert.False(options.ForwardedHeaders.IsConfigured);
    }

    [Fact]
    public void AddressesAndNetworksOfBothFamiliesAreAccepted()
    {
        var options = new ChatOptions
        {
            ForwardedHeaders = { KnownProxies = "10.0.0.5, ::1\n192.168.1.2", KnownNetworks = "10.1.0.0/16 fd00::/8", ForwardLimit = 2 },
        };
        Assert.Empty(Failures(options));
        Assert.True(options.ForwardedHeaders.IsConfigured);
    }

    public static TheoryData<string, Action<ChatOptions>> BadSettings => new()
    {
        { "Chat__ForwardedHeaders__KnownProxies", o => o.ForwardedHeaders.KnownProxies = "10.0.0.5, nginx.internal" },
        { "Chat__ForwardedHeaders__KnownProxies", o => o.ForwardedHeaders.KnownProxies = "10.0.0.0/8" },
        { "Chat__ForwardedHeaders__KnownProxies", o => o.ForwardedHeaders.KnownProxies = "10.0.0.256" },
        { "Chat__ForwardedHeaders__KnownNetworks", o => o.ForwardedHeaders.KnownNetworks = "10.0.0.0/33" },
        { "Chat__ForwardedHeaders__KnownNetworks", o => o.ForwardedHeaders.KnownNetworks = "10.0.0.0" },
        { "Chat__ForwardedHeaders__ForwardLimit", o => o.ForwardedHeaders.ForwardLimit = 0 },
        { "Chat__ForwardedHeaders__ForwardLimit", o => o.ForwardedHeaders.ForwardLimit = 11 },
        { "Chat__RateLimits__SessionsBurst", o => o.RateLimits.SessionsBurst = 0 },
        { "Chat__RateLimits__SessionsPerMinute", o => o.RateLimits.SessionsPerMinute = -1 },
        { "Chat__RateLimits__ApiBurst", o => o.RateLimits.ApiBurst = 0 },
        { "Chat__RateLimits__ApiPerMinute", o => o.RateLimits.ApiPerMinute = 0 },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public void ABadValueFailsNamingTheSetting(string setting, Action<ChatOptions> spoil)
    {
        var options = new ChatOptions();
        spoil(options);
        Assert.Contains(Failures(options), f => f.Contains(setting, StringComparison.Ordinal));
    }
}
