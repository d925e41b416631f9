using ChatDemo.Bench.Load;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace ChatDemo.Bench.Clients;

/// <summary>
/// SignalR's client side. Senders are real <see cref="HubConnection"/>s (Microsoft.AspNetCore.SignalR.Client)
/// whose <c>InvokeAsync</c> completion is the ack. Receivers speak SignalR's JSON hub protocol on a
/// <see cref="LeanSocket"/> (handshake, then records ending in 0x1E, several per frame when the
/// server batches), so that a receiver costs the load generator what it costs for the other servers.
/// </summary>
public sealed class SignalRTarget(Uri baseUri, string room) : IBenchTarget
{
    private const string Handshake = "{\"protocol\":\"json\",\"version\":1}\u001e";

    public string Name => "signalr";

    public bool Acknowledges => true;

    public Task<LeanSocket> ConnectReceiverAsync(DeliveryStats stats, int receiveBufferBytes, CancellationToken cancellationToken) =>
        LeanSocket.ConnectAsync(new Uri($"ws://{baseUri.Authority}/hub?room={room}"), stats, receiveBufferBytes, cancellationToken, Handshake);

    public async Task<IBenchSender> ConnectSenderAsync(int index, DeliveryStats stats, CancellationToken cancellationToken)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(baseUri, $"/hub?room={room}"), options =>
            {
                options.SkipNegotiation = true;
                options.Transports = HttpTransportType.WebSockets;
            })
            .Build();
        connection.On<string, string, string>("message", (_, _, text) => Payload.Scan(text, stats));
        await connection.StartAsync(cancellationToken);
        return new Sender(connection, $"bench sender {index}", stats);
    }

    private sealed class Sender(HubConnection connection, string name, DeliveryStats stats) : IBenchSender
    {
        public bool IsOpen => connection.State == HubConnectionState.Connected;

        public Task SendAsync(string clientMessageId, string text, CancellationToken cancellationToken)
        {
            // Open loop: the invocation is written now and its completion (the ack) counted when it comes.
            var invocation = connection.InvokeAsync("Send", name, text, cancellationToken);
            _ = invocation.ContinueWith(t =>
            {
                if (t.IsCompletedSuccessfully) stats.RecordAck();
            }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync() => connection.DisposeAsync();
    }
}
