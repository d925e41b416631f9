using System.Text;
using ChatDemo.Bench.Load;

namespace ChatDemo.Bench.Clients;

/// <summary>The floor's client: the same frames as ChatDemo's, echoed verbatim to everyone, with no ack.</summary>
public sealed class RawTarget(Uri baseUri) : IBenchTarget
{
    private readonly Uri _socketUri = new($"ws://{baseUri.Authority}/ws");

    public string Name => "raw";

    public bool Acknowledges => false;

    public Task<LeanSocket> ConnectReceiverAsync(DeliveryStats stats, int receiveBufferBytes, CancellationToken cancellationToken) =>
        LeanSocket.ConnectAsync(_socketUri, stats, receiveBufferBytes, cancellationToken);

    public async Task<IBenchSender> ConnectSenderAsync(int index, DeliveryStats stats, CancellationToken cancellationToken) =>
        new Sender(await LeanSocket.ConnectAsync(_socketUri, stats, 4096, cancellationToken));

    private sealed class Sender(LeanSocket socket) : IBenchSender
    {
        public bool IsOpen => socket.IsOpen;

        public Task SendAsync(string clientMessageId, string text, CancellationToken cancellationToken) =>
            socket.SendAsync(Encoding.UTF8.GetBytes(
                $$"""{"action":"sendMessage","clientMessageId":"{{clientMessageId}}","text":"{{text}}"}"""), cancellationToken);

        public ValueTask DisposeAsync() => socket.DisposeAsync();
    }
}
