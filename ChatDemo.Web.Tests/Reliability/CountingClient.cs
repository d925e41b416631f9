using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text.Json;

namespace ChatDemo.Web.Tests.Reliability;

/// <summary>
/// A lean client for volume tests: it keeps counts, not frames, so the test process's own
/// memory does not hide the server's. It checks that <c>message</c> frames arrive in
/// <c>seq</c> order without gaps, and can be made to stop reading altogether.
/// </summary>
public sealed class CountingClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly TaskCompletionSource<WebSocketCloseStatus?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private Task _reading = Task.CompletedTask;
    private long _lastSeq;
    private int _messages;
    private int _acks;
    private int _outOfOrder;

    private CountingClient(ClientWebSocket socket) => _socket = socket;

    public int Messages => Volatile.Read(ref _messages);

    public int Acks => Volatile.Read(ref _acks);

    public int OutOfOrder => Volatile.Read(ref _outOfOrder);

    public DateTime LastMessageAt { get; private set; }

    public Task<WebSocketCloseStatus?> Closed => _closed.Task;

    /// <summary>
    /// Connects; with <paramref name="read"/> false nothing is ever read, and the TCP receive
    /// buffer is kept small so that the server's queue, not the kernel, absorbs what is sent.
    /// </summary>
    public static async Task<CountingClient> ConnectAsync(Uri uri, bool read = true)
    {
        var socket = new ClientWebSocket();
        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var tcp = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                if (!read) tcp.ReceiveBufferSize = 4096;
                await tcp.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(tcp, ownsSocket: true);
            },
        };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await socket.ConnectAsync(uri, new HttpMessageInvoker(handler), timeout.Token);
        var client = new CountingClient(socket);
        if (read) client._reading = client.ReadAsync();
        return client;
    }

    public async Task SendMessageAsync(string clientMessageId, string text)
    {
        var frame = JsonSerializer.SerializeToUtf8Bytes(new { action = "sendMessage", clientMessageId, text });
        await _sendLock.WaitAsync();
        try
        {
            await _socket.SendAsync(frame, WebSocketMessageType.Text, true, CancellationToken.None);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>For a client that did not read: reads (and discards) until the connection ends; returns the close code, null for a cut connection.</summary>
    public async Task<WebSocketCloseStatus?> DrainUntilClosedAsync(TimeSpan timeout)
    {
        _reading = ReadAsync();
        return await _closed.Task.WaitAsync(timeout);
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                using var message = new MemoryStream();
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        _closed.TrySetResult(_socket.CloseStatus);
                        return;
                    }
                    message.Write(buffer, 0, result.Count);
                } while (!result.EndOfMessage);
                Count(message.GetBuffer().AsSpan(0, (int)message.Length));
            }
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException or IOException)
        {
            _closed.TrySetResult(null);
        }
    }

    private void Count(ReadOnlySpan<byte> frame)
    {
        var reader = new Utf8JsonReader(frame);
        string? type = null;
        long seq = 0;
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1) continue;
            if (reader.ValueTextEquals("type")) { reader.Read(); type = reader.GetString(); }
            else if (reader.ValueTextEquals("seq")) { reader.Read(); seq = reader.GetInt64(); }
            else reader.Skip();
        }
        if (type == "ack") Interlocked.Increment(ref _acks);
        if (type != "message") return;
        if (seq != _lastSeq + 1) Interlocked.Increment(ref _outOfOrder);
        _lastSeq = seq;
        Interlocked.Increment(ref _messages);
        LastMessageAt = DateTime.UtcNow;
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", timeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
            }
        }
        _socket.Abort();
        _socket.Dispose();
        await _reading;
    }
}
