using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

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

    /// <summary>The environment variable that moves every app onto DynamoDB (dynalite).</summary>
    public const string StoreVariable = "CHATDEMO_TEST_STORE";

    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IWebHostBuilder>? _configure;
    private WebApplicationFactory<Program> _factory;

    private ChatApp(Dictionary<string, string?> settings, Action<IWebHostBuilder>? configure)
    {
        _settings = settings;
        _configure = configure;
        _factory = Start(settings, configure, out var baseUri);
        BaseUri = baseUri;
        Http = new HttpClient { BaseAddress = BaseUri };
    }

    public Uri BaseUri { get; private set; }

    public HttpClient Http { get; private set; }

    public IServiceProvider Services => _factory.Services;

    /// <summary>The folder holding this app's database; deleted on dispose.</summary>
    public string DataFolder => _settings["Chat:DataFolderForTests"]!;

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
    /// <paramref name="configure"/> adjusts the host further (e.g. <c>ConfigureTestServices</c>).
    /// </summary>
    public static async Task<ChatApp> StartAsync(IDictionary<string, string?>? settings = null, Action<IWebHostBuilder>? configure = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), "chatdemo-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var all = new Dictionary<string, string?>
        {
            ["Chat:Sqlite:Path"] = Path.Combine(folder, "chat.db"),
            ["Chat:Sessions:SigningKey"] = TestSigningKey,
            ["Chat:DataFolderForTests"] = folder,
        };
        if (Environment.GetEnvironmentVariable(StoreVariable) == "DynamoDb")
        {
            // Table names are fixed here, so a restart finds the same data.
            var tables = Dynalite.UniqueTableNames();
            all["Chat:Store"] = "DynamoDb";
            all["Chat:DynamoDb:ServiceUrl"] = (await Dynalite.EndpointAsync()).ToString();
            all["Chat:DynamoDb:MessagesTable"] = tables.Messages;
            all["Chat:DynamoDb:ConnectionsTable"] = tables.Connections;
            all["Chat:DynamoDb:CreateTables"] = "true";
        }
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) all[key] = value;
        return new ChatApp(all, configure);
    }

    /// <summary>Stops the app gracefully and starts a new one on the same data and settings.</summary>
    public async Task RestartAsync()
    {
        Http.Dispose();
        await _factory.DisposeAsync();
        _factory = Start(_settings, _configure, out var baseUri);
        BaseUri = baseUri;
        Http = new HttpClient { BaseAddress = BaseUri };
    }

    /// <summary>Stops the app gracefully (as on SIGTERM) and waits until it has stopped.</summary>
    public async Task StopAsync() => await _factory.DisposeAsync();

    private static WebApplicationFactory<Program> Start(Dictionary<string, string?> settings, Action<IWebHostBuilder>? configure, out Uri baseUri)
    {
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Development");
            foreach (var (key, value) in settings) web.UseSetting(key, value);
            configure?.Invoke(web);
        });
        // An explicit loopback listener on a free port: UseKestrel(0) was not applied to the
        // minimal-hosting app here, which then bound localhost:5000 and collided with parallel tests.
        factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
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
        try
        {
            Directory.Delete(DataFolder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by SQLite's pool on this platform; the temp folder is cleaned later.
        }
    }
}

public sealed record TestSession(string UserId, string Name, string Token);
