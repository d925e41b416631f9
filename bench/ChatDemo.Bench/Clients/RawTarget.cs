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
        new SendMessageSender(await LeanSocket.ConnectAsync(_socketUri, stats, 4096, cancellationToken));
}
