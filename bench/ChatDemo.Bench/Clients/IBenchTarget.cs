using ChatDemo.Bench.Load;

namespace ChatDemo.Bench.Clients;

/// <summary>How the load generator talks to one of the three servers.</summary>
public interface IBenchTarget
{
    string Name { get; }

    /// <summary>Whether the server acknowledges each message (the floor does not).</summary>
    bool Acknowledges { get; }

    /// <summary>A connection in the bench room that only receives.</summary>
    Task<LeanSocket> ConnectReceiverAsync(DeliveryStats stats, int receiveBufferBytes, CancellationToken cancellationToken);

    /// <summary>A connection in the bench room that sends (and receives, like everyone in the room).</summary>
    Task<IBenchSender> ConnectSenderAsync(int index, DeliveryStats stats, CancellationToken cancellationToken);
}

/// <summary>One sending connection; acknowledgements it gets back are counted in <see cref="DeliveryStats.Acks"/>.</summary>
public interface IBenchSender : IAsyncDisposable
{
    bool IsOpen { get; }

    Task SendAsync(string clientMessageId, string text, CancellationToken cancellationToken);
}
