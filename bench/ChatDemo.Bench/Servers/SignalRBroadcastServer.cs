using Microsoft.AspNetCore.SignalR;

namespace ChatDemo.Bench.Servers;

/// <summary>
/// The in-box alternative: an ASP.NET Core SignalR hub (JSON protocol, WebSockets) in which a
/// connection joins the group named by <c>?room=</c> and <c>Send</c> broadcasts to that group.
/// Defaults everywhere except the client timeout: the bench's lean receivers do not ping.
/// </summary>
public static class SignalRBroadcastServer
{
    public static async Task RunAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Services.AddSignalR(hub => hub.ClientTimeoutInterval = TimeSpan.FromMinutes(30));
        var app = builder.Build();
        app.MapGet("/health", () => "ok");
        app.MapHub<BroadcastHub>("/hub");
        await app.RunAsync();
    }
}

/// <summary>One room per connection, as in protocol v1; <c>Send</c> returns once the group send is queued (the ack).</summary>
public sealed class BroadcastHub : Hub
{
    public override Task OnConnectedAsync() =>
        Groups.AddToGroupAsync(Context.ConnectionId, Room);

    public Task Send(string name, string text) =>
        Clients.Group(Room).SendAsync("message", Room, name, text);

    private string Room => Context.GetHttpContext()?.Request.Query["room"].ToString() is { Length: > 0 } room ? room : "lobby";
}
