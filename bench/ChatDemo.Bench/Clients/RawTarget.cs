using ChatDemo.Bench.Load;

namespace ChatDemo.Bench.Clients;

/// <summary>
/// The floor's client: the same frames as ChatDemo's, echoed verbatim to everyone, with no ack.
/// <c>raw-sized</c> pads them to the size of the <c>message</c> frame ChatDemo delivers for the
/// same text (345 bytes: room, seq, ids, sender and time around it, against 169 for the bare
/// <c>sendMessage</c>), to show what the larger frames alone cost a run on shared cores.
/// </summary>
public sealed class RawTarget(Uri baseUri, bool sized) : IBenchTarget
{
    public const int ChatDemoMessageFrameBytes = 345;

    private readonly Uri _socketUri = new($"ws://{baseUri.Authority}/ws");

    public string Name => sized ? "raw-sized" : "raw";

    public bool Acknowledges => false;

    public Task<LeanSocket> ConnectReceiverAsync(DeliveryStats stats, int receiveBufferBytes, CancellationToken cancellationToken) =>
        LeanSocket.ConnectAsync(_socketUri, stats, receiveBufferBytes, cancellationToken);

    public async Task<IBenchSender> ConnectSenderAsync(int index, DeliveryStats stats, CancellationToken cancellationToken) =>
        new SendMessageSender(await LeanSocket.ConnectAsync(_socketUri, stats, 4096, cancellationToken), sized ? ChatDemoMessageFrameBytes : 0);
}
