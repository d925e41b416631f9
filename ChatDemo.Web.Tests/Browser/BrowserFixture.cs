using Microsoft.Playwright;

namespace ChatDemo.Web.Tests.Browser;

/// <summary>
/// One headless Debian Chromium for every browser test (launching is the slow part); each test
/// opens its own contexts, which share nothing. Playwright cannot download a browser here, so
/// a Chromium already on the machine is required and its absence fails every browser test loudly.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    /// <summary>Names a Chromium (or Chrome) executable explicitly; otherwise PATH is searched.</summary>
    public const string ChromiumVariable = "CHATDEMO_CHROMIUM";

    private static readonly string[] ChromiumNames = ["chromium", "chromium-browser", "google-chrome"];

    internal static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser fixture did not start.");

    public async Task InitializeAsync()
    {
        var chromium = FindChromium();

        // Generous: two cores are shared by several builds and test runs.
        Assertions.SetDefaultExpectTimeout(20_000);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ChromiumArgs,
            Timeout = 60_000,
        });
    }

    /// <summary><c>$CHATDEMO_CHROMIUM</c> when set (it must exist), else the first of
    /// chromium, chromium-browser, google-chrome on PATH.</summary>
    public static string FindChromium()
    {
        var named = Environment.GetEnvironmentVariable(ChromiumVariable);
        if (!string.IsNullOrWhiteSpace(named))
            return File.Exists(named)
                ? named
                : throw new InvalidOperationException($"{ChromiumVariable} names {named}, which does not exist.");

        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        foreach (var name in ChromiumNames)
            foreach (var folder in path)
            {
                var candidate = Path.Combine(folder, name);
                if (File.Exists(candidate)) return candidate;
            }
        throw new InvalidOperationException(
            $"No Chromium found: the browser tests need one. Set {ChromiumVariable} to its executable, or put one of " +
            $"{string.Join(", ", ChromiumNames)} on PATH (Debian/Ubuntu: 'sudo apt-get install -y chromium'; test.sh does this when run as root).");
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
    }
}

/// <summary>Every browser test class shares the one browser and runs one test at a time.</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}
