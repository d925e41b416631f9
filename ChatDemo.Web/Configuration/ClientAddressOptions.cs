namespace ChatDemo.Web.Configuration;

// Who the client is (its address, through which proxies) and how much one client may ask.

/// <summary>
/// The reverse proxies (nginx, a load balancer) whose <c>X-Forwarded-For</c> and
/// <c>X-Forwarded-Proto</c> are applied. Nothing configured means no header is believed: a client
/// could otherwise claim any address or scheme.
/// </summary>
public sealed class ForwardedHeadersSettings
{
    /// <summary>Proxy IP addresses, separated by commas or white space (or a JSON array in appsettings).</summary>
    public string? KnownProxies { get; set; }

    /// <summary>Proxy networks in CIDR notation (<c>10.0.0.0/8</c>), separated like <see cref="KnownProxies"/>.</summary>
    public string? KnownNetworks { get; set; }

    /// <summary>How many proxies in a row are unwrapped (1: one nginx; 2: a load balancer in front of it).</summary>
    public int ForwardLimit { get; set; } = 1;

    public bool IsConfigured => SettingList.Parse(KnownProxies).Count > 0 || SettingList.Parse(KnownNetworks).Count > 0;
}

/// <summary>
/// Token buckets per client address (protocol.md, "Rate limits on REST"). A bucket holds
/// <c>…Burst</c> requests and refills at <c>…PerMinute</c>, spread evenly over the minute.
/// </summary>
public sealed class RateLimitOptions
{
    /// <summary><c>POST /api/sessions</c>: a browser needs one session a day; a classroom behind one NAT needs a few dozen at once.</summary>
    public int SessionsBurst { get; set; } = 30;

    public int SessionsPerMinute { get; set; } = 30;

    /// <summary>
    /// History, presence and config: the page asks for three or four on every (re)connect, and
    /// after a server restart every tab behind one address reconnects at about the same time.
    /// </summary>
    public int ApiBurst { get; set; } = 300;

    public int ApiPerMinute { get; set; } = 600;
}
