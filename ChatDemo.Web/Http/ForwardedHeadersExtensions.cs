using System.Net;
using ChatDemo.Web.Configuration;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace ChatDemo.Web.Http;

/// <summary>
/// Behind a TLS proxy (nginx, a load balancer) the app sees the proxy's address and plain http.
/// <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are applied only on connections from the
/// proxies in <c>Chat__ForwardedHeaders__KnownProxies</c>/<c>__KnownNetworks</c>, so that the
/// Origin check, <c>/api/config</c>'s <c>wss://</c> and the rate limiter's client address are
/// right; anyone else's headers are ignored. With nothing configured (the default, and Lambda's
/// case: API Gateway gives the address itself) no header is believed.
/// </summary>
public static class ForwardedHeadersExtensions
{
    public static IServiceCollection AddChatForwardedHeaders(this IServiceCollection services)
    {
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ChatOptions>>((forwarded, chat) =>
        {
            var settings = chat.Value.ForwardedHeaders;
            // The framework trusts loopback by default, and everybody when both lists are empty.
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            if (!settings.IsConfigured)
            {
                forwarded.ForwardedHeaders = ForwardedHeaders.None;
                return;
            }
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            forwarded.ForwardLimit = settings.ForwardLimit;
            foreach (var proxy in SettingList.Parse(settings.KnownProxies)) forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
            // System.Net's IPNetwork: the HttpOverrides one of the same name is obsolete.
            foreach (var network in SettingList.Parse(settings.KnownNetworks)) forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        });
        return services;
    }

    /// <summary>First in the pipeline: everything after it sees the client's scheme and address.</summary>
    public static IApplicationBuilder UseChatForwardedHeaders(this IApplicationBuilder app) => app.UseForwardedHeaders();
}
