using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.Channels;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace LambdaColdStart;

/// <summary>A minimal Lambda Runtime API on loopback: queue an event, await what the function posts.</summary>
public sealed class RuntimeApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Channel<(string Id, byte[] Payload)> _queue = Channel.CreateUnbounded<(string, byte[])>();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<bool>> _pending = new();
    private long _nextId;

    private RuntimeApi(WebApplication app) => _app = app;

    public string Address { get; private set; } = "";

    public static async Task<RuntimeApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var api = new RuntimeApi(app);
        app.MapGet("/2018-06-01/runtime/invocation/next", async (HttpContext context) =>
        {
            var (id, payload) = await api._queue.Reader.ReadAsync(context.RequestAborted);
            context.Response.Headers["Lambda-Runtime-Aws-Request-Id"] = id;
            context.Response.Headers["Lambda-Runtime-Deadline-Ms"] =
                DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
            context.Response.Headers["Lambda-Runtime-Trace-Id"] = "Root=1-00000000-000000000000000000000000";
            await context.Response.Body.WriteAsync(payload);
        });
        app.MapPost("/2018-06-01/runtime/invocation/{id}/response", (string id) => api.Complete(id, ok: true));
        app.MapPost("/2018-06-01/runtime/invocation/{id}/error", (string id) => api.Complete(id, ok: false));
        app.MapPost("/2018-06-01/runtime/init/error", () => Results.Accepted());
        await app.StartAsync();
        api.Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Authority;
        return api;
    }

    /// <summary>Queues an event; the task ends when the function has posted its answer.</summary>
    public Task<bool> InvokeAsync(byte[] payload)
    {
        var id = Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture);
        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = done;
        _queue.Writer.TryWrite((id, payload));
        return done.Task;
    }

    private IResult Complete(string id, bool ok)
    {
        if (_pending.TryRemove(id, out var done)) done.TrySetResult(ok);
        return Results.Accepted();
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
