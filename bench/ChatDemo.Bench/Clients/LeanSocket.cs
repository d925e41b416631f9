using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using ChatDemo.Bench.Load;

namespace ChatDemo.Bench.Clients;

/// <summary>
/// The receiving side used for all three servers alike: a plain <see cref="ClientWebSocket"/>
/// whose receive loop only finds the message texts in each frame and records them, so that the
/// load generator costs the same whichever server it measures. Can also send (ChatDemo's and the
/// floor's senders are such sockets).
/// </summary>
public sealed class LeanSocket : IAsyncDisposable
{
    private static readonly HttpMessageInvoker SharedInvoker = new(new SocketsHttpHandler { ConnectCallback = ConnectFromSourceAddressAsync });
    private static int s_nextSource;

    /// <summary>
    /// How many loopback source addresses (127.0.0.1, 127.0.0.2, …) new connections are spread
    /// over: one address gives about 28,000 ephemeral ports towards one server port.
    /// </summary>
    public static int SourceAddresses { get; set; } = 1;
    private readonly ClientWebSocket _socket = new();
    private Task _receiving = Task.CompletedTask;

    private LeanSocket()
    {
        _socket.Options.KeepAliveInterval = TimeSpan.Zero;
    }

    public bool IsOpen => _socket.State == WebSocketState.Open && !_receiving.IsCompleted;

    /// <summary>Opens the socket, sends <paramref name="hello"/> frames (SignalR's handshake), then starts receiving.</summary>
    public static async Task<LeanSocket> ConnectAsync(Uri uri, DeliveryStats stats, int receiveBufferBytes, CancellationToken cancellationToken, params string[] hello)
    {
        var lean = new LeanSocket();
        await lean._socket.ConnectAsync(uri, SharedInvoker, cancellationToken);
        foreach (var frame in hello) await lean.SendAsync(System.Text.Encoding.UTF8.GetBytes(frame), cancellationToken);
        lean._receiving = lean.ReceiveLoopAsync(stats, receiveBufferBytes);
        return lean;
    }

    public Task SendAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken) =>
        _socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, cancellationToken).AsTask();

    private async Task ReceiveLoopAsync(DeliveryStats stats, int receiveBufferBytes)
    {
        var buffer = new byte[receiveBufferBytes];
        try
        {
            while (true)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (length == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
                    result = await _socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
                    length += result.Count;
                } while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);
                if (result.MessageType == WebSocketMessageType.Close) return;

                var frame = buffer.AsSpan(0, length);
                if (frame.StartsWith("{\"type\":\"ack\""u8)) stats.RecordAck();
                else if (frame.StartsWith("{\"type\":\"error\""u8)) stats.RecordError();
                else Payload.Scan(frame, stats);
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            // Dropped by the server (for example a full send queue) or closed by the bench.
        }
    }

    private static async ValueTask<Stream> ConnectFromSourceAddressAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (SourceAddresses > 1)
            {
                var host = (byte)(1 + (uint)Interlocked.Increment(ref s_nextSource) % (uint)SourceAddresses);
                socket.Bind(new IPEndPoint(new IPAddress([127, 0, 0, host]), 0));
            }
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _socket.Abort();
        await _receiving;
        _socket.Dispose();
    }
}
