using System.Collections.Concurrent;
using System.Text;
using ChatDemo.Web.Chat;
using ChatDemo.Web.Lambda;
using ChatDemo.Web.Tests.TestInfrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ChatDemo.Web.Tests.Lambda;

/// <summary>
/// The ChatDemo app in Lambda mode: started with <c>AWS_LAMBDA_RUNTIME_API</c> pointing at an
/// <see cref="EmulatedRuntimeApi"/>, on its own SQLite file, with recording doubles for the AWS
/// fan-out and sender, unless <c>settings</c> choose the real ones (<c>Chat:FanOut=EventBridge</c>:
/// then the doubles stay empty). With <paramref name="testEndpoints"/> the pipeline starts with
/// <see cref="TestEndpoints"/> (echo, throw, big, binary, deliver).
/// </summary>
public sealed class LambdaApp : IAsyncDisposable
{
    private readonly WebApplicationFactory<Program> _factory;
    private readonly TempFolder _folder;

    private LambdaApp(EmulatedRuntimeApi runtime, WebApplicationFactory<Program> factory, TempFolder folder,
        TestEndpoints endpoints, RecordingConnectionSender sender, RecordingRoomFanOut fanOut)
    {
        Runtime = runtime;
        _factory = factory;
        _folder = folder;
        Endpoints = endpoints;
        Sender = sender;
        FanOut = fanOut;
    }

    public EmulatedRuntimeApi Runtime { get; }

    public TestEndpoints Endpoints { get; }

    public RecordingConnectionSender Sender { get; }

    public RecordingRoomFanOut FanOut { get; }

    public IServiceProvider Services => _factory.Services;

    /// <param name="settings">Configuration over the defaults (the store, the AWS fan-out and its endpoints).</param>
    /// <param name="configureServices">Test services registered last (e.g. the AWS signing identity the fakes know).</param>
    public static async Task<LambdaApp> StartAsync(bool testEndpoints = true, IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configureServices = null)
    {
        var runtime = await EmulatedRuntimeApi.StartAsync();
        var folder = new TempFolder();
        var endpoints = new TestEndpoints();
        var sender = new RecordingConnectionSender();
        var fanOut = new RecordingRoomFanOut();
        var awsFanOut = settings?.TryGetValue("Chat:FanOut", out var chosen) == true && chosen == "EventBridge";
        var factory = new LambdaModeFactory().WithWebHostBuilder(web =>
        {
            // Production: what a deployed function runs, so no developer exception page either.
            web.UseEnvironment("Production");
            web.UseSetting(LambdaHostingExtensions.RuntimeApiVariable, runtime.Address);
            web.UseSetting("Chat:Sqlite:Path", folder.File("chat.db"));
            web.UseSetting("Chat:Sessions:SigningKey", ChatApp.TestSigningKey);
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) web.UseSetting(key, value);
            web.ConfigureTestServices(services =>
            {
                if (!awsFanOut)
                {
                    services.AddSingleton<IConnectionSender>(sender);
                    services.AddSingleton<IRoomFanOut>(fanOut);
                }
                services.AddScoped<ScopeProbe>();
                if (testEndpoints) services.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter>(endpoints);
                configureServices?.Invoke(services);
            });
        });
        // Not the in-memory TestServer: the app's own IServer, which is the Lambda adapter here.
        factory.UseKestrel(0);
        factory.StartServer();
        return new LambdaApp(runtime, factory, folder, endpoints, sender, fanOut);
    }

    public Task<InvocationResult> InvokeAsync(string payload, string? traceId = null, DateTimeOffset? deadline = null) =>
        Runtime.InvokeAsync(payload, traceId, deadline);

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        await Runtime.DisposeAsync();
        _folder.Dispose();
    }
}

/// <summary>
/// The app as <c>Program</c> builds it, with the IServer that <c>UseLambdaHosting</c>
/// chose put back last: WebApplicationFactory registers its own server (TestServer or Kestrel)
/// after the app's registrations.
/// </summary>
internal sealed class LambdaModeFactory : WebApplicationFactory<Program>
{
    protected override IHost CreateHost(IHostBuilder builder)
    {
        builder.ConfigureServices(services => services.AddSingleton<IServer, LambdaServer>());
        return base.CreateHost(builder);
    }
}

/// <summary>One per DI scope: tells whether two requests shared a scope.</summary>
public sealed class ScopeProbe
{
    public Guid Id { get; } = Guid.NewGuid();
}

/// <summary>Records every frame sent to one connection (ack, error, pong), as PostToConnection would receive it.</summary>
public sealed class RecordingConnectionSender : IConnectionSender
{
    private readonly ConcurrentQueue<(string ConnectionId, string Frame)> _sent = new();

    public IReadOnlyList<(string ConnectionId, string Frame)> Sent => _sent.ToArray();

    public ValueTask<bool> SendAsync(string connectionId, ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        _sent.Enqueue((connectionId, Encoding.UTF8.GetString(frame.Span)));
        return ValueTask.FromResult(true);
    }
}

/// <summary>Records every room event published, as EventBridge would receive it.</summary>
public sealed class RecordingRoomFanOut : IRoomFanOut
{
    private readonly ConcurrentQueue<RoomEvent> _published = new();

    public IReadOnlyList<RoomEvent> Published => _published.ToArray();

    public ValueTask PublishAsync(RoomEvent roomEvent, CancellationToken cancellationToken)
    {
        _published.Enqueue(roomEvent);
        return ValueTask.CompletedTask;
    }
}
