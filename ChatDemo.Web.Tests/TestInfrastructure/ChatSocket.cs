using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace ChatDemo.Web.Tests.TestInfrastructure;

/// <summary>
/// A protocol-v1 test client over a real <see cref="ClientWebSocket"/>: frames are read in the
/// background into a queue, so tests wait for what they expect with a timeout.
/// </summary>
public sealed class ChatSocket : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    private readonly ClientWebSocket _socket;
    private readonly Channel<JsonElement> _frames = Channel.CreateUnbounded<JsonElement>();
    private readonly List<JsonElement> _received = [];
    private readonly TaskCompletionSource<WebSocketCloseStatus?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _reading;

    private ChatSocket(ClientWebSocket socket, bool startReading)
    {
        _socket = socket;
        if (startReading) StartReading();
    }

    /// <summary>Starts reading frames (a socket opened with <c>startReading: false</c> reads nothing until then).</summary>
    public void StartReading() => _reading ??= ReadAsync();

    public WebSocket Socket => _socket;

    /// <summary>Completes with the server's close code (null when the connection broke without one).</summary>
    public Task<WebSocketCloseStatus?> Closed => _closed.Task;

    /// <param name="invoker">The HTTP handler to connect with (a source address, a pinned certificate); none: the default.</param>
    public static async Task<ChatSocket> ConnectAsync(Uri uri, string? origin = null, bool startReading = true, HttpMessageInvoker? invoker = null)
    {
        var socket = new ClientWebSocket();
        if (origin is not null) socket.Options.SetRequestHeader("Origin", origin);
        socket.Options.CollectHttpResponseDetails = true;
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        await socket.ConnectAsync(uri, invoker, timeout.Token);
        return new ChatSocket(socket, startReading);
    }

    /// <summary>Tries an upgrade and returns the HTTP status it was answered with (101 on success).</summary>
    public static async Task<int> TryConnectAsync(Uri uri, string? origin = null, HttpMessageInvoker? invoker = null)
    {
        using var socket = new ClientWebSocket();
        if (origin is not null) socket.Options.SetRequestHeader("Origin", origin);
        socket.Options.CollectHttpResponseDetails = true;
        try
        {
            using var timeout = new CancellationTokenSource(DefaultTimeout);
            await socket.ConnectAsync(uri, invoker, timeout.Token);
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
            return (int)socket.HttpStatusCode;
        }
        catch (WebSocketException)
        {
            return (int)socket.HttpStatusCode;
        }
    }

    public Task SendJsonAsync(object frame) => SendTextAsync(JsonSerializer.Serialize(frame));

    public async Task SendTextAsync(string text)
    {
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, timeout.Token);
    }

    public async Task SendBytesAsync(byte[] bytes, WebSocketMessageType type = WebSocketMessageType.Text)
    {
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        await _socket.SendAsync(bytes, type, true, timeout.Token);
    }

    public Task SendMessageAsync(string clientMessageId, string text) =>
        SendJsonAsync(new { action = "sendMessage", clientMessageId, text });

    /// <summary>
    /// The first frame not yet taken that has the type and matches, whenever it arrived; frames of
    /// other types stay for later calls. Fails after the timeout.
    /// </summary>
    public async Task<JsonElement> WaitForAsync(string? type, Func<JsonElement, bool>? match = null, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (true)
        {
            lock (_received)
            {
                for (var i = 0; i < _received.Count; i++)
                {
                    var frame = _received[i];
                    if ((type is null || frame.GetProperty("type").GetString() == type) && (match is null || match(frame)))
                    {
                        _received.RemoveAt(i);
                        return frame;
                    }
                }
            }
            var remaining = deadline - DateTime.UtcNow;
            if (remaining <= TimeSpan.Zero)
                throw new TimeoutException($"no '{type}' frame arrived within {(timeout ?? DefaultTimeout).TotalSeconds} s");
            if (_closed.Task.IsCompleted && !await _frames.Reader.WaitToReadAsync())
                throw new InvalidOperationException($"the connection closed ({_closed.Task.Result}) before a '{type}' frame arrived");
            using var cts = new CancellationTokenSource(remaining);
            try
            {
                var next = await _frames.Reader.ReadAsync(cts.Token);
                lock (_received) _received.Add(next);
            }
            catch (OperationCanceledException)
            {
            }
            catch (ChannelClosedException)
            {
                throw new InvalidOperationException($"the connection closed ({await _closed.Task}) before a '{type}' frame arrived");
            }
        }
    }

    /// <summary>The answer to the frame with <paramref name="clientMessageId"/>: its <c>ack</c>, <c>updateAck</c> or <c>error</c>.</summary>
    public Task<JsonElement> WaitForAnswerAsync(string clientMessageId, TimeSpan? timeout = null) =>
        WaitForAsync(type: null, f => f.GetProperty("type").GetString() is "ack" or "updateAck" or "error"
            && f.TryGetProperty("clientMessageId", out var id) && id.GetString() == clientMessageId, timeout);

    /// <summary>
    /// Takes the first frame of the type that matches among those already received (everything
    /// before the frame a <see cref="WaitForAsync"/> returned has been); never waits.
    /// </summary>
    public bool TryTake(string type, Func<JsonElement, bool> match)
    {
        lock (_received)
        {
            var index = _received.FindIndex(f => f.GetProperty("type").GetString() == type && match(f));
            if (index < 0) return false;
            _received.RemoveAt(index);
            return true;
        }
    }

    /// <summary>Frames not yet taken plus every frame that arrives within <paramref name="window"/>; all are taken.</summary>
    public async Task<List<JsonElement>> CollectAsync(TimeSpan window)
    {
        List<JsonElement> result;
        lock (_received)
        {
            result = [.. _received];
            _received.Clear();
        }
        using var cts = new CancellationTokenSource(window);
        try
        {
            while (true) result.Add(await _frames.Reader.ReadAsync(cts.Token));
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
        {
            return result;
        }
    }

    public async Task<WebSocketCloseStatus?> WaitForCloseAsync(TimeSpan? timeout = null) =>
        await _closed.Task.WaitAsync(timeout ?? DefaultTimeout);

    private async Task ReadAsync()
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                using var message = new MemoryStream();
                WebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        _closed.TrySetResult(result.CloseStatus);
                        if (_socket.State == WebSocketState.CloseReceived)
                            await _socket.CloseOutputAsync(result.CloseStatus ?? WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                        return;
                    }
                    message.Write(buffer, 0, result.Count);
                } while (!result.EndOfMessage);
                _frames.Writer.TryWrite(JsonDocument.Parse(message.ToArray()).RootElement.Clone());
            }
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            _closed.TrySetResult(null);
        }
        finally
        {
            _frames.Writer.TryComplete();
        }
    }

    public async Task CloseAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(DefaultTimeout);
            try
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
                await _closed.Task.WaitAsync(timeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                // The server is already gone.
            }
        }
    }

    /// <summary>Drops the TCP connection without a close frame, as a lost network would.</summary>
    public void Abort() => _socket.Abort();

    public async ValueTask DisposeAsync()
    {
        if (_reading is null) _socket.Abort();
        await CloseAsync();
        _socket.Dispose();
        try
        {
            if (_reading is not null) await _reading;
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException)
        {
        }
    }
}
