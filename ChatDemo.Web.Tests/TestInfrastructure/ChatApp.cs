using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace ChatDemo.Web.Tests.TestInfrastructure;

/// <summary>
/// One isolated ChatDemo app on real Kestrel (port 0) with its own SQLite file. Tests start one
/// per test (or per isolated fixture); <see cref="RestartAsync"/> starts a new process-like
/// instance on the same data, as a server restart would. With <c>CHATDEMO_TEST_STORE=DynamoDb</c>
/// the app stores in its own tables on the shared dynalite instead (test.sh runs the Kestrel
/// suite both ways).
/// </summary>
public sealed class ChatApp : IAsyncDisposable
{
    public const string TestSigningKey = "test-signing-key-0123456789-abcdefghijklmnop";

    /// <summary>A per-address rate limit no test reaches.</summary>
    public const string LiftedRateLimit = "1000000";

    /// <summary>
    /// Every test client comes from one address, hundreds of them within seconds (chaos, floods,
    /// the bad-input corpus, a matrix of fresh rooms); the per-address limits of a deployment would
    /// refuse them. RateLimitTests and the nginx tests set the limits they check.
    /// </summary>
    public static IReadOnlyDictionary<string, string?> LiftedRateLimits { get; } = new Dictionary<string, string?>
    {
        ["Chat:RateLimits:SessionsBurst"] = LiftedRateLimit,
        ["Chat:RateLimits:SessionsPerMinute"] = LiftedRateLimit,
        ["Chat:RateLimits:ApiBurst"] = LiftedRateLimit,
        ["Chat:RateLimits:ApiPerMinute"] = LiftedRateLimit,
    };

    /// <summary>The environment variable that moves every app onto DynamoDB (dynalite).</summary>
    public const string StoreVariable = "CHATDEMO_TEST_STORE";

    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IWebHostBuilder>? _configureHost;
    private WebApplicationFactory<Program> _factory;

    private readonly TempFolder _dataFolder;

    private ChatApp(TempFolder dataFolder, Dictionary<string, string?> settings, Action<IWebHostBuilder>? configureHost = null)
    {
        _dataFolder = dataFolder;
        _settings = settings;
        _configureHost = configureHost;
        _factory = Start(settings, configureHost, AnyLoopbackPort, out var baseUri);
        BaseUri = baseUri;
        Http = new HttpClient { BaseAddress = BaseUri };
    }

    // UseKestrel(0) on a WithWebHostBuilder-derived factory loses its port (the parent's
    // CreateHost reads the parent's unset port) and Kestrel falls back to localhost:5000,
    // which parallel tests then fight over. A dynamic loopback port is asked for instead.
    private const string AnyLoopbackPort = "http://127.0.0.1:0";

    public Uri BaseUri { get; private set; }

    public HttpClient Http { get; private set; }

    public IServiceProvider Services => _factory.Services;

    /// <summary>The folder holding this app's database; deleted on dispose.</summary>
    public string DataFolder => _dataFolder.Path;

    /// <summary>A configuration value this app was started with (e.g. its DynamoDB table names).</summary>
    public string? Setting(string key) => _settings.GetValueOrDefault(key);

    /// <summary>True when this app runs on DynamoDB (dynalite) rather than SQLite.</summary>
    public bool UsesDynamoDb => Setting("Chat:Store") == "DynamoDb";

    public Uri WebSocketUri(string room, string? token)
    {
        var builder = new UriBuilder(BaseUri) { Scheme = BaseUri.Scheme == "https" ? "wss" : "ws", Path = "/ws" };
        var query = $"room={Uri.EscapeDataString(room)}";
        if (token is not null) query += $"&token={Uri.EscapeDataString(token)}";
        builder.Query = query;
        return builder.Uri;
    }

    /// <summary>
    /// Starts an app; <paramref name="settings"/> override configuration (keys like <c>Chat:Limits:SendBurst</c>),
    /// <paramref name="configureHost"/> adjusts the host further (e.g. <c>ConfigureTestServices</c>, a log
    /// capture) and runs again on every restart.
    /// </summary>
    public static async Task<ChatApp> StartAsync(IDictionary<string, string?>? settings = null, Action<IWebHostBuilder>? configureHost = null)
    {
        var folder = new TempFolder();
        var all = new Dictionary<string, string?>
        {
            ["Chat:Sqlite:Path"] = folder.File("chat.db"),
            ["Chat:Sessions:SigningKey"] = TestSigningKey,
        };
        foreach (var (key, value) in LiftedRateLimits) all[key] = value;
        if (Environment.GetEnvironmentVariable(StoreVariable) == "DynamoDb")
        {
            // Table names are fixed here, so a restart finds the same data.
            foreach (var (key, value) in await Dynalite.StoreSettingsAsync(Dynalite.UniqueTableNames())) all[key] = value;
        }
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) all[key] = value;
        try
        {
            return new ChatApp(folder, all, configureHost);
        }
        catch
        {
            folder.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Starts an app that writes everything down to <paramref name="level"/> (the framework's
    /// categories included) into <paramref name="logs"/>, also after a restart.
    /// </summary>
    public static Task<ChatApp> StartLoggingAsync(FakeLogCollector logs, LogLevel level)
    {
        var name = level.ToString();
        return StartAsync(
            new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = name,
                ["Logging:LogLevel:Microsoft"] = name,
                ["Logging:LogLevel:Microsoft.AspNetCore"] = name,
            },
            web => web.ConfigureServices(services => services.AddLogging(logging =>
            {
                logging.SetMinimumLevel(level);
                logging.AddProvider(new FakeLoggerProvider(logs));
            })));
    }

    /// <summary>Stops the app gracefully and starts a new one on the same data and settings.</summary>
    public async Task RestartAsync()
    {
        Http.Dispose();
        await _factory.DisposeAsync();
        _factory = Start(_settings, _configureHost, AnyLoopbackPort, out var baseUri);
        BaseUri = baseUri;
        Http = new HttpClient { BaseAddress = BaseUri };
    }

    /// <summary>Stops the app gracefully (as on SIGTERM) and waits until it has stopped.</summary>
    public async Task StopAsync() => await _factory.DisposeAsync();

    /// <summary>
    /// Starts the app that <see cref="StopAsync"/> stopped again, on the same data, settings and
    /// address — as a restarted server comes back — so that pages and clients already pointed at it
    /// find it again by themselves.
    /// </summary>
    public async Task StartAgainAsync()
    {
        // The port was free a moment ago; an outgoing connection of a parallel test may hold it briefly.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                _factory = Start(_settings, _configureHost, BaseUri.GetLeftPart(UriPartial.Authority), out _);
                return;
            }
            catch (IOException) when (attempt < 50)
            {
                await Task.Delay(100);
            }
        }
    }

    private static WebApplicationFactory<Program> Start(Dictionary<string, string?> settings, Action<IWebHostBuilder>? configureHost, string url, out Uri baseUri)
    {
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Development");
            web.UseUrls(url);
            foreach (var (key, value) in settings) web.UseSetting(key, value);
            configureHost?.Invoke(web);
        });
        factory.UseKestrel(0);
        try
        {
            factory.StartServer();
        }
        catch (Exception startFailure)
        {
            // The start failure is the news; disposing a half-started host may fail too.
            try
            {
                factory.Dispose();
            }
            catch (Exception disposeFailure)
            {
                throw new AggregateException(startFailure, disposeFailure);
            }
            throw;
        }
        var addresses = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        baseUri = new Uri(addresses.Addresses.First().Replace("[::]", "127.0.0.1").Replace("0.0.0.0", "127.0.0.1"));
        return factory;
    }

    public async Task<TestSession> CreateSessionAsync(string name = "Alice")
    {
        using var response = await Http.PostAsJsonAsync("/api/sessions", new { name });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return new TestSession(body.GetProperty("userId").GetString()!, body.GetProperty("name").GetString()!, body.GetProperty("token").GetString()!);
    }

    /// <summary>Opens a WebSocket as the session's user; fails the test when the upgrade is refused.</summary>
    public async Task<ChatSocket> ConnectAsync(TestSession session, string room = "lobby") =>
        await ChatSocket.ConnectAsync(WebSocketUri(room, session.Token));

    /// <summary>A fresh session and a connection for it.</summary>
    public async Task<(TestSession Session, ChatSocket Socket)> JoinAsync(string name, string room = "lobby")
    {
        var session = await CreateSessionAsync(name);
        return (session, await ConnectAsync(session, room));
    }

    /// <summary>
    /// Sends a WebSocket upgrade request over plain HTTP, so that a refusal's status, headers and
    /// problem+json body can be read (a <c>ClientWebSocket</c> only reports the status).
    /// </summary>
    public async Task<HttpResponseMessage> SendUpgradeRequestAsync(string? room, string? token, string? origin = null, bool upgrade = true,
        Action<HttpRequestMessage>? adjust = null)
    {
        var query = new List<string>();
        if (room is not null) query.Add($"room={Uri.EscapeDataString(room)}");
        if (token is not null) query.Add($"token={Uri.EscapeDataString(token)}");
        using var request = UpgradeRequest("/ws" + (query.Count > 0 ? "?" + string.Join('&', query) : ""), origin, upgrade);
        adjust?.Invoke(request);
        return await Http.SendAsync(request);
    }

    /// <summary>A WebSocket upgrade request (or, with <paramref name="upgrade"/> false, a plain GET) for any client to send.</summary>
    public static HttpRequestMessage UpgradeRequest(string pathAndQuery, string? origin = null, bool upgrade = true)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, pathAndQuery);
        if (upgrade)
        {
            request.Headers.Connection.Add("Upgrade");
            request.Headers.Upgrade.Add(new System.Net.Http.Headers.ProductHeaderValue("websocket"));
            request.Headers.Add("Sec-WebSocket-Version", "13");
            request.Headers.Add("Sec-WebSocket-Key", Convert.ToBase64String(Guid.NewGuid().ToByteArray()));
        }
        if (origin is not null) request.Headers.Add("Origin", origin);
        return request;
    }

    /// <summary>Opens a WebSocket that reads nothing until <see cref="ChatSocket.StartReading"/>: a client that stopped reading.</summary>
    public async Task<ChatSocket> ConnectWithoutReadingAsync(TestSession session, string room = "lobby") =>
        await ChatSocket.ConnectAsync(WebSocketUri(room, session.Token), startReading: false);

    /// <summary>
    /// Runs the app's own binary as an operator would (<c>dotnet ChatDemo.Web.dll</c>) with the given
    /// environment variables (<c>Chat__…</c>) on a fresh data folder; returns its exit code and
    /// everything it wrote, or fails when it is still running after <paramref name="timeout"/>.
    /// </summary>
    public static async Task<(int ExitCode, string Output)> RunProcessUntilExitAsync(IDictionary<string, string> environment, TimeSpan timeout)
    {
        using var folder = new TempFolder();
        var start = new System.Diagnostics.ProcessStartInfo("dotnet")
        {
            ArgumentList = { typeof(Program).Assembly.Location, "--urls", "http://127.0.0.1:0" },
            WorkingDirectory = folder.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["Chat__Sqlite__Path"] = folder.File("chat.db");
        start.Environment["Chat__Sessions__SigningKey"] = TestSigningKey;
        start.Environment["DOTNET_DbgEnableMiniDump"] = "0";
        foreach (var (key, value) in environment) start.Environment[key] = value;

        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        try
        {
            using var cts = new CancellationTokenSource(timeout);
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the app was still running after {timeout.TotalSeconds} s");
        }
        return (process.ExitCode, await output + await errors);
    }

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await Http.GetAsync(path);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _factory.DisposeAsync();
        _dataFolder.Dispose();
    }
}

public sealed record TestSession(string UserId, string Name, string Token);
